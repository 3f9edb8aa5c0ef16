import { redact } from './mask';

/**
 * The logger tenancy writes to: a subset of pino's API, so the API passes its pino logger as it is
 * and the CLI a quiet or stderr one. Every failure tenancy catches and does not rethrow is logged
 * here (STYLE.md); messages never carry secrets (callers redact them first).
 */
export interface LogFn {
  (obj: Record<string, unknown>, msg?: string): void;
  (msg: string): void;
}

export interface Logger {
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  child?: (bindings: Record<string, unknown>) => Logger;
}

const nothing: LogFn = () => undefined;

/** Drops everything (the default when no logger is given). */
export const silentLogger: Logger = { error: nothing, warn: nothing, info: nothing, debug: nothing };

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LEVELS)[number];

/** One line per entry on a stream (default stderr): `warn: message key=value…`, from `level` up. */
export function lineLogger(
  level: LogLevel = 'warn',
  write: (line: string) => void = (line) => process.stderr.write(line),
  bindings: Record<string, unknown> = {},
): Logger {
  const min = LEVELS.indexOf(level);
  const at =
    (name: LogLevel): LogFn =>
    (first: Record<string, unknown> | string, msg?: string) => {
      if (LEVELS.indexOf(name) < min) return;
      const fields = typeof first === 'string' ? { ...bindings } : { ...bindings, ...first };
      const text = typeof first === 'string' ? first : (msg ?? '');
      const extra = Object.entries(fields)
        .map(([k, v]) => `${k}=${describe(v)}`)
        .join(' ');
      write(`${name}: ${text}${extra ? ` ${extra}` : ''}\n`);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => lineLogger(level, write, { ...bindings, ...more }),
  };
}

function describe(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === 'string') return /^[\w.:/@-]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** An error as a one-line message for a log entry, with URL passwords and the given secrets masked. */
export function errorText(err: unknown, secrets: readonly (string | null | undefined)[] = []): string {
  return redact(err instanceof Error ? err.message : String(err), secrets);
}

/** `logger.child(bindings)` when the logger has children, else the logger itself. */
export function childLogger(logger: Logger, bindings: Record<string, unknown>): Logger {
  return logger.child ? logger.child(bindings) : logger;
}
