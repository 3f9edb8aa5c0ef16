import { pino, type Logger } from 'pino';

export interface ApiLoggerOptions {
  level: string;
  /** Also copy error lines to stderr (the benchmark's servers keep stderr as their log file). */
  errorsToStderr?: boolean;
}

/**
 * The API's logger: one JSON line per request to stdout through pino's asynchronous destination.
 * Synchronous writes to a pipe cost the event loop a write(2) per line (writeBuffer was 4.5 % of the
 * busy CPU of a warm list request, more than pino itself); asynchronously, lines written while one
 * write is in flight go out together in the next. Nothing is held back on a quiet server (no minimum
 * length), and pino flushes what is pending synchronously when the process exits.
 */
export function createApiLogger(options: ApiLoggerOptions): Logger {
  const base = { level: options.level, base: { service: 'salesfleet-api' } };
  const stdout = pino.destination({ dest: 1, sync: false });
  if (!options.errorsToStderr) return pino(base, stdout);
  return pino(base, pino.multistream([{ stream: stdout }, { level: 'error', stream: pino.destination({ dest: 2, sync: false }) }]));
}
