import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.secret-part-of-the-token';

function errorOf(env: Record<string, string>, options?: { requireToken?: boolean }): ConfigError {
  try {
    loadConfig(env, options);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills every default from a token alone, frozen', () => {
    const config = loadConfig({ DISCORD_TOKEN: TOKEN });
    expect(config).toEqual({
      discordToken: TOKEN,
      discordClientId: null,
      discordGuildId: null,
      discordApiUrl: 'https://discord.com/api',
      dataDir: 'data',
      profilesDir: 'data/profiles',
      stateDir: '.state',
      databaseUrl: 'sqlite:.state/paperbot.db',
      announceChannelId: null,
      announceBackfill: 0,
      announceMaxPapers: 10,
      announceLeaseMs: 20_000,
      discordRestTimeoutMs: 15_000,
      announceSettleMs: 5_000,
      logLevel: 'info',
      corpusAsOf: null,
      discordPublicKey: null,
      port: 8080,
      host: '0.0.0.0',
      healthPort: null,
      shardCount: null,
      openalexApiUrl: 'https://api.openalex.org',
      arxivApiUrl: 'https://export.arxiv.org/api',
      crossrefApiUrl: 'https://api.crossref.org',
      arxivIntervalMs: 3_000,
      sourcesRefreshMs: 21_600_000,
      siteUrl: null,
      siteTitle: 'Publications',
      webPort: null,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the sources settings and refuses a base that is not an http(s) URL', () => {
    const config = loadConfig({ OPENALEX_API_URL: 'http://127.0.0.1:9/oa/', ARXIV_API_URL: 'http://127.0.0.1:9/ax', CROSSREF_API_URL: 'http://127.0.0.1:9/cr', SOURCES_REFRESH_MS: '5000' }, { requireToken: false });
    expect([config.openalexApiUrl, config.arxivApiUrl, config.crossrefApiUrl, config.sourcesRefreshMs]).toEqual(['http://127.0.0.1:9/oa', 'http://127.0.0.1:9/ax', 'http://127.0.0.1:9/cr', 5_000]);
    expect(() => loadConfig({ CROSSREF_API_URL: 'ftp://x', SOURCES_REFRESH_MS: '10' }, { requireToken: false })).toThrow(/CROSSREF_API_URL must be an http\(s\) URL[\s\S]*SOURCES_REFRESH_MS must be a whole number ≥ 1000/);
  });

  it('reads the site settings: the base URL ends in a slash, and a base that is no http(s) URL is named', () => {
    const config = loadConfig({ SITE_URL: 'https://lab.example.org/papers', SITE_TITLE: 'Lab papers', WEB_PORT: '8081' }, { requireToken: false });
    expect([config.siteUrl, config.siteTitle, config.webPort]).toEqual(['https://lab.example.org/papers/', 'Lab papers', 8081]);
    expect(() => loadConfig({ SITE_URL: 'lab.example.org' }, { requireToken: false })).toThrow(/SITE_URL must be the absolute http\(s\) URL/);
  });

  it('reads the settings of serve, health and sharding', () => {
    const key = 'AB'.repeat(32);
    const config = loadConfig({ DISCORD_PUBLIC_KEY: key, PORT: '9000', HOST: '127.0.0.1', HEALTH_PORT: '9090', SHARD_COUNT: '4' }, { requireToken: false, requirePublicKey: true });
    expect([config.discordPublicKey, config.port, config.host, config.healthPort, config.shardCount]).toEqual([key.toLowerCase(), 9000, '127.0.0.1', 9090, 4]);
    expect(loadConfig({ SHARD_COUNT: 'auto' }, { requireToken: false }).shardCount).toBe('auto');
  });

  it('names every bad serve setting, and a missing public key where serve needs it', () => {
    expect(() => loadConfig({ PORT: '70000', HEALTH_PORT: 'x', SHARD_COUNT: '0', DISCORD_PUBLIC_KEY: 'abc' }, { requireToken: false, requirePublicKey: true })).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: config: the environment is not usable:
        - DISCORD_PUBLIC_KEY must be the 64 hex digits of the public key from the developer portal (General Information → Public Key)
        - PORT must be a TCP port number (0–65535): where \`serve\` listens, e.g. 8080
        - HEALTH_PORT must be a TCP port number (0–65535): where the gateway bot serves /healthz, /readyz and /metrics, e.g. 9090
        - SHARD_COUNT must be "auto" or a number of shards from 1, e.g. 2
      Set these in .env (see .env.example) or in the environment, then start again.]
    `);
    expect(() => loadConfig({}, { requireToken: false, requirePublicKey: true })).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: config: the environment is not usable:
        - DISCORD_PUBLIC_KEY is missing: copy the public key from the Discord developer portal (General Information → Public Key)
      Set these in .env (see .env.example) or in the environment, then start again.]
    `);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_CLIENT_ID: '123456789012345678',
      DISCORD_GUILD_ID: '223456789012345678',
      DISCORD_API_URL: 'http://127.0.0.1:4000/api/',
      DATA_DIR: '/srv/lab',
      STATE_DIR: '/var/lib/paperbot',
      DATABASE_URL: 'postgres://paperbot:secret@db:5432/paperbot',
      ANNOUNCE_CHANNEL_ID: '323456789012345678',
      ANNOUNCE_BACKFILL: '3',
      ANNOUNCE_MAX_PAPERS: '25',
      ANNOUNCE_LEASE_MS: '60000',
      DISCORD_REST_TIMEOUT_MS: '5000',
      ANNOUNCE_SETTLE_MS: '1500',
      LOG_LEVEL: 'debug',
      CORPUS_AS_OF: '2025-11-01',
    });
    expect(config).toMatchObject({
      discordClientId: '123456789012345678',
      discordGuildId: '223456789012345678',
      discordApiUrl: 'http://127.0.0.1:4000/api',
      profilesDir: '/srv/lab/profiles',
      stateDir: '/var/lib/paperbot',
      databaseUrl: 'postgres://paperbot:secret@db:5432/paperbot',
      announceChannelId: '323456789012345678',
      announceBackfill: 3,
      announceMaxPapers: 25,
      announceLeaseMs: 60_000,
      discordRestTimeoutMs: 5_000,
      announceSettleMs: 1_500,
      logLevel: 'debug',
    });
    expect(config.corpusAsOf?.toISOString()).toBe('2025-11-01T00:00:00.000Z');
  });

  it('keeps the default database in STATE_DIR', () => {
    expect(loadConfig({ DISCORD_TOKEN: TOKEN, STATE_DIR: '/var/lib/paperbot' }).databaseUrl).toBe('sqlite:/var/lib/paperbot/paperbot.db');
  });

  it("takes systemd's STATE_DIRECTORY (its first path) when STATE_DIR is unset, and STATE_DIR over it", () => {
    const systemd = { DISCORD_TOKEN: TOKEN, STATE_DIRECTORY: '/var/lib/paperbot:/var/lib/other' };
    expect(loadConfig(systemd).stateDir).toBe('/var/lib/paperbot');
    expect(loadConfig(systemd).databaseUrl).toBe('sqlite:/var/lib/paperbot/paperbot.db');
    expect(loadConfig({ ...systemd, STATE_DIR: '/srv/state' }).stateDir).toBe('/srv/state');
    expect(loadConfig({ ...systemd, STATE_DIR: '' }).stateDir).toBe('/var/lib/paperbot');
  });

  it('refuses a DATABASE_URL of another engine', () => {
    expect(errorOf({ DISCORD_TOKEN: TOKEN, DATABASE_URL: 'mysql://db/paperbot' }).problems).toEqual([
      'DATABASE_URL must be sqlite:<file> (e.g. sqlite:.state/paperbot.db) or postgres://user:password@host:5432/paperbot',
    ]);
  });

  it('treats empty and blank strings as missing', () => {
    const config = loadConfig({ DISCORD_TOKEN: TOKEN, DATA_DIR: '', LOG_LEVEL: '  ', DISCORD_GUILD_ID: '', ANNOUNCE_BACKFILL: '' });
    expect(config).toMatchObject({ dataDir: 'data', logLevel: 'info', discordGuildId: null, announceBackfill: 0 });
  });

  it('needs no token for offline tools', () => {
    expect(loadConfig({}, { requireToken: false }).discordToken).toBeNull();
  });

  it('names every bad variable at once, with how to fix it', () => {
    const error = errorOf({
      DISCORD_GUILD_ID: 'my-server',
      DISCORD_API_URL: 'ftp://discord.com/api',
      ANNOUNCE_BACKFILL: '-1',
      ANNOUNCE_SETTLE_MS: '5s',
      LOG_LEVEL: 'loud',
      CORPUS_AS_OF: '2025-02-30',
    });
    expect(error.message).toMatchInlineSnapshot(`
      "config: the environment is not usable:
        - DISCORD_TOKEN is missing: copy the bot token from the Discord developer portal (Bot → Reset Token)
        - DISCORD_GUILD_ID must be a Discord id (17 to 20 digits): the server's id (Developer Mode on, right-click the server → Copy Server ID)
        - DISCORD_API_URL must be an http(s) URL such as https://discord.com/api
        - ANNOUNCE_BACKFILL must be a whole number ≥ 0: how many existing papers to announce at first start, e.g. 0
        - ANNOUNCE_SETTLE_MS must be a whole number ≥ 0: milliseconds a changed page must stay unchanged before it is announced, e.g. 5000
        - LOG_LEVEL must be one of debug, info, warn, error (any case)
        - CORPUS_AS_OF must be a date as YYYY-MM-DD, e.g. 2025-11-01
      Set these in .env (see .env.example) or in the environment, then start again."
    `);
  });

  it('reads LOG_LEVEL in any case', () => {
    expect(loadConfig({ DISCORD_TOKEN: TOKEN, LOG_LEVEL: 'WARN' }).logLevel).toBe('warn');
    expect(loadConfig({ DISCORD_TOKEN: TOKEN, LOG_LEVEL: 'Debug' }).logLevel).toBe('debug');
  });

  it('takes ids only as 17 to 20 digits, the length of a Discord id', () => {
    const ids = { DISCORD_CLIENT_ID: '12345678901234567', DISCORD_GUILD_ID: '12345678901234567890', ANNOUNCE_CHANNEL_ID: '323456789012345678' };
    expect(loadConfig({ DISCORD_TOKEN: TOKEN, ...ids })).toMatchObject({ discordClientId: ids.DISCORD_CLIENT_ID, discordGuildId: ids.DISCORD_GUILD_ID });
    const error = errorOf({ DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: '1234567890123456', DISCORD_GUILD_ID: '123456789012345678901', ANNOUNCE_CHANNEL_ID: '#general' });
    expect(error.problems.map((problem) => problem.split(' ')[0])).toEqual(['DISCORD_CLIENT_ID', 'DISCORD_GUILD_ID', 'ANNOUNCE_CHANNEL_ID']);
    expect(error.problems[0]).toMatchInlineSnapshot(`"DISCORD_CLIENT_ID must be a Discord id (17 to 20 digits): the application id from the developer portal (General Information)"`);
  });

  it('names bad announcement limits and timeouts with what they are', () => {
    const error = errorOf({ DISCORD_TOKEN: TOKEN, ANNOUNCE_MAX_PAPERS: '0', ANNOUNCE_LEASE_MS: 'soon', DISCORD_REST_TIMEOUT_MS: '500' });
    expect(error.problems).toMatchInlineSnapshot(`
      [
        "ANNOUNCE_MAX_PAPERS must be a whole number ≥ 1: the most new papers of one reload announced one by one; more become one summary, e.g. 10",
        "ANNOUNCE_LEASE_MS must be a whole number ≥ 1000: milliseconds after which a bot that stopped renewing the announcer lease loses it, e.g. 20000",
        "DISCORD_REST_TIMEOUT_MS must be a whole number ≥ 1000: milliseconds to wait for Discord's answer to a request before retrying it, e.g. 15000",
      ]
    `);
  });

  it('never prints the token, not even in part, when the token itself is bad', () => {
    const bad = `Bot ${TOKEN}`;
    const error = errorOf({ DISCORD_TOKEN: bad, LOG_LEVEL: 'loud' });
    expect(error.problems).toHaveLength(2);
    for (const piece of TOKEN.split('.')) expect(error.message).not.toContain(piece.slice(0, 6));
    expect(JSON.stringify(error)).not.toContain('secret');
  });
});
