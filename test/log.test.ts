import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

function capture(): { lines: Array<Record<string, unknown>>; log: ReturnType<typeof createLogger> } {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, log: createLogger('debug', (line) => lines.push(JSON.parse(line) as Record<string, unknown>)) };
}

describe('log lines', () => {
  it('write a circular field as "[Circular]" instead of throwing', () => {
    const { lines, log } = capture();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    const shared = { n: 1 };
    expect(() => log.info('cycle', { loop, pair: [shared, shared] })).not.toThrow();
    expect(lines[0]).toMatchObject({ msg: 'cycle', loop: { name: 'loop', self: '[Circular]' }, pair: [{ n: 1 }, { n: 1 }] });
  });

  it('never let a field overwrite time, level or msg', () => {
    const { lines, log } = capture();
    log.child({ level: 'error' }).warn('real message', { msg: 'fake', time: 'never' });
    expect(lines[0]).toMatchObject({ level: 'warn', msg: 'real message', _level: 'error', _msg: 'fake', _time: 'never' });
    expect(lines[0]?.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('write a field named __proto__ (as JSON.parse makes one) like any other', () => {
    const { lines, log } = capture();
    log.info('parsed', JSON.parse('{"__proto__": {"x": 1}, "y": 2}') as Record<string, unknown>);
    expect(Object.getOwnPropertyDescriptor(lines[0], '__proto__')?.value).toEqual({ x: 1 });
    expect(lines[0]).toMatchObject({ msg: 'parsed', y: 2 });
  });

  it('keep an error message, stack and cause, and write bigints and throwing fields as text', () => {
    const { lines, log } = capture();
    log.error('failed', { error: new Error('outer', { cause: new Error('inner') }), big: 10n });
    expect(lines[0]).toMatchObject({ error: { name: 'Error', message: 'outer', cause: { message: 'inner' } }, big: '10' });
    log.info('odd', { bad: { toJSON: () => { throw new Error('no'); } } });
    expect(lines[1]).toMatchObject({ msg: 'odd', logError: 'fields could not be written: no' });
  });
});
