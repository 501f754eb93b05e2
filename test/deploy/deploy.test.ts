/**
 * deploy/ as far as this machine can check it without a container engine or systemd as PID 1: the Dockerfile lints
 * clean (dockerfile-utils, the linter of VS Code's Docker support) and its stages run what the repository runs;
 * compose.yaml is valid against the Compose Specification's JSON schema and wires two replicas to Postgres behind
 * Caddy on PAPERBOT_DOMAIN:443; the systemd unit passes `systemd-analyze verify`; a copy of .env.example as the env
 * file overrides nothing. The HEALTHCHECK command itself runs against a live server in test/e2e/serve.test.ts, and
 * the unit's command with the environment systemd gives it in test/e2e/unit.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { validate } from 'dockerfile-utils';
import { parse as parseDotenv } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { SHUTDOWN_GRACE_MS } from '../../src/discord/router.js';
import { REPO_ROOT } from '../e2e/bot-process.js';
import { dockerStages } from './dockerfile.js';

const read = (file: string): string => readFileSync(path.join(REPO_ROOT, file), 'utf8');
const manifest = JSON.parse(read('package.json')) as { scripts: Record<string, string>; dependencies: Record<string, string> };
const scripts = manifest.scripts;
/** Every setting .env.example documents, set or commented out. */
const SETTINGS = new Set([...read('.env.example').matchAll(/^(?:# )?([A-Z_]+)=/gm)].map((m) => m[1]));
/** What the platform sets, not the admin: Node's, and systemd's StateDirectory= (which the image imitates). */
const PLATFORM_VARIABLES = new Set(['NODE_ENV', 'STATE_DIRECTORY']);

describe('.env.example', () => {
  it('copied unchanged as an env file, sets nothing: every line it does not comment out is empty', () => {
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.secret-part-of-the-token';
    const copied = parseDotenv(read('.env.example'));
    expect(Object.keys(copied).length).toBeGreaterThan(0);
    const systemd = { STATE_DIRECTORY: '/var/lib/paperbot' };
    expect(loadConfig({ ...copied, ...systemd, DISCORD_TOKEN: token })).toEqual(loadConfig({ ...systemd, DISCORD_TOKEN: token }));
    expect(Object.entries(copied).filter(([, value]) => value !== '')).toEqual([]);
  });

  it('documents every setting config.ts reads', () => {
    const read_ = [...read('src/config.ts').matchAll(/^ {2}([A-Z_]+): /gm)].map((m) => m[1]);
    expect(read_.length).toBeGreaterThan(10);
    expect(read_.filter((name) => !SETTINGS.has(name))).toEqual([]);
  });
});

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
    expect(find('HEALTHCHECK')[0]!.args).toContain('/healthz');
  });

  it('leaves the pages out of the image: data/ is a volume, made writable for the bot', () => {
    const copied = stages.flatMap((stage) => stage.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args.split(/\s+/).filter((p) => !p.startsWith('--'))));
    expect(copied.flatMap((parts) => parts.slice(0, -1)).filter((source) => /^(\.\/)?data(\/|$)/.test(source))).toEqual([]);
    const volumes = find('VOLUME').flatMap((i) => JSON.parse(i.args) as string[]);
    const dataDir = find('ENV').map((i) => /DATA_DIR=(\S+)/.exec(i.args)?.[1]).find(Boolean);
    expect(volumes).toContain(dataDir);
    expect(find('RUN').map((i) => i.args).join('\n')).toMatch(new RegExp(`chown -R node:node .*${dataDir}`));
  });

  it('runs the sources with tsx, which `npm ci --omit=dev` keeps: a dependency, not a dev dependency', () => {
    expect(scripts['serve']).toContain('--import tsx');
    expect(manifest.dependencies['tsx']).toBeDefined();
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
      if (!PLATFORM_VARIABLES.has(env!)) expect(SETTINGS.has(env), `${env} is not in .env.example`).toBe(true);
    }
    // The image's state folder is the fallback a copied env file leaves alone, not a STATE_DIR it would override.
    expect(find('ENV').map((i) => i.args).join(' ')).not.toMatch(/\bSTATE_DIR=/);
  });
});

describe('deploy/compose.yaml', () => {
  type Service = { build?: { context: string; dockerfile: string }; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }> | string[]; command?: string[]; stop_grace_period?: string; image?: string; ports?: string[] };
  const compose = parseYaml(read('deploy/compose.yaml'), { merge: true }) as { services: Record<string, Service> };
  const replicas = Object.entries(compose.services).filter(([, s]) => s.build);

  it("is valid against the Compose Specification's JSON schema", () => {
    // compose-spec/compose-spec's schema/compose-spec.json (test/fixtures/compose-spec/NOTICE.md), draft-07.
    const schema = JSON.parse(read('test/fixtures/compose-spec/compose-spec.json')) as Record<string, unknown>;
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
    addFormats.default(ajv);
    const check = ajv.compile(schema);
    expect(check(compose), JSON.stringify(check.errors, null, 1)).toBe(true);
    // The schema can fail: a service with a key Compose does not know.
    expect(check({ ...compose, services: { ...compose.services, postgres: { ...compose.services['postgres'], restart_policy: 'always' } } })).toBe(false);
  });

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

  it('puts both replicas behind one HTTPS address: Caddy on PAPERBOT_DOMAIN, ports 80 and 443', () => {
    const proxy = Object.values(compose.services).find((s) => s.command?.includes('reverse-proxy'));
    const targets = (proxy?.command ?? []).flatMap((arg, i, all) => (all[i - 1] === '--to' ? [arg.split(':')[0]] : []));
    expect(targets.sort()).toEqual(replicas.map(([name]) => name).sort());
    const from = proxy!.command![proxy!.command!.indexOf('--from') + 1];
    // A host name, so Caddy gets a certificate for it; a required variable, so compose refuses to start without it.
    expect(from).toMatch(/^\$\{PAPERBOT_DOMAIN:\?[^}]+\}$/);
    expect(proxy!.ports).toEqual(expect.arrayContaining(['80:80', '443:443']));
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
    expect(value('ExecStart')?.split(' ')).toEqual(scripts['start']!.split(/\s+/));
    expect(['root', '0', undefined]).not.toContain(value('User'));
    expect(value('KillSignal')).toBe('SIGTERM');
    expect(Number(value('TimeoutStopSec')) * 1000).toBeGreaterThan(SHUTDOWN_GRACE_MS * 2);
  });

  it('keeps its state in StateDirectory= and sets no STATE_DIR an env file could override', () => {
    expect(value('StateDirectory')).toBe('paperbot');
    expect(unit).not.toMatch(/^Environment=.*STATE_DIR=/m);
    expect(value('EnvironmentFile')).toBe('/etc/paperbot/env');
  });
});
