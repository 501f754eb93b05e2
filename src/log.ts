/** Structured logs: one JSON line each on stderr, with a level, a message and fields. */

/** Log levels, least to most severe. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** A logger: four levels and `child` for fields that every line of a scope carries. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/** Where log lines go; stderr by default, an array in tests. */
export type LogSink = (line: string) => void;

/** A logger writing lines at `level` and above to `sink`. */
export function createLogger(level: LogLevel = 'info', sink: LogSink = (line) => process.stderr.write(`${line}\n`), base: LogFields = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const write = (at: LogLevel, message: string, fields?: LogFields): void => {
    if (LOG_LEVELS.indexOf(at) < threshold) return;
    sink(JSON.stringify({ time: new Date().toISOString(), level: at, msg: message, ...base, ...fields }, errorReplacer));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger(level, sink, { ...base, ...fields }),
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = createLogger('error', () => {});

// JSON.stringify drops an Error's message and stack; keep them.
function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (typeof value === 'bigint') return value.toString();
  return value;
}
