import { UniqueConstraintError, ValidationError } from 'sequelize';
import { type Conflict, isCalendarDate, ValidationFailed } from '@salesfleet/contracts';

/**
 * Input checks of the domain operations (the API validates with zod first; these keep the operations
 * safe for the CLI, demo data and tests, and give the same field-level details).
 */
export type FieldIssue = { path: string; message: string };

export class FieldChecks {
  readonly issues: FieldIssue[] = [];

  fail(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** A trimmed string of 1..max characters (or null/undefined when optional). */
  text<R extends boolean>(value: unknown, path: string, max: number, required: R): R extends true ? string : string | null | undefined {
    type Out = R extends true ? string : string | null | undefined;
    if (value === undefined || value === null) {
      if (required) this.fail(path, 'required');
      return value as Out;
    }
    if (typeof value !== 'string') {
      this.fail(path, 'a string');
      return undefined as Out;
    }
    const v = value.trim();
    if (required && v.length === 0) this.fail(path, 'required');
    if (v.length > max) this.fail(path, `at most ${max} characters`);
    return (v.length === 0 && !required ? null : v) as Out;
  }

  /** An integer within [min, max]. */
  int(value: unknown, path: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      this.fail(path, `an integer from ${min} to ${max}`);
      return 0;
    }
    return value;
  }

  /** A calendar date written `YYYY-MM-DD`. */
  date(value: unknown, path: string): string {
    if (typeof value !== 'string' || !isCalendarDate(value)) {
      this.fail(path, 'a date YYYY-MM-DD');
      return '';
    }
    return value;
  }

  bool(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') this.fail(path, 'true or false');
    return value === true;
  }

  done(what: string): void {
    if (this.issues.length > 0) throw new ValidationFailed(`Invalid ${what}`, this.issues);
  }
}

export { MAX_AMOUNT, MAX_INT32 } from '@salesfleet/contracts';

/**
 * Turns Sequelize's own validation and unique errors into ours; anything else is rethrown as is.
 * `unique` names what a unique violation means ("A product with SKU X exists").
 */
export function rethrowAsDomainError(err: unknown, unique: () => Conflict): never {
  if (err instanceof UniqueConstraintError) throw unique();
  if (err instanceof ValidationError) {
    throw new ValidationFailed(
      'Invalid input',
      err.errors.map((e) => ({ path: e.path ?? '', message: e.message })),
    );
  }
  throw err;
}
