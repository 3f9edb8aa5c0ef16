import type { ErrorCode } from '@salesfleet/contracts';

/**
 * Exit statuses of every command: 0 success, 1 failure, 2 bad usage (unknown command, missing or
 * malformed argument, invalid input, a confirmation that cannot be asked).
 */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** An error the CLI itself raises, with the exit status it means. The message is printed as is. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT_FAILURE, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Bad usage: exits 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

/**
 * A failure already explained on the output (a failed check, a summary of failed migrations): exits
 * with `exitCode` without printing another `error:` line.
 */
export class ReportedFailure extends CliError {
  constructor(exitCode: number = EXIT_FAILURE) {
    super('(reported)', exitCode);
    this.name = 'ReportedFailure';
  }
}

/** Error codes of `@salesfleet/*` errors that mean "the input is wrong" rather than "it failed". */
const USAGE_CODES: ReadonlySet<string> = new Set<ErrorCode>(['ValidationFailed']);

/** The exit status for any error a command throws. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof CliError) return err.exitCode;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && USAGE_CODES.has(code)) return EXIT_USAGE;
  return EXIT_FAILURE;
}

/**
 * The one line printed after `error: `. Our packages' messages are written for people and never hold
 * secrets; anything else (a bug) shows its message only, the stack needs SALESFLEET_DEBUG=1.
 */
export function errorLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const oneLine = message.replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
  return oneLine;
}
