/**
 * Structured logs: one JSON line each on stderr. Our own 50 lines rather than pino: tests hand it an array as the
 * sink, and nothing here needs pino's transports. A line is always written, circular fields and all.
 */

/** Log levels, least to most severe. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** A logger: four levels and `child` for fields that every line of a scope carries. */
export interface Logger extends Record<LogLevel, (message: string, fields?: LogFields) => void> {
  child(fields: LogFields): Logger;
}

/** A logger writing lines at `level` and above to `sink`. */
export function createLogger(level: LogLevel = 'info', sink = (line: string): unknown => process.stderr.write(`${line}\n`)): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  return loggerOver((at, msg, fields) => {
    if (LOG_LEVELS.indexOf(at) >= threshold) sink(logLine({ time: new Date().toISOString(), level: at, msg }, fields));
  });
}

/** A logger handing each line's level, message and fields (a child's included) to `write`. */
export function loggerOver(write: (level: LogLevel, msg: string, fields: LogFields) => void, base: LogFields = {}): Logger {
  const at = (level: LogLevel) => (msg: string, fields?: LogFields) => write(level, msg, { ...base, ...fields });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (fields) => loggerOver(write, { ...base, ...fields }) };
}

/** A logger that drops everything. */
export const silentLogger: Logger = createLogger('error', () => {});

/** The keys every line starts with; a field of the same name is kept as `_time` and so on. */
const RESERVED = new Set(['time', 'level', 'msg']);

// The line as JSON: the reserved keys first and untouchable, then the fields.
function logLine(head: { time: string; level: LogLevel; msg: string }, fields: LogFields): string {
  // fromEntries, not assignment: a `__proto__` field (from JSON.parse) stays a field rather than setting the prototype.
  const line = { ...head, ...Object.fromEntries(Object.entries(fields).map(([key, value]) => [RESERVED.has(key) ? `_${key}` : key, value])) };
  try {
    return JSON.stringify(line, safeReplacer());
  } catch (error) {
    // A field's toJSON or getter threw: the line still says what happened.
    return JSON.stringify({ ...head, logError: `fields could not be written: ${error instanceof Error ? error.message : String(error)}` });
  }
}

// JSON.stringify drops an Error's message and stack and throws on a cycle or a bigint; this keeps the first and
// writes the others as text. `this` is the object holding `key`, so the stack of ancestors is exact (MDN's pattern).
function safeReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const ancestors: unknown[] = [];
  return function (this: unknown, _key: string, raw: unknown): unknown {
    let value = raw;
    if (value instanceof Error) value = { name: value.name, message: value.message, stack: value.stack, ...(value.cause !== undefined ? { cause: value.cause } : {}) };
    if (typeof value === 'bigint') return value.toString();
    if (typeof value !== 'object' || value === null) return value;
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
    if (ancestors.includes(raw) || ancestors.includes(value)) return '[Circular]';
    ancestors.push(value);
    return value;
  };
}
