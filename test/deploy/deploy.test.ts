/**
 * deploy/ as far as this machine can check it without a container engine: the Dockerfile lints clean
 * (dockerfile-utils, the linter of VS Code's Docker support) and its stages run what the repository runs;
 * compose.yaml parses and wires two replicas to Postgres behind one address; the systemd unit passes
 * `systemd-analyze verify`. The HEALTHCHECK command itself runs against a live server in test/e2e/serve.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { SHUTDOWN_GRACE_MS } from '../../src/discord/router.js';
import { REPO_ROOT } from '../e2e/bot-process.js';
import { dockerStages } from './dockerfile.js';

const read = (file: string): string => readFileSync(path.join(REPO_ROOT, file), 'utf8');
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
/** Every setting .env.example documents. */
const SETTINGS = new Set([...read('.env.example').matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]));

describe('deploy/Dockerfile', () => {
  const text = read('deploy/Dockerfile');
  const stages = dockerStages(text);
  const runtime = stages.at(-1)!;
  const find = (keyword: string) => runtime.instructions.filter((i) => i.keyword === keyword);

  it('lints clean', () => {
    expect(validate(text).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('builds in stages on the Node the project needs, and runs as a non-root user with a HEALTHCHECK', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    const [major = 0, minor = 0] = engines.replace(/^>=/, '').split('.').map(Number);
    for (const stage of stages) {
      const version = /^node:(\d+)\.(\d+)/.exec(stage.from);
      expect(version, stage.from).not.toBeNull();
      expect(Number(version![1]) > major || (Number(version![1]) === major && Number(version![2]) >= minor)).toBe(true);
    }
    const user = find('USER').at(-1)?.args;
    expect(user && !['root', '0'].includes(user)).toBe(true);
    const userAt = runtime.instructions.findIndex((i) => i.keyword === 'USER');
    expect(userAt).toBeLessThan(runtime.instructions.findIndex((i) => i.keyword === 'CMD'));
    expect(find('HEALTHCHECK')).toHaveLength(1);
  });

  it('starts what `npm run serve` runs, copies only files that exist, and installs from the lock file', () => {
    expect(JSON.parse(find('CMD')[0]!.args)).toEqual(scripts['serve']!.split(/\s+/));
    for (const stage of stages) {
      for (const copy of stage.instructions.filter((i) => i.keyword === 'COPY' && !i.args.includes('--from'))) {
        const parts = copy.args.split(/\s+/).filter((p) => !p.startsWith('--'));
        for (const source of parts.slice(0, -1)) expect(existsSync(path.join(REPO_ROOT, source)), source).toBe(true);
      }
    }
    const install = stages[0]!.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n');
    expect(install).toMatch(/npm ci --omit=dev/);
    for (const env of find('ENV').flatMap((i) => [...i.args.matchAll(/([A-Z_]+)=/g)].map((m) => m[1]))) {
      if (env !== 'NODE_ENV') expect(SETTINGS.has(env), `${env} is not in .env.example`).toBe(true);
    }
  });
});

describe('deploy/compose.yaml', () => {
  type Service = { build?: { context: string; dockerfile: string }; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }> | string[]; command?: string[]; stop_grace_period?: string; image?: string };
  const compose = parseYaml(read('deploy/compose.yaml'), { merge: true }) as { services: Record<string, Service> };
  const replicas = Object.entries(compose.services).filter(([, s]) => s.build);

  it('parses, with Postgres and two replicas built from deploy/Dockerfile', () => {
    expect(compose.services['postgres']?.image).toMatch(/^postgres:/);
    expect(replicas.map(([name]) => name)).toHaveLength(2);
    for (const [, replica] of replicas) {
      const context = path.resolve(REPO_ROOT, 'deploy', replica.build!.context);
      expect(existsSync(path.join(context, replica.build!.dockerfile))).toBe(true);
    }
  });

  it('points every replica at the Postgres service, waits for it, and sets only known settings', () => {
    for (const [name, replica] of replicas) {
      expect(replica.environment?.['DATABASE_URL'], name).toMatch(/^postgres:\/\/paperbot:.*@postgres:5432\/paperbot$/);
      expect(replica.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
      for (const key of Object.keys(replica.environment ?? {})) expect(SETTINGS.has(key), `${key} is not in .env.example`).toBe(true);
      expect(Number.parseInt(replica.stop_grace_period ?? '0', 10) * 1000).toBeGreaterThan(SHUTDOWN_GRACE_MS * 2);
    }
  });

  it('puts both replicas behind one address', () => {
    const proxy = Object.values(compose.services).find((s) => s.command?.includes('reverse-proxy'));
    const targets = (proxy?.command ?? []).flatMap((arg, i, all) => (all[i - 1] === '--to' ? [arg.split(':')[0]] : []));
    expect(targets.sort()).toEqual(replicas.map(([name]) => name).sort());
  });
});

describe('deploy/paperbot.service', () => {
  const unit = read('deploy/paperbot.service');
  const value = (key: string): string | undefined => new RegExp(`^${key}=(.*)$`, 'm').exec(unit)?.[1];

  it('passes systemd-analyze verify', () => {
    const result = spawnSync('systemd-analyze', ['verify', path.join(REPO_ROOT, 'deploy/paperbot.service')], { encoding: 'utf8' });
    expect(result.error, 'systemd-analyze is needed (Debian: systemd)').toBeUndefined();
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
  });

  it('runs the entry as `npm start` does, as a non-root user, stopped by SIGTERM with time to finish', () => {
    expect(value('ExecStart')?.split(' ')).toEqual(['/usr/bin/node', ...scripts['start']!.split(/\s+/).slice(1)]);
    expect(['root', '0', undefined]).not.toContain(value('User'));
    expect(value('KillSignal')).toBe('SIGTERM');
    expect(Number(value('TimeoutStopSec')) * 1000).toBeGreaterThan(SHUTDOWN_GRACE_MS * 2);
  });
});
