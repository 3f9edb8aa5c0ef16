import { SalesfleetError, ValidationFailed } from '@salesfleet/models';

/**
 * Errors of the tenancy package. Each has a stable `code` the API maps to a status and the CLI prints
 * in one line. Messages never contain a secret (passwords, tokens, URLs with passwords).
 */

/** No tenant with that slug, id or domain. */
export class TenantNotFound extends SalesfleetError {
  constructor(what: string) {
    super('TenantNotFound', `No tenant ${JSON.stringify(what)}`);
  }
}

/** Another tenant holds (or is right now provisioning) this slug. */
export class SlugTaken extends SalesfleetError {
  constructor(slug: string, detail = 'is already taken') {
    super('SlugTaken', `The subdomain "${slug}" ${detail}`, { slug });
  }
}

/**
 * A subdomain that breaks the DNS-label rules or is reserved. A `ValidationFailed` (code
 * `ValidationFailed`, details `[{ path: 'subdomain', message }]`) so every caller treats it as bad input.
 */
export class SlugInvalid extends ValidationFailed {
  readonly slug: string;
  constructor(slug: string, reason: string) {
    super(`Invalid subdomain: ${reason}`, [{ path: 'subdomain', message: reason }]);
    this.slug = slug;
  }
}

/** A database server or file could not be reached (or answered too late). */
export class DatabaseUnreachable extends SalesfleetError {
  constructor(target: string, reason: string, options?: ErrorOptions) {
    super('DatabaseUnreachable', `Database ${target} is unreachable: ${reason}`, { target }, options);
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

/**
 * The database (however its server and name are spelled) already belongs to another tenant; the
 * registry's unique database key refused the row. Code `Conflict` (409): nothing was created.
 */
export class DatabaseInUse extends SalesfleetError {
  constructor(target: string) {
    super('Conflict', `The ${target} already belongs to another tenant; a database serves one tenant only`, {
      target,
      reason: 'DatabaseInUse',
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

export type UnavailableReason = 'suspended' | 'provisioning' | 'failed' | 'deleting' | 'maintenance' | 'trial_expired' | 'unpaid';

const unavailableCodes: Record<UnavailableReason, string> = {
  suspended: 'TenantSuspended',
  trial_expired: 'TrialExpired',
  unpaid: 'PaymentRequired',
  provisioning: 'TenantUnavailable',
  failed: 'TenantUnavailable',
  deleting: 'TenantUnavailable',
  maintenance: 'TenantUnavailable',
};

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

/**
 * The tenant exists but cannot serve requests. Code by reason: `TenantSuspended` (403),
 * `TrialExpired` / `PaymentRequired` (402), `TenantUnavailable` (503) for provisioning/failed/deleting.
 */
export class TenantUnavailable extends SalesfleetError {
  readonly reason: UnavailableReason;
  constructor(slug: string, reason: UnavailableReason, suspendedReason?: string | null) {
    const why =
      reason === 'suspended' && suspendedReason ? `${unavailableMessages[reason]} (${suspendedReason})` : unavailableMessages[reason];
    const retry = retryAfter[reason];
    super(unavailableCodes[reason], `Workspace "${slug}" ${why}`, { slug, reason, ...(retry ? { retryAfterSeconds: retry } : {}) });
    this.reason = reason;
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

/** The connection cache could not get a free slot in time (every open handle is busy). */
export class ConnectionBudgetExhausted extends SalesfleetError {
  constructor(maxOpen: number, waitedMs: number) {
    super('DatabaseUnreachable', `All ${maxOpen} tenant connections are busy; no slot freed within ${waitedMs} ms`, { maxOpen, waitedMs });
  }
}
