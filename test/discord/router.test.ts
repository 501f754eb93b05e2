/**
 * The router against a recording Responder (the router's own seam in front of Discord's callback): what is acknowledged,
 * how, and how often, for fast, slow, failing and expected-failure handlers. Commands here are real `Command`
 * objects; the paper command runs over the real test library.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import paper from '../../commands/paper.js';
import { UserError, type Command, type CommandContext, type Reply } from '../../src/discord/command.js';
import type { Responder } from '../../src/discord/interactions.js';
import { createLogger } from '../../src/log.js';
import type { MessagePayload } from '../../src/discord/payload.js';
import { registerCommands } from '../../src/discord/registry.js';
import { apology, BUSY_MESSAGE, DATABASE_UNREACHABLE_MESSAGE, InteractionRouter } from '../../src/discord/router.js';
import { DEFER_AT_ONCE_WAITING } from '../../src/discord/turns.js';
import { INVOKER, testLibrary } from '../commands/context.js';

type Call = [string, ...unknown[]];

/** Records every acknowledgement call; `onDefer` fires when the router defers. */
class RecordingResponder implements Responder {
  readonly calls: Call[] = [];
  onDefer: () => void = () => {};
  failWith: Error | null = null;

  #record(call: Call): Promise<void> {
    this.calls.push(call);
    return this.failWith ? Promise.reject(this.failWith) : Promise.resolve();
  }
  reply(payload: MessagePayload) {
    return this.#record(['reply', payload]);
  }
  deferReply(ephemeral: boolean) {
    const done = this.#record(['deferReply', ephemeral]);
    this.onDefer();
    return done;
  }
  deferUpdate() {
    const done = this.#record(['deferUpdate']);
    this.onDefer();
    return done;
  }
  update(payload: MessagePayload) {
    return this.#record(['update', payload]);
  }
  editReply(payload: MessagePayload) {
    return this.#record(['editReply', payload]);
  }
  followUp(payload: MessagePayload) {
    return this.#record(['followUp', payload]);
  }
  deleteReply() {
    return this.#record(['deleteReply']);
  }
  choices(choices: unknown[]) {
    return this.#record(['choices', choices]);
  }

  /** The names of the calls, in order. */
  get names(): string[] {
    return this.calls.map((c) => c[0]);
  }
  /** The payload of the first call named `name`. */
  payload(name: string): MessagePayload {
    const call = this.calls.find((c) => c[0] === name);
    if (!call) throw new Error(`no ${name} call in ${this.names.join(', ')}`);
    return call[1] as MessagePayload;
  }
}

/** A handler that finishes only once the router has deferred: slow, deterministically. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open: () => void = () => {};
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/** The gate slow handlers wait on; each slow test starts a fresh one. */
let slow = gate();
const slowAfterDefer = (reply: () => Reply) => async () => {
  await slow.wait;
  return reply();
};

const testCommands: Command[] = [
  paper,
  { data: { name: 'fast', description: 'answers at once' }, execute: () => ({ content: 'hello @everyone' }) },
  { data: { name: 'expected', description: 'a user error' }, execute: () => { throw new UserError('No paper matches “x”.'); } },
  { data: { name: 'bug', description: 'a bug' }, execute: () => { throw new TypeError('cannot read properties of undefined'); } },
  // What node-postgres rejects with while Postgres is down: a refused connection, wrapped as Kysely passes it on.
  { data: { name: 'nodb', description: 'the database is down' }, execute: () => { throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }); } },
  { data: { name: 'slow', description: 'public, slow' }, execute: slowAfterDefer(() => ({ content: 'done' })) },
  {
    data: { name: 'slowerror', description: 'slow, then a user error' },
    execute: async () => {
      await slow.wait;
      throw new UserError('Nothing to show.');
    },
  },
  {
    data: { name: 'pager', description: 'components' },
    execute: () => ({ content: 'page 1' }),
    component: async (request) => {
      await slow.wait;
      return request.customId.startsWith('pager:page:') ? { content: 'page 2', update: true } : { content: 'opened', ephemeral: true };
    },
  },
  {
    data: { name: 'complete', description: 'autocomplete' },
    execute: () => ({ content: '' }),
    autocomplete: (request) => {
      if (request.focused.value === 'throw') throw new Error('autocomplete bug');
      if (request.focused.value === 'hang') return new Promise(() => {});
      return Array.from({ length: 40 }, (_, i) => ({ name: `${'n'.repeat(120)}${i}`, value: `v${i}` }));
    },
  },
];

let ctx: CommandContext;
const logLines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  const library = await testLibrary();
  const log = createLogger('debug', (line) => logLines.push(JSON.parse(line) as Record<string, unknown>));
  ctx = { library: () => library, log, now: () => new Date() };
});

function router(options: { deferAfterMs?: number; autocompleteDeadlineMs?: number; maxWaiting?: number } = {}): InteractionRouter {
  return new InteractionRouter({ commands: registerCommands(testCommands.map((c) => ({ file: c.data.name, exported: c }))), context: ctx, log: ctx.log, ...options });
}

/** Opens the gate for slow handlers as soon as the router defers. */
function deferring(responder: RecordingResponder): RecordingResponder {
  responder.onDefer = () => slow.open();
  return responder;
}

const ACKS = new Set(['reply', 'deferReply', 'deferUpdate', 'update']);

function acknowledgements(responder: RecordingResponder): number {
  return responder.names.filter((n) => ACKS.has(n)).length;
}

describe('the router', () => {
  it('replies once to a fast handler, with mentions disabled', async () => {
    const responder = new RecordingResponder();
    await router().handleCommand({ command: 'fast', options: {}, invoker: INVOKER }, responder);
    expect(responder.names).toEqual(['reply']);
    expect(responder.payload('reply')).toEqual({ content: 'hello @everyone', embeds: [], components: [], flags: 0, allowed_mentions: { parse: [] } });
  });

  it('runs a real command and logs one line with command, outcome and latency', async () => {
    const responder = new RecordingResponder();
    await router().handleCommand({ command: 'paper', options: { query: 'Bridging the Gap' }, invoker: INVOKER }, responder);
    expect(responder.payload('reply').embeds[0]?.title).toBe('Bridging the Gap to Real-World Object-Centric Learning');
    const line = logLines.findLast((l) => l['msg'] === 'interaction');
    expect(line).toMatchObject({ level: 'info', kind: 'command', command: 'paper', outcome: 'ok', deferred: false });
    expect(typeof line?.['latencyMs']).toBe('number');
  });

  it('shows a UserError ephemerally, as it is', async () => {
    const responder = new RecordingResponder();
    await router().handleCommand({ command: 'expected', options: {}, invoker: INVOKER }, responder);
    expect(responder.names).toEqual(['reply']);
    expect(responder.payload('reply')).toMatchObject({ content: 'No paper matches “x”.', flags: 64 });
  });

  it('logs a bug with the command, options and an error id, and apologises with that id', async () => {
    const responder = new RecordingResponder();
    await router().handleCommand({ command: 'bug', options: { query: 'q' }, invoker: INVOKER }, responder);
    const line = logLines.findLast((l) => l['msg'] === 'handler failed');
    expect(line).toMatchObject({ level: 'error', command: 'bug', options: { query: 'q' }, error: { name: 'TypeError', message: 'cannot read properties of undefined' } });
    expect(responder.payload('reply')).toMatchObject({ content: apology(String(line?.['errorId'])), flags: 64 });
    expect(apology('1a2b3c4d')).toMatchInlineSnapshot(`"Sorry, something went wrong on our side. The error is logged as \`1a2b3c4d\`; quote it if you report this."`);
  });

  it('takes a deferral Discord calls already acknowledged (40060: an earlier try got through) as made, and edits the answer in', async () => {
    slow = gate();
    const responder = deferring(new RecordingResponder());
    const deferReply = responder.deferReply.bind(responder);
    responder.deferReply = (ephemeral: boolean) =>
      deferReply(ephemeral).then(() => Promise.reject(Object.assign(new Error('Interaction has already been acknowledged.'), { code: 40060 })));
    await router({ deferAfterMs: 1 }).handleCommand({ command: 'slow', options: {}, invoker: INVOKER }, responder);
    expect(responder.names).toEqual(['deferReply', 'editReply']);
    expect(responder.payload('editReply').content).toBe('done');
  });

  it('defers a slow command publicly, then edits in the answer', async () => {
    slow = gate();
    const responder = deferring(new RecordingResponder());
    await router({ deferAfterMs: 1 }).handleCommand({ command: 'slow', options: {}, invoker: INVOKER }, responder);
    expect(responder.names).toEqual(['deferReply', 'editReply']);
    expect(responder.calls[0]).toEqual(['deferReply', false]);
    expect(responder.payload('editReply').content).toBe('done');
  });

  it('after a public deferral, answers an error privately and removes the "thinking…" message', async () => {
    slow = gate();
    const responder = deferring(new RecordingResponder());
    await router({ deferAfterMs: 1 }).handleCommand({ command: 'slowerror', options: {}, invoker: INVOKER }, responder);
    expect(responder.names).toEqual(['deferReply', 'followUp', 'deleteReply']);
    expect(responder.payload('followUp')).toMatchObject({ content: 'Nothing to show.', flags: 64 });
    expect(acknowledgements(responder)).toBe(1);
  });

  it('defers a slow pager click as an update, then edits the message', async () => {
    slow = gate();
    const responder = deferring(new RecordingResponder());
    await router({ deferAfterMs: 1 }).handleComponent({ customId: 'pager:page:1', values: [], invoker: INVOKER, messageCreatedAt: null }, responder);
    expect(responder.names).toEqual(['deferUpdate', 'editReply']);
    expect(responder.payload('editReply').content).toBe('page 2');
  });

  it('defers any other slow click as an ephemeral reply', async () => {
    slow = gate();
    const responder = deferring(new RecordingResponder());
    await router({ deferAfterMs: 1 }).handleComponent({ customId: 'pager:open', values: ['x'], invoker: INVOKER, messageCreatedAt: null }, responder);
    expect(responder.calls[0]).toEqual(['deferReply', true]);
    expect(responder.names).toEqual(['deferReply', 'editReply']);
  });

  it('updates the message in place for a fast pager click', async () => {
    slow.open();
    const responder = new RecordingResponder();
    await router().handleComponent({ customId: 'pager:page:1', values: [], invoker: INVOKER, messageCreatedAt: null }, responder);
    expect(responder.names).toEqual(['update']);
  });

  it('answers a click for a command it does not know', async () => {
    const responder = new RecordingResponder();
    await router().handleComponent({ customId: 'gone:page:1', values: [], invoker: INVOKER, messageCreatedAt: null }, responder);
    expect(responder.payload('reply')).toMatchObject({ flags: 64 });
    expect(responder.payload('reply').content).toMatchInlineSnapshot(`"This command or button is not available any more. Run the command again."`);
  });

  it('survives a failed send (an interaction Discord no longer knows) and logs it', async () => {
    const responder = new RecordingResponder();
    responder.failWith = Object.assign(new Error('Unknown interaction'), { code: 10062 });
    await expect(router().handleCommand({ command: 'fast', options: {}, invoker: INVOKER }, responder)).resolves.toBeUndefined();
    expect(logLines.findLast((l) => l['msg'] === 'interaction')).toMatchObject({ command: 'fast', outcome: 'send-failed' });
  });

  it('counts the deferral deadline from the interaction\'s creation: one created long ago is deferred before its handler runs', async () => {
    const responder = new RecordingResponder();
    let deferredBeforeHandler: boolean | null = null;
    const r = new InteractionRouter({
      commands: registerCommands([{ file: 'probe', exported: { data: { name: 'probe', description: 'notes' }, execute: () => ((deferredBeforeHandler = responder.names.includes('deferReply')), { content: 'answer' }) } }]),
      context: ctx,
      log: ctx.log,
    });
    // Created 2 s ago (it waited behind a burst): DEFER_AFTER_MS from creation has passed, so the deferral goes first.
    await r.handleCommand({ command: 'probe', options: {}, invoker: { ...INVOKER, createdAt: Date.now() - 2_000 } }, responder);
    expect(deferredBeforeHandler).toBe(true);
    expect(responder.names).toEqual(['deferReply', 'editReply']);
    // Created now, the same fast handler is answered with one reply.
    const fresh = new RecordingResponder();
    await r.handleCommand({ command: 'probe', options: {}, invoker: { ...INVOKER, createdAt: Date.now() } }, fresh);
    expect(fresh.names).toEqual(['reply']);
  });

  it('answers autocomplete that waited past its deadline since creation with no choices, without running the handler', async () => {
    const answers: unknown[][] = [];
    // Past the autocomplete deadline (2.5 s), still inside Discord's 3 s.
    await router().handleAutocomplete({ command: 'complete', options: {}, invoker: { ...INVOKER, createdAt: Date.now() - 2_700 }, focused: { name: 'q', value: '' } }, async (choices) => void answers.push(choices));
    expect(answers).toEqual([[]]);
    expect(logLines.findLast((l) => l['msg'] === 'interaction')).toMatchObject({ kind: 'autocomplete', outcome: 'timeout' });
  });

  it('neither acknowledges nor runs an interaction older than Discord\'s 3 s, which Discord would refuse any answer', async () => {
    let ran = 0;
    const r = new InteractionRouter({
      commands: registerCommands([{ file: 'probe', exported: { data: { name: 'probe', description: 'counts' }, execute: () => ((ran += 1), { content: 'answer' }), autocomplete: () => ((ran += 1), []) } }]),
      context: ctx,
      log: ctx.log,
    });
    const responder = new RecordingResponder();
    await r.handleCommand({ command: 'probe', options: {}, invoker: { ...INVOKER, createdAt: Date.now() - 3_500 } }, responder);
    expect(responder.names).toEqual([]);
    expect(logLines.findLast((l) => l['msg'] === 'interaction')).toMatchObject({ command: 'probe', outcome: 'expired' });
    const answers: unknown[][] = [];
    await r.handleAutocomplete({ command: 'probe', options: {}, invoker: { ...INVOKER, createdAt: Date.now() - 3_500 }, focused: { name: 'q', value: '' } }, async (choices) => void answers.push(choices));
    expect(answers).toEqual([]);
    expect(ran).toBe(0);
    // Inside the 3 s, the same interaction is answered.
    await r.handleCommand({ command: 'probe', options: {}, invoker: { ...INVOKER, createdAt: Date.now() - 2_500 } }, responder);
    expect(responder.names).toEqual(['deferReply', 'editReply']);
    expect(ran).toBe(1);
  });

  it('defers every interaction of a burst before any handler runs, and runs autocompletes first', async () => {
    const responders = Array.from({ length: DEFER_AT_ONCE_WAITING + 2 }, () => new RecordingResponder());
    const order: string[] = [];
    const r = new InteractionRouter({
      commands: registerCommands([
        {
          file: 'probe',
          exported: {
            data: { name: 'probe', description: 'notes' },
            // Each handler notes how many of the burst were deferred when it ran.
            execute: () => (order.push(`command ${responders.filter((responder) => responder.names.includes('deferReply')).length}`), { content: 'answer' }),
            autocomplete: () => (order.push('autocomplete'), [{ name: 'a', value: 'a' }]),
          },
        },
      ]),
      context: ctx,
      log: ctx.log,
    });
    // All created now: the first DEFER_AT_ONCE_WAITING are not deferred on arrival, but the burst behind them holds
    // their handlers, and they are deferred too before any handler runs.
    const commands = responders.map((responder) => r.handleCommand({ command: 'probe', options: {}, invoker: { ...INVOKER, createdAt: Date.now() } }, responder));
    const completing = r.handleAutocomplete({ command: 'probe', options: {}, invoker: { ...INVOKER, createdAt: Date.now() }, focused: { name: 'q', value: '' } }, async () => {});
    await Promise.all([...commands, completing]);
    expect(order).toEqual(['autocomplete', ...responders.map(() => `command ${responders.length}`)]);
    for (const responder of responders) expect(responder.names).toEqual(['deferReply', 'editReply']);
  });

  it('holds the handlers of a burst until its deferrals are through, so they go before the answers\' REST calls', async () => {
    const through = gate();
    let deferralsThrough = false;
    const ranWhileDeferring: boolean[] = [];
    const r = new InteractionRouter({
      commands: registerCommands([{ file: 'probe', exported: { data: { name: 'probe', description: 'notes' }, execute: () => (ranWhileDeferring.push(!deferralsThrough), { content: 'answer' }) } }]),
      context: ctx,
      log: ctx.log,
    });
    const responders = Array.from({ length: DEFER_AT_ONCE_WAITING + 2 }, () => {
      const responder = new RecordingResponder();
      // A deferral that takes its time on the way to Discord (a REST call).
      responder.deferReply = (ephemeral: boolean) => (responder.calls.push(['deferReply', ephemeral]), through.wait);
      return responder;
    });
    const handled = Promise.all(responders.map((responder) => r.handleCommand({ command: 'probe', options: {}, invoker: { ...INVOKER, createdAt: Date.now() } }, responder)));
    setTimeout(() => {
      deferralsThrough = true;
      through.open();
    }, 200);
    await handled;
    expect(ranWhileDeferring).toEqual(responders.map(() => false));
    for (const responder of responders) expect(responder.names).toEqual(['deferReply', 'editReply']);
  });

  it('sheds load past the waiting limit with an ephemeral "busy", never silence', async () => {
    const r = router({ maxWaiting: 2 });
    const responders = Array.from({ length: 5 }, () => new RecordingResponder());
    await Promise.all(responders.map((responder) => r.handleCommand({ command: 'fast', options: {}, invoker: INVOKER }, responder)));
    expect(responders.map((responder) => responder.payload('reply').content)).toEqual(['hello @everyone', 'hello @everyone', BUSY_MESSAGE, BUSY_MESSAGE, BUSY_MESSAGE]);
    expect(responders[4]!.payload('reply').flags).toBe(64);
    expect(BUSY_MESSAGE).toMatchInlineSnapshot(`"The bot is busy; try again in a few seconds."`);
  });

  it('tells the member the database is unreachable (not a generic apology) when it does not answer', async () => {
    const responder = new RecordingResponder();
    await router().handleCommand({ command: 'nodb', options: {}, invoker: INVOKER }, responder);
    expect(responder.payload('reply')).toMatchObject({ content: DATABASE_UNREACHABLE_MESSAGE, flags: 64 });
    expect(DATABASE_UNREACHABLE_MESSAGE).toMatchInlineSnapshot(`"The bot's database is unreachable; try again shortly."`);
  });

  it('answers autocomplete with at most 25 clipped choices', async () => {
    const answers: unknown[][] = [];
    await router().handleAutocomplete({ command: 'complete', options: {}, invoker: INVOKER, focused: { name: 'q', value: '' } }, async (choices) => void answers.push(choices));
    expect(answers).toHaveLength(1);
    expect(answers[0]).toHaveLength(25);
    expect((answers[0]![0] as { name: string }).name).toHaveLength(100);
  });

  it('answers autocomplete with no choices when the handler throws or hangs past the deadline', async () => {
    const answers: unknown[][] = [];
    const r = router({ autocompleteDeadlineMs: 1 });
    await r.handleAutocomplete({ command: 'complete', options: {}, invoker: INVOKER, focused: { name: 'q', value: 'throw' } }, async (choices) => void answers.push(choices));
    await r.handleAutocomplete({ command: 'complete', options: {}, invoker: INVOKER, focused: { name: 'q', value: 'hang' } }, async (choices) => void answers.push(choices));
    expect(answers).toEqual([[], []]);
  });

  it('after close, tells new interactions the bot is restarting and drains the ones in flight', async () => {
    const held = gate();
    const r = new InteractionRouter({
      commands: registerCommands([{ file: 'held', exported: { data: { name: 'held', description: 'waits' }, execute: async () => (await held.wait, { content: 'finished' }) } }]),
      context: ctx,
      log: ctx.log,
    });
    const inFlight = new RecordingResponder();
    const running = r.handleCommand({ command: 'held', options: {}, invoker: INVOKER }, inFlight);
    r.close();
    const late = new RecordingResponder();
    await r.handleCommand({ command: 'held', options: {}, invoker: INVOKER }, late);
    expect(late.payload('reply')).toMatchObject({ content: 'The bot is restarting; try again in a minute.', flags: 64 });
    expect(r.inFlight).toBe(1);
    const drained = r.drain(10_000);
    held.open();
    expect(await drained).toBe(true);
    await running;
    expect(inFlight.payload('reply').content).toBe('finished');
  });
});
