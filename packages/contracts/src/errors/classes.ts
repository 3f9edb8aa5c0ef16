import { SalesfleetError, type FieldProblem } from './base';

// ── input and state (4xx) ───────────────────────────────────────────────────────────────────────

/** Input that breaks a rule; `details` lists `{ path, message }` per field where known. */
export class ValidationFailed extends SalesfleetError {
  constructor(message: string, details?: FieldProblem[]) {
    super('ValidationFailed', message, details);
  }
}

/**
 * A subdomain that breaks the DNS-label rules or is reserved: a `ValidationFailed` (details
 * `[{ path: 'subdomain', message }]`) so every caller treats it as bad input.
 */
export class SlugInvalid extends ValidationFailed {
  readonly slug: string;
  constructor(slug: string, reason: string) {
    super(`Invalid subdomain: ${reason}`, [{ path: 'subdomain', message: reason }]);
    this.slug = slug;
  }
}

/** A row that does not exist in this tenant (or belongs to another one). */
export class NotFound extends SalesfleetError {
  constructor(what: string, id?: string | number) {
    super('NotFound', id === undefined ? `${what} not found` : `${what} ${id} not found`);
  }
}

/** The request conflicts with the current state (duplicate, wrong status…). */
export class Conflict extends SalesfleetError {
  constructor(message: string, details?: unknown) {
    super('Conflict', message, details);
  }
}

/**
 * The database (however its server and name are spelled) already belongs to another tenant; the
 * registry's unique database key refused the row. A `Conflict` (409): nothing was created.
 */
export class DatabaseInUse extends Conflict {
  constructor(target: string) {
    super(`The ${target} already belongs to another tenant; a database serves one tenant only`, { target, reason: 'DatabaseInUse' });
  }
}

/**
 * A PostgreSQL database holds either one whole tenant or the schemas of schema tenants
 * (`postgres-schema`), never both: a whole-database tenant named like a shared schema database, or a
 * schema tenant placed in another tenant's own database, would put one tenant's tables next to
 * another's. A `Conflict` (409): nothing was created.
 */
export class DatabasePlacementConflict extends Conflict {
  constructor(database: string, holder: { slug: string; holds: 'schemas' | 'whole-database' }) {
    super(
      holder.holds === 'schemas'
        ? `The ${database} is a shared database of schema tenants (tenant "${holder.slug}" has a schema in it); a tenant cannot have it as its own database — choose another database name`
        : `The ${database} is tenant "${holder.slug}"'s own database; schema tenants cannot be placed in it — choose another shared database (--database-name)`,
      { target: database, reason: 'DatabasePlacementConflict', tenant: holder.slug },
    );
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

/** No tenant with that slug, id or domain. */
export class TenantNotFound extends SalesfleetError {
  constructor(what: string, message = `No tenant ${JSON.stringify(what)}`) {
    super('TenantNotFound', message);
  }
}

/** Another tenant holds (or is right now provisioning) this slug. */
export class SlugTaken extends SalesfleetError {
  constructor(slug: string, detail = 'is already taken') {
    super('SlugTaken', `The subdomain "${slug}" ${detail}`, { slug });
  }
}

/** An explicitly given database already holds tables (and is not this tenant's own). */
export class DatabaseNotEmpty extends SalesfleetError {
  constructor(target: string, tables: string[]) {
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '');
    super('DatabaseNotEmpty', `Database ${target} is not empty (tables: ${shown}); give an empty database`, {
      target,
      tables: tables.slice(0, 20),
    });
  }
}

/** A managed database (or SQLite file) we were about to create already exists. */
export class DatabaseExists extends SalesfleetError {
  constructor(target: string) {
    super('DatabaseExists', `Database ${target} already exists; drop it, or pass it explicitly as the tenant's database if it is empty`, {
      target,
    });
  }
}

// ── the HTTP edge: who is asking and how ────────────────────────────────────────────────────────

export class Unauthenticated extends SalesfleetError {
  constructor(message = 'Sign in first: no valid session') {
    super('Unauthenticated', message);
  }
}

export class InvalidCredentials extends SalesfleetError {
  constructor() {
    super('InvalidCredentials', 'Wrong login or password');
  }
}

/** The session lacks a permission; `details.permission` names it (and `extra` may add what else is missing). */
export class PermissionDenied extends SalesfleetError {
  constructor(permission: string, message = `You lack the permission "${permission}"`, extra: Record<string, unknown> = {}) {
    super('PermissionDenied', message, { permission, ...extra });
  }
}

export class PasswordChangeRequired extends SalesfleetError {
  constructor() {
    super('PasswordChangeRequired', 'Change your one-time password first (POST change-password)');
  }
}

export class TooManyAttempts extends SalesfleetError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('TooManyAttempts', `Too many failed sign-ins; try again in ${retryAfterSeconds} seconds`, { retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class CsrfRejected extends SalesfleetError {
  constructor() {
    super(
      'CsrfRejected',
      'Cross-site request refused: cookie-authenticated writes need an Origin (or Referer) of this host; API clients should use Authorization: Bearer',
    );
  }
}

export class MalformedJson extends SalesfleetError {
  constructor() {
    super('MalformedJson', 'The request body is not valid JSON');
  }
}

export class UnsupportedMediaType extends SalesfleetError {
  constructor(contentType: string) {
    super('UnsupportedMediaType', `Send the body as application/json (got ${contentType.slice(0, 80) || 'no Content-Type'})`);
  }
}

export class PayloadTooLarge extends SalesfleetError {
  constructor(maxBytes: number) {
    super('PayloadTooLarge', `The request body exceeds ${maxBytes} bytes`, { maxBytes });
  }
}

// ── a tenant that exists but cannot serve ───────────────────────────────────────────────────────

/** Why the router refuses a tenant that exists. */
export type UnavailableReason = 'suspended' | 'provisioning' | 'failed' | 'deleting' | 'maintenance' | 'trial_expired' | 'unpaid';

const unavailableMessages: Record<UnavailableReason, string> = {
  suspended: 'is suspended',
  trial_expired: 'has reached the end of its trial',
  unpaid: 'has an unpaid subscription',
  provisioning: 'is still being set up; try again in a moment',
  failed: 'could not be set up; an operator has to retry its creation',
  deleting: 'is being deleted',
  maintenance: 'is under maintenance (its data is being moved); try again in a minute',
};

/** Seconds a client should wait before retrying, by reason (the API's Retry-After). */
const retryAfter: Partial<Record<UnavailableReason, number>> = { maintenance: 30, provisioning: 5 };

/** The workspace is suspended by an operator (403). */
export class TenantSuspended extends SalesfleetError {
  readonly reason = 'suspended' as const;
  constructor(slug: string, suspendedReason?: string | null) {
    const why = suspendedReason ? `${unavailableMessages.suspended} (${suspendedReason})` : unavailableMessages.suspended;
    super('TenantSuspended', `Workspace "${slug}" ${why}`, { slug, reason: 'suspended' });
  }
}

/** The workspace's trial has ended (402). */
export class TrialExpired extends SalesfleetError {
  readonly reason = 'trial_expired' as const;
  constructor(slug: string) {
    super('TrialExpired', `Workspace "${slug}" ${unavailableMessages.trial_expired}`, { slug, reason: 'trial_expired' });
  }
}

/** The workspace's subscription is unpaid (402). */
export class PaymentRequired extends SalesfleetError {
  readonly reason = 'unpaid' as const;
  constructor(slug: string) {
    super('PaymentRequired', `Workspace "${slug}" ${unavailableMessages.unpaid}`, { slug, reason: 'unpaid' });
  }
}

/** The workspace is being set up, failed to be, is being deleted or moved, or its database cannot be reached now (503). */
export class TenantUnavailable extends SalesfleetError {
  readonly reason: 'provisioning' | 'failed' | 'deleting' | 'maintenance' | 'database';
  constructor(slug: string, reason: 'provisioning' | 'failed' | 'deleting' | 'maintenance' | 'database') {
    const why = reason === 'database' ? 'is temporarily unavailable; try again in a moment' : unavailableMessages[reason];
    const retry = reason === 'database' ? undefined : retryAfter[reason];
    super('TenantUnavailable', `Workspace "${slug}" ${why}`, { slug, reason, ...(retry ? { retryAfterSeconds: retry } : {}) });
    this.reason = reason;
  }
}

export type TenantRefusal = TenantSuspended | TrialExpired | PaymentRequired | TenantUnavailable;

/** The error for a tenant the router refuses, by reason. */
export function tenantRefusal(slug: string, reason: UnavailableReason, suspendedReason?: string | null): TenantRefusal {
  switch (reason) {
    case 'suspended':
      return new TenantSuspended(slug, suspendedReason);
    case 'trial_expired':
      return new TrialExpired(slug);
    case 'unpaid':
      return new PaymentRequired(slug);
    default:
      return new TenantUnavailable(slug, reason);
  }
}

// ── our own failures (5xx) ──────────────────────────────────────────────────────────────────────

export interface DatabaseUnreachableOptions extends ErrorOptions {
  /** The whole message, when "Database <target> is unreachable: <reason>" does not read well. */
  message?: string;
  /** Becomes the Retry-After header of the API's 503. */
  retryAfterSeconds?: number;
}

/** A database server or file could not be reached (or answered too late). */
export class DatabaseUnreachable extends SalesfleetError {
  constructor(target: string, reason: string, options: DatabaseUnreachableOptions = {}) {
    const { message, retryAfterSeconds, ...errorOptions } = options;
    super(
      'DatabaseUnreachable',
      message ?? `Database ${target} is unreachable: ${reason}`,
      { target, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) },
      errorOptions,
    );
  }
}

/** Too much work is already queued (password checks…): try again in a moment (503 with Retry-After). */
export class ServiceBusy extends SalesfleetError {
  constructor(message: string, retryAfterSeconds = 1) {
    super('ServiceBusy', message, { retryAfterSeconds });
  }
}

/** The connection cache could not get a free slot in time (every open handle is busy). */
export class ConnectionBudgetExhausted extends SalesfleetError {
  constructor(maxOpen: number, waitedMs: number) {
    super('ConnectionBudgetExhausted', `All ${maxOpen} tenant connections are busy; no slot freed within ${waitedMs} ms`, {
      maxOpen,
      waitedMs,
    });
  }
}

/** Provisioning stopped at `step`; everything done before it was undone (see `details.cleanup`). */
export class ProvisioningFailed extends SalesfleetError {
  readonly step: string;
  constructor(slug: string, step: string, reason: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super('ProvisioningFailed', `Creating tenant "${slug}" failed at step "${step}": ${reason}`, { slug, step, ...details }, options);
    this.step = step;
  }
}

export type MigrationDirection = 'up' | 'down';

/** A migration threw. Carries the failing migration's name and what this run applied before it. */
export class MigrationFailed extends SalesfleetError {
  readonly migration: string;
  readonly direction: MigrationDirection;
  /** Migrations this run completed before the failure (up: applied, down: reverted). */
  readonly completed: string[];
  /** True when the failing migration was rolled back as a whole (PostgreSQL, SQLite). */
  readonly rolledBack: boolean;

  constructor(
    migration: string,
    direction: MigrationDirection,
    cause: unknown,
    { completed, rolledBack }: { completed: string[]; rolledBack: boolean },
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const verb = direction === 'up' ? 'Migration' : 'Reverting migration';
    const earlier = direction === 'up' ? 'migrations before it stayed applied' : 'migrations reverted before it stayed reverted';
    const state = rolledBack
      ? `${migration} was rolled back and ${earlier}, so the database is at the version before ${migration}`
      : `${earlier}, and ${migration} may be partly ${direction === 'up' ? 'applied' : 'reverted'} (this database cannot roll back schema changes)`;
    super(
      'MigrationFailed',
      `${verb} ${migration} failed: ${reason}; ${state}.`,
      { migration, direction, completed, rolledBack },
      { cause },
    );
    this.migration = migration;
    this.direction = direction;
    this.completed = completed;
    this.rolledBack = rolledBack;
  }
}

/** A configuration variable is missing or malformed; `variable` names it. */
export class ConfigError extends SalesfleetError {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super('ConfigError', `${variable}: ${message}`, { variable });
    this.variable = variable;
  }
}

/** The registry has never been migrated (or is behind this code). */
export class RegistryNotReady extends SalesfleetError {
  constructor(pending: string[]) {
    super(
      'RegistryNotReady',
      `The registry database has ${pending.length} pending migration(s); run \`pnpm cli init\` (or start the API) to migrate it`,
      { pending },
    );
  }
}

/** A stored database password cannot be decrypted with the configured SALESFLEET_SECRET_KEY. */
export class SecretUndecryptable extends SalesfleetError {
  constructor() {
    super(
      'SecretUndecryptable',
      'A stored database password cannot be decrypted: SALESFLEET_SECRET_KEY differs from the key it was encrypted with',
    );
  }
}

/**
 * A backup archive that cannot be trusted: not an archive, truncated, or a row or manifest that does
 * not match its checksum. Raised by verification, before a restore creates anything.
 */
export class ArchiveInvalid extends SalesfleetError {
  constructor(file: string, reason: string) {
    super('ArchiveInvalid', `Backup archive ${file} cannot be used: ${reason}`, { file });
  }
}

/** An archive of a schema newer than this version knows; restore it with that version or newer. */
export class ArchiveTooNew extends SalesfleetError {
  constructor(file: string, schemaVersion: string, known: string | null) {
    super(
      'ArchiveTooNew',
      `Backup archive ${file} has schema version ${schemaVersion}, newer than this Salesfleet knows (${known ?? 'none'}); restore it with the Salesfleet version that made it, or a newer one`,
      { file, schemaVersion, known },
    );
  }
}

/**
 * A tenant database whose schema has migrations this Salesfleet does not know (made by a newer
 * version): adopting or migrating it here could break it.
 */
export class SchemaTooNew extends SalesfleetError {
  constructor(target: string, schemaVersion: string, known: string | null) {
    super(
      'SchemaTooNew',
      `Database ${target} has schema version ${schemaVersion}, newer than this Salesfleet knows (${known ?? 'none'}); use the Salesfleet version that migrated it, or a newer one`,
      { target, schemaVersion, known },
    );
  }
}

/** The tenant workspace app's files are missing (not built yet). */
export class WorkspaceNotBuilt extends SalesfleetError {
  constructor() {
    super(
      'WorkspaceNotBuilt',
      'The workspace app has not been built yet. Run `pnpm build` (or `pnpm --filter @salesfleet/workspace build`) and reload; `pnpm start` does this for you.',
    );
  }
}

/** The admin console's files are missing (not built yet). */
export class ConsoleNotBuilt extends SalesfleetError {
  constructor() {
    super(
      'ConsoleNotBuilt',
      'The admin console has not been built yet. Run `pnpm build` (or `pnpm --filter @salesfleet/admin build`) and reload; `pnpm start` does this for you.',
    );
  }
}
