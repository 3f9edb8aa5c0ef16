import type { ErrorCode } from './codes';

/** A field-level problem, as `details` of a `ValidationFailed` (paths use the API's field names). */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * The base of every error the packages throw. Packages never know HTTP: each error carries a stable
 * `code` (one of `ErrorCode`), and the API maps codes to statuses in one place (`codeToStatus`).
 * Messages are safe to show to users (no secrets). A class is named after its code; a subclass
 * (`SlugInvalid` of `ValidationFailed`) narrows it without a code of its own.
 */
export class SalesfleetError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

export function isSalesfleetError(err: unknown): err is SalesfleetError {
  return err instanceof SalesfleetError;
}
