/**
 * Errors every package throws. Packages never know HTTP: each error carries a stable `code`, and the
 * API maps codes to statuses in one place. Messages are safe to show to users (no secrets).
 */
export class SalesfleetError extends Error {
  readonly code: string;
  readonly details?: unknown;

  constructor(code: string, message: string, details?: unknown, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** Input that breaks a rule; `details` lists `{ path, message }` per field where known. */
export class ValidationFailed extends SalesfleetError {
  constructor(message: string, details?: { path: string; message: string }[]) {
    super('ValidationFailed', message, details);
  }
}

/** A row that does not exist in this tenant (or belongs to another one). */
export class NotFound extends SalesfleetError {
  constructor(what: string, id?: string | number) {
    super('NotFound', id === undefined ? `${what} not found` : `${what} ${id} not found`);
  }
}

/** The request conflicts with the current state (duplicate, wrong status, limit reached…). */
export class Conflict extends SalesfleetError {
  constructor(message: string, details?: unknown) {
    super('Conflict', message, details);
  }
}

/** Selling or moving more stock than there is. */
export class InsufficientStock extends SalesfleetError {
  constructor(message: string, details?: unknown) {
    super('InsufficientStock', message, details);
  }
}

/** A configured limit (max users, max tenants, single location) would be exceeded. */
export class LimitReached extends SalesfleetError {
  constructor(message: string, details?: unknown) {
    super('LimitReached', message, details);
  }
}

export function isSalesfleetError(err: unknown): err is SalesfleetError {
  return err instanceof SalesfleetError;
}
