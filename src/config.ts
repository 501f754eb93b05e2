/**
 * The environment, parsed once against one zod schema and frozen. Empty strings count as missing.
 * On failure: one message naming every bad variable and how to fix it; the token is never printed.
 */
import path from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from './log.js';
import { DEFAULT_LEASE_MS } from './db/lease.js';

/** The bot's settings, as every part of it reads them (each one's doc is in `loadConfig`). */
export type Config = ReturnType<typeof loadConfig>;

/** What `loadConfig` requires beyond the schema: offline tools need no token, `serve` needs the public key. */
export interface LoadConfigOptions {
  requireToken?: boolean;
  requirePublicKey?: boolean;
}

/** A bad environment: `message` names every bad variable and how to fix it (and never a value). */
export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`config: the environment is not usable:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSet these in .env (see .env.example) or in the environment, then start again.`);
  }
}

const DEFAULT_PORT = 8080;
// Every interface: a container's port is published from outside it.
const DEFAULT_HOST = '0.0.0.0';
const DEFAULT_ANNOUNCE_SETTLE_MS = 5_000;
const DEFAULT_STATE_DIR = '.state';
/** The SQLite file in STATE_DIR used when DATABASE_URL is not set. */
const DEFAULT_DATABASE_FILE = 'paperbot.db';
const DEFAULT_ANNOUNCE_MAX_PAPERS = 10;
/** discord.js's own default. */
const DEFAULT_REST_TIMEOUT_MS = 15_000;
/** arXiv's terms: one request every three seconds. */
const DEFAULT_ARXIV_INTERVAL_MS = 3_000;
const DEFAULT_SOURCES_REFRESH_MS = 6 * 60 * 60 * 1_000;
const DEFAULT_SITE_TITLE = 'Publications';

// An optional variable whose value passes `test`; `error` says what it must be.
const checked = (test: (value: string) => boolean, error: string) => z.string().refine(test, { error }).optional();

// A whole number ≥ `min` (at most 9 digits), explained with `what` when it is not.
const wholeNumber = (variable: string, min: number, what: string) =>
  checked((value) => /^\d{1,9}$/.test(value) && Number(value) >= min, `${variable} must be a whole number ≥ ${min}: ${what}`);

const port = (variable: string, what: string) =>
  checked((value) => /^\d{1,5}$/.test(value) && Number(value) <= 65_535, `${variable} must be a TCP port number (0–65535): ${what}`);

// An API base as discord.js's `rest.api` option and our clients take it: no trailing slash.
const apiUrl = (variable: string, fallback: string) =>
  checked(isHttpUrl, `${variable} must be an http(s) URL such as ${fallback}`).transform((url = fallback) => url.replace(/\/+$/, ''));

// A Discord id (a snowflake): 17 to 20 digits for anything created since 2015.
const snowflake = (variable: string, what: string) =>
  z.string().regex(/^\d{17,20}$/, { error: `${variable} must be a Discord id (17 to 20 digits): ${what}` }).optional();

const EnvSchema = z.object({
  DISCORD_TOKEN: checked((value) => /^\S+$/.test(value), 'DISCORD_TOKEN contains spaces: paste the bot token alone, without "Bot " or quotes'),
  DISCORD_CLIENT_ID: snowflake('DISCORD_CLIENT_ID', 'the application id from the developer portal (General Information)'),
  DISCORD_GUILD_ID: snowflake('DISCORD_GUILD_ID', "the server's id (Developer Mode on, right-click the server → Copy Server ID)"),
  DISCORD_API_URL: apiUrl('DISCORD_API_URL', 'https://discord.com/api'),
  DATA_DIR: z.string().optional(),
  STATE_DIR: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, { error: 'DATABASE_URL must be sqlite:<file> (e.g. sqlite:.state/paperbot.db) or postgres://user:password@host:5432/paperbot' })
    .optional(),
  ANNOUNCE_CHANNEL_ID: snowflake('ANNOUNCE_CHANNEL_ID', "the channel's id (Developer Mode on, right-click the channel → Copy Channel ID)"),
  ANNOUNCE_BACKFILL: wholeNumber('ANNOUNCE_BACKFILL', 0, 'how many existing papers to announce at first start, e.g. 0'),
  ANNOUNCE_MAX_PAPERS: wholeNumber('ANNOUNCE_MAX_PAPERS', 1, 'the most new papers of one reload announced one by one; more become one summary, e.g. 10'),
  ANNOUNCE_LEASE_MS: wholeNumber('ANNOUNCE_LEASE_MS', 1_000, 'milliseconds after which a bot that stopped renewing the announcer lease loses it, e.g. 20000'),
  DISCORD_REST_TIMEOUT_MS: wholeNumber('DISCORD_REST_TIMEOUT_MS', 1_000, "milliseconds to wait for Discord's answer to a request before retrying it, e.g. 15000"),
  ANNOUNCE_SETTLE_MS: wholeNumber('ANNOUNCE_SETTLE_MS', 0, 'milliseconds a changed page must stay unchanged before it is announced, e.g. 5000'),
  LOG_LEVEL: z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (any case)` }))
    .optional(),
  CORPUS_AS_OF: checked((value) => parseIsoDate(value) !== null, 'CORPUS_AS_OF must be a date as YYYY-MM-DD, e.g. 2025-11-01'),
  DISCORD_PUBLIC_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, { error: 'DISCORD_PUBLIC_KEY must be the 64 hex digits of the public key from the developer portal (General Information → Public Key)' })
    .optional(),
  PORT: port('PORT', 'where `serve` listens, e.g. 8080'),
  HOST: z.string().optional(),
  HEALTH_PORT: port('HEALTH_PORT', 'where the gateway bot serves /healthz, /readyz and /metrics, e.g. 9090'),
  SHARD_COUNT: checked((value) => /^(auto|[1-9]\d{0,4})$/.test(value), 'SHARD_COUNT must be "auto" or a number of shards from 1, e.g. 2'),
  OPENALEX_API_URL: apiUrl('OPENALEX_API_URL', 'https://api.openalex.org'),
  ARXIV_API_URL: apiUrl('ARXIV_API_URL', 'https://export.arxiv.org/api'),
  CROSSREF_API_URL: apiUrl('CROSSREF_API_URL', 'https://api.crossref.org'),
  ARXIV_INTERVAL_MS: wholeNumber('ARXIV_INTERVAL_MS', 0, "milliseconds between two requests to arXiv; arXiv's terms ask for 3000 (the default)"),
  SOURCES_REFRESH_MS: wholeNumber('SOURCES_REFRESH_MS', 1_000, 'milliseconds between two reads of the sources in DATA_DIR/lab.yaml, e.g. 21600000 (6 h)'),
  SITE_URL: checked(isHttpUrl, 'SITE_URL must be the absolute http(s) URL the site is published at, e.g. https://lab.example.org/papers/'),
  SITE_TITLE: z.string().max(200, { error: 'SITE_TITLE must be at most 200 characters, e.g. "Causal Learning Lab: publications"' }).optional(),
  WEB_PORT: port('WEB_PORT', 'where `npm start` serves the publication site, e.g. 8081'),
});

/** Parses the environment (pure: `env` is only read). Throws a `ConfigError` naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}) {
  const requireToken = options.requireToken ?? true;
  const present: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const value = env[key]?.trim();
    if (value) present[key] = value;
  }
  const parsed = EnvSchema.safeParse(present);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
  if (requireToken && !present['DISCORD_TOKEN']) {
    problems.unshift('DISCORD_TOKEN is missing: copy the bot token from the Discord developer portal (Bot → Reset Token)');
  }
  if (options.requirePublicKey && !present['DISCORD_PUBLIC_KEY']) {
    problems.push('DISCORD_PUBLIC_KEY is missing: copy the public key from the Discord developer portal (General Information → Public Key)');
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);

  const values = parsed.data;
  const dataDir = values.DATA_DIR ?? 'data';
  // systemd's StateDirectory= passes the absolute path(s) it made, colon-separated, as STATE_DIRECTORY (systemd.exec);
  // the first is ours. Read when STATE_DIR is unset, so a unit works whatever its EnvironmentFile holds.
  const stateDir = values.STATE_DIR ?? (env['STATE_DIRECTORY']?.split(':')[0]?.trim() || DEFAULT_STATE_DIR);
  return Object.freeze({
    /** Absent only where it was not required (`ask`, `corpus`). */
    discordToken: values.DISCORD_TOKEN ?? null,
    discordClientId: values.DISCORD_CLIENT_ID ?? null,
    discordGuildId: values.DISCORD_GUILD_ID ?? null,
    /** REST base as discord.js's `rest.api` option takes it (no version suffix). */
    discordApiUrl: values.DISCORD_API_URL,
    dataDir,
    /** Where the profile pages are read from: `DATA_DIR/profiles`. */
    profilesDir: path.join(dataDir, 'profiles'),
    /** STATE_DIR; unset: systemd's STATE_DIRECTORY (StateDirectory=), else `.state`. */
    stateDir,
    /** Where the bot's state lives: `sqlite:<file>` (default `sqlite:` + STATE_DIR/paperbot.db) or `postgres://…`. */
    databaseUrl: values.DATABASE_URL ?? `sqlite:${path.join(stateDir, DEFAULT_DATABASE_FILE)}`,
    announceChannelId: values.ANNOUNCE_CHANNEL_ID ?? null,
    announceBackfill: values.ANNOUNCE_BACKFILL ? Number(values.ANNOUNCE_BACKFILL) : 0,
    /** A reload bringing more new papers than this is announced as one summary message. */
    announceMaxPapers: values.ANNOUNCE_MAX_PAPERS ? Number(values.ANNOUNCE_MAX_PAPERS) : DEFAULT_ANNOUNCE_MAX_PAPERS,
    /** The announcer lease's length: a holder that stopped renewing loses it after this long. */
    announceLeaseMs: values.ANNOUNCE_LEASE_MS ? Number(values.ANNOUNCE_LEASE_MS) : DEFAULT_LEASE_MS,
    discordRestTimeoutMs: values.DISCORD_REST_TIMEOUT_MS ? Number(values.DISCORD_REST_TIMEOUT_MS) : DEFAULT_REST_TIMEOUT_MS,
    /** How long every page must be unchanged (size and modification time) before its papers are announced. */
    announceSettleMs: values.ANNOUNCE_SETTLE_MS ? Number(values.ANNOUNCE_SETTLE_MS) : DEFAULT_ANNOUNCE_SETTLE_MS,
    logLevel: values.LOG_LEVEL ?? 'info',
    /** The date the corpus's year-less dates are read against; null means today. */
    corpusAsOf: values.CORPUS_AS_OF ? parseIsoDate(values.CORPUS_AS_OF) : null,
    /** The application's Ed25519 public key (hex), which signs HTTP interactions; required by `serve`. */
    discordPublicKey: values.DISCORD_PUBLIC_KEY?.toLowerCase() ?? null,
    port: values.PORT ? Number(values.PORT) : DEFAULT_PORT,
    host: values.HOST ?? DEFAULT_HOST,
    /** Where the gateway bot serves /healthz, /readyz and /metrics; null: not served. */
    healthPort: values.HEALTH_PORT ? Number(values.HEALTH_PORT) : null,
    /** Gateway shards: null for discord.js's default (one), 'auto' for Discord's recommendation, or a count. */
    shardCount: values.SHARD_COUNT === undefined ? null : values.SHARD_COUNT === 'auto' ? 'auto' : Number(values.SHARD_COUNT),
    /** API bases (OpenAlex's `/works` and `/authors`, arXiv's `/query`, Crossref's `/works/{doi}` follow); the tests point them at stand-ins. */
    openalexApiUrl: values.OPENALEX_API_URL,
    arxivApiUrl: values.ARXIV_API_URL,
    crossrefApiUrl: values.CROSSREF_API_URL,
    /** The least time between two requests to arXiv: 3 s, as arXiv's terms ask; shorter only against a stand-in. */
    arxivIntervalMs: values.ARXIV_INTERVAL_MS ? Number(values.ARXIV_INTERVAL_MS) : DEFAULT_ARXIV_INTERVAL_MS,
    sourcesRefreshMs: values.SOURCES_REFRESH_MS ? Number(values.SOURCES_REFRESH_MS) : DEFAULT_SOURCES_REFRESH_MS,
    /** The site's absolute base URL for feed ids and links, ending in `/` so relative paths resolve under it; null: `tag:` ids. */
    siteUrl: values.SITE_URL?.replace(/\/?$/, '/') ?? null,
    siteTitle: values.SITE_TITLE ?? DEFAULT_SITE_TITLE,
    /** Where `npm start` serves the publication site; null: not served (`serve` serves it at `/` beside /healthz). */
    webPort: values.WEB_PORT ? Number(values.WEB_PORT) : null,
  });
}

/** For entry points: `loadConfig` over `.env` and the environment (which wins); on a `ConfigError`, its message and exit 1. */
export function readConfigOrExit(options: LoadConfigOptions = {}): Config {
  loadDotenv({ quiet: true });
  try {
    return loadConfig(process.env, options);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

// A real calendar date as YYYY-MM-DD, at midnight UTC; null for anything else (2025-02-30 included).
function parseIsoDate(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value ? date : null;
}
