/**
 * Structured logs: one JSON object per line on stdout. Field names that could hold a credential are
 * redacted wherever they appear, so a careless `log.info('x', { auth })` cannot leak a token.
 */
const SECRET_KEY = /token|secret|authorization|password|cookie|anonymousid/i;

function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  // Past the depth limit the keys go unchecked, so the object is not written at all: handing it
  // back whole would print any token inside it.
  if (depth > 4) return '[truncated]';
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export function createLogger(minLevel: Level = 'info', write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const emit = (level: Level, event: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    // The line's own time, level and event come first and win over fields of the same name: a field
    // `event` (an operation's name) used to replace the log event, so no search for it found them.
    const own = { time: new Date().toISOString(), level, event };
    const entry = fields ? Object.assign({ ...own }, redact(fields) as object, own) : own;
    write(`${JSON.stringify(entry)}\n`);
  };
  return {
    debug: (e, f) => emit('debug', e, f),
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
  };
}
