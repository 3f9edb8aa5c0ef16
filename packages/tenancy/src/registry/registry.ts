import { errorText, silentLogger, type Logger } from '../logger';
import { createHash, randomBytes } from 'node:crypto';
import {
  Op,
  Transaction,
  UniqueConstraintError,
  col,
  fn,
  literal,
  where as whereFn,
  type Order,
  type Sequelize,
  type WhereOptions,
} from 'sequelize';
import { hashPassword, passwordNeedsRehash, storedInstant, unmatchablePasswordHash, verifyPassword } from '@salesfleet/models';
import { migrateUp, migrationStatus } from '@salesfleet/migrations';
import type { SecretBox } from '../crypto';
import { databaseKey, type DatabaseSpec } from '../drivers/spec';
import { normalizeHost, isIpHost } from '../host';
import type { RegistryLocks } from './locks';
import { TenantServers } from './tenant-servers';
import { type SqlDialect, type TenantListFilter, tenantFilterConditions, tenantServerFilter, toTenantRecord } from './tenant-list';
import { defineRegistryModels, type OperationOutcome, type RegistryModels, type TenantRow } from './models';
import type { DomainRecord, OperationRecord, PlatformAdminRecord, PlatformSessionRecord, TenantRecord } from './records';
import {
  Conflict,
  DatabaseInUse,
  DatabasePlacementConflict,
  EMAIL_MESSAGE,
  type Engine,
  isEmail,
  isUsername,
  normalizeEmail,
  NotFound,
  SlugTaken,
  TenantNotFound,
  type TenantStatus,
  USERNAME_MESSAGE,
  type TenantSortKey,
  ValidationFailed,
} from '@salesfleet/contracts';

/** Something about a tenant changed through this process (the router and connection cache listen). */
export interface RegistryChange {
  /**
   * `tenant-users-changed`: a user of the tenant signed out, changed password, was deactivated or
   * changed groups (`userId`; absent: any of its users). Only session and permission caches react; it
   * is sent through the registry's notification channel so every API process drops them at once.
   * `processes-changed`: an API process started or stopped (tenantId 0, slug ''): the others count the
   * live processes again at once, so their share of a server's connection budget follows without
   * waiting for the next heartbeat.
   */
  kind: 'tenant-changed' | 'tenant-deleted' | 'domain-changed' | 'tenant-users-changed' | 'processes-changed';
  tenantId: number;
  slug: string;
  /** The user concerned (tenant-users-changed only). */
  userId?: number;
  /** The domain added or removed (domain-changed only). */
  domain?: string;
  /** Learnt from another process (PostgreSQL NOTIFY) rather than made here. */
  remote?: boolean;
  /**
   * True when open connections to the tenant's database may stay: the change cannot have moved the
   * database or changed whether it is served (schema version, domains, name, limits). Absent: they close.
   */
  keepConnections?: boolean;
}

export type RegistryListener = (change: RegistryChange) => void;

/** Values of a new tenant row (the password arrives already sealed). */
export interface NewTenant {
  slug: string;
  name: string;
  adminEmail: string;
  status?: TenantStatus;
  maxUsers: number;
  multiLocation: boolean;
  trialEndsAt: Date | null;
  paidUntil: Date | null;
  db: {
    engine: Engine;
    host: string | null;
    port: number | null;
    name: string;
    /** The `postgres-schema` placement's schema (absent/null: the whole database). */
    schema?: string | null;
    user: string | null;
    passwordEncrypted: string | null;
    managed: boolean;
  };
  /** The creating process's lease (see TenantRecord.provisioning). */
  provisioning?: { owner: string; leaseUntil: Date } | null;
  serverId?: number | null;
}

/** Fields that can change after creation. Every update bumps `version`. */
export interface TenantPatch {
  name?: string;
  adminEmail?: string;
  status?: TenantStatus;
  suspendedReason?: string | null;
  maxUsers?: number;
  multiLocation?: boolean;
  trialEndsAt?: Date | null;
  paidUntil?: Date | null;
  schemaVersion?: string | null;
  userCount?: number | null;
  db?: Partial<NewTenant['db']>;
  serverId?: number | null;
  provisioning?: { owner: string; leaseUntil: Date } | null;
}

// How the tenants list sorts (ties by slug): the API's query schema names the keys.
export { TENANT_SORT_KEYS, type TenantSortKey } from '@salesfleet/contracts';

/** Which tenants a list shows; every filter is answered by the registry alone (no tenant database). */
export type { TenantListFilter } from './tenant-list';

export interface TenantListQuery extends TenantListFilter {
  sort?: TenantSortKey;
  direction?: 'asc' | 'desc';
  /** Default 50, at most 500. */
  limit?: number;
  offset?: number;
}

/** What a health check found, as the registry keeps it for the list. */
export interface TenantHealthUpdate {
  reachable: boolean;
  latencyMs: number | null;
  sizeBytes: number | null;
  /** Must already be masked. */
  error: string | null;
  checkedAt: Date;
  /** Active users counted by the check (null: not counted). */
  userCount: number | null;
  /** The tenant's schema version the check read (kept in the history sample; null: not read). */
  schemaVersion?: string | null;
}

/** One health sample of a tenant's history. */
export interface HealthSampleRecord {
  readonly checkedAt: Date;
  readonly reachable: boolean;
  readonly latencyMs: number | null;
  readonly sizeBytes: number | null;
  readonly schemaVersion: string | null;
  readonly userCount: number | null;
  readonly error: string | null;
}

/** The fleet's health as the registry knows it (each tenant's last check), for the console's overview. */
export interface FleetHealthSummaryRecord {
  tenants: number;
  checked: number;
  reachable: number;
  unreachable: number;
  /** Tenants (not provisioning or deleting) whose recorded schema version is not `latestSchema`. */
  behindSchema: number;
  sizeBytes: number;
  averageLatencyMs: number | null;
  oldestCheckAt: Date | null;
  newestCheckAt: Date | null;
}

/** How long health samples are kept (the health job prunes older ones). */
export const HEALTH_HISTORY_DAYS = 30;

export { tenantServerOf } from './tenant-list';

export interface OperationInsert {
  runId: string;
  tenantId: number | null;
  tenantSlug: string | null;
  action: string;
  step: string | null;
  outcome: OperationOutcome;
  actor: string;
  /** Must already be masked. */
  details: Record<string, unknown>;
  error: string | null;
  durationMs: number | null;
  createdAt?: Date;
}

export interface OperationFilter {
  tenant?: string;
  action?: string;
  outcome?: OperationOutcome;
  runId?: string;
  /** Default 100, at most 1000. Newest first. */
  limit?: number;
  /** Only rows with an id below this (paging). */
  beforeId?: number;
}

export interface NewPlatformAdmin {
  username: string;
  email: string;
  /** Plain password; stored as an Argon2id hash (hashPassword). The caller checks its strength. */
  password: string;
  mustChangePassword?: boolean;
}

export interface PlatformSessionOptions {
  /** Lifetime; default 12 hours. */
  ttlMs?: number;
  ip?: string | null;
  userAgent?: string | null;
}

const DEFAULT_SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60_000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The control-plane database: tenants and where their databases live, custom domains, platform admins
 * and their sessions, the operations log. Returns plain records; emits a `RegistryChange` after every
 * change to a tenant made through it. Works on SQLite, PostgreSQL and MySQL/MariaDB.
 */
export class Registry {
  readonly sequelize: Sequelize;
  readonly models: RegistryModels;
  readonly #secrets: SecretBox;
  readonly #listeners = new Set<RegistryListener>();
  /** The tail of this process's SQLite write transactions (see #writeTransaction). */
  #sqliteWrites: Promise<unknown> = Promise.resolve();
  /** What an unknown admin login is verified against (same work as a real one). */
  readonly #unknownAdminHash = unmatchablePasswordHash();

  readonly logger: Logger;

  /** Named locks across every process on this registry (see RegistryLocks). */
  readonly locks: RegistryLocks;

  /** The tenant servers new tenants are placed on. */
  readonly servers: TenantServers;

  constructor(sequelize: Sequelize, secrets: SecretBox, options: { logger?: Logger; locks: RegistryLocks }) {
    this.logger = options.logger ?? silentLogger;
    this.locks = options.locks;
    this.sequelize = sequelize;
    this.models = defineRegistryModels(sequelize);
    this.#secrets = secrets;
    this.servers = new TenantServers(this.models, secrets, this.locks);
  }

  get engine(): Engine {
    return this.sequelize.getDialect() as Engine;
  }

  // ── schema ────────────────────────────────────────────────────────────────────────────────────

  /** Applies pending registry migrations. */
  async migrate(): Promise<{ applied: string[] }> {
    // Two processes starting on a new registry: the second waits, then finds nothing pending.
    return this.locks.withLock('registry-migrations', () => migrateUp(this.sequelize, 'registry'), {
      waitMs: 120_000,
      busy: 'migrating the registry',
    });
  }

  async migrationStatus(): Promise<{ applied: string[]; pending: string[] }> {
    return migrationStatus(this.sequelize, 'registry');
  }

  /** Round trip to the registry database (ms). */
  async ping(): Promise<number> {
    const started = performance.now();
    await this.sequelize.query('SELECT 1');
    return performance.now() - started;
  }

  /**
   * Now, as the registry's timestamp columns keep it (whole seconds on MySQL/MariaDB): for an instant
   * that is answered as well as stored, so the answer equals a later read. Values written through the
   * registry's models are cut the same way (instantAttribute / timestampAttribute).
   */
  now(): Date {
    return storedInstant(this.sequelize.getDialect());
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    await this.locks.close();
    await this.sequelize.close();
  }

  // ── change events ─────────────────────────────────────────────────────────────────────────────

  /** Subscribes to changes made through this registry; returns the unsubscribe function. */
  onChange(listener: RegistryListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Delivers a change to every listener (also used for changes learnt from other processes). */
  emit(change: RegistryChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (err) {
        // A listener's failure must not break the registry operation that already committed.
        this.logger.error(
          { err: errorText(err), change: change.kind, tenantId: change.tenantId ?? null },
          'registry change listener failed',
        );
      }
    }
  }

  // ── tenants ───────────────────────────────────────────────────────────────────────────────────

  /** Every tenant matching `filter`, by slug. Reads only the registry. */
  async listTenants(filter: TenantListFilter = {}): Promise<TenantRecord[]> {
    // Plain rows, not model instances: 10,000 tenants read in a third of the time.
    const rows = await this.models.Tenant.findAll({ where: await this.#tenantWhere(filter), order: [['slug', 'ASC']], raw: true });
    return rows.map(toTenantRecord);
  }

  /** One page of tenants and how many match in all — what the console's tenants page shows. */
  async pageTenants(query: TenantListQuery = {}): Promise<{ tenants: TenantRecord[]; total: number }> {
    const where = await this.#tenantWhere(query);
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 500);
    const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
    const [rows, total] = await Promise.all([
      this.models.Tenant.findAll({ where, order: tenantOrder(query.sort ?? 'slug', query.direction ?? 'asc'), limit, offset, raw: true }),
      this.models.Tenant.count({ where }),
    ]);
    return { tenants: rows.map(toTenantRecord), total };
  }

  async countTenants(): Promise<number> {
    return this.models.Tenant.count();
  }

  /** Records a tenant's active user count (no version bump: nothing routed depends on it). */
  async setUserCount(tenantId: number, userCount: number): Promise<void> {
    await this.models.Tenant.update({ userCount }, { where: { id: tenantId }, silent: true });
  }

  /**
   * Records a health check's outcome: the tenant's last health (and the users it counted) for the list,
   * no version bump, and a sample of its history (tenant_health_samples).
   */
  async recordHealth(tenantId: number, health: TenantHealthUpdate): Promise<void> {
    const error = health.error?.slice(0, 500) ?? null;
    await this.models.Tenant.update(
      {
        healthReachable: health.reachable,
        healthLatencyMs: health.latencyMs,
        healthSizeBytes: health.sizeBytes,
        healthError: error,
        healthCheckedAt: health.checkedAt,
        ...(health.userCount !== null ? { userCount: health.userCount } : {}),
      },
      { where: { id: tenantId }, silent: true },
    );
    await this.models.TenantHealthSample.create({
      tenantId,
      checkedAt: health.checkedAt,
      reachable: health.reachable,
      latencyMs: health.latencyMs,
      sizeBytes: health.sizeBytes,
      schemaVersion: health.schemaVersion ?? null,
      userCount: health.userCount,
      error,
    });
  }

  /** A tenant's health samples since `since`, oldest first (at most `limit`, the newest ones). */
  async healthHistory(tenantId: number, options: { since: Date; limit?: number }): Promise<HealthSampleRecord[]> {
    const rows = await this.models.TenantHealthSample.findAll({
      where: { tenantId, checkedAt: { [Op.gte]: options.since } },
      order: [['checkedAt', 'DESC']],
      limit: options.limit ?? 2000,
      raw: true,
    });
    return rows.reverse().map((r) => ({
      checkedAt: new Date(r.checkedAt),
      reachable: Boolean(r.reachable),
      latencyMs: r.latencyMs === null ? null : Number(r.latencyMs),
      sizeBytes: r.sizeBytes === null ? null : Number(r.sizeBytes),
      schemaVersion: r.schemaVersion,
      userCount: r.userCount,
      error: r.error,
    }));
  }

  /** Counts over every tenant's last health check: one aggregate query, no tenant database opened. */
  async healthSummary(latestSchema: string | null): Promise<FleetHealthSummaryRecord> {
    const [rows] = await this.sequelize.query(
      `SELECT COUNT(*) AS tenants,
              COUNT(health_checked_at) AS checked,
              SUM(CASE WHEN health_reachable = :yes THEN 1 ELSE 0 END) AS reachable,
              SUM(CASE WHEN health_reachable = :no THEN 1 ELSE 0 END) AS unreachable,
              SUM(CASE WHEN status NOT IN ('provisioning', 'deleting')
                        AND (schema_version IS NULL OR schema_version <> :latest) THEN 1 ELSE 0 END) AS behind,
              SUM(health_size_bytes) AS size,
              AVG(health_latency_ms) AS latency,
              MIN(health_checked_at) AS oldest,
              MAX(health_checked_at) AS newest
         FROM tenants`,
      { replacements: { yes: true, no: false, latest: latestSchema ?? '' } },
    );
    const r = (rows as Record<string, unknown>[])[0] ?? {};
    const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
    const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
    return {
      tenants: num(r.tenants),
      checked: num(r.checked),
      reachable: num(r.reachable),
      unreachable: num(r.unreachable),
      behindSchema: num(r.behind),
      sizeBytes: num(r.size),
      averageLatencyMs: r.latency === null || r.latency === undefined ? null : Math.round(Number(r.latency) * 100) / 100,
      oldestCheckAt: date(r.oldest),
      newestCheckAt: date(r.newest),
    };
  }

  /** Deletes health samples older than `before` (default: HEALTH_HISTORY_DAYS ago); returns how many. */
  async pruneHealthSamples(before = new Date(Date.now() - HEALTH_HISTORY_DAYS * 86_400_000)): Promise<number> {
    return this.models.TenantHealthSample.destroy({ where: { checkedAt: { [Op.lt]: before } } });
  }

  /** `filter` as a WHERE of Sequelize reads: the conditions tenant-list.ts writes, values escaped. */
  async #tenantWhere(filter: TenantListFilter): Promise<WhereOptions> {
    const server = filter.server !== undefined ? tenantServerFilter(filter.server) : null;
    const registered = server?.lookUp ? await this.servers.find(server.server) : null;
    const conditions = tenantFilterConditions(filter, {
      dialect: this.sequelize.getDialect() as SqlDialect,
      value: (v) => this.sequelize.escape(v),
      registeredServerId: registered?.id ?? null,
    });
    return conditions.length === 0 ? {} : literal(conditions.join(' AND '));
  }

  /**
   * Plain rows (`raw`), as listTenants reads them: the router asks this for every host it has not seen
   * and again for each cached one every few seconds (its TTL), so with hundreds of warm tenants a model
   * instance per lookup was a steady cost of the request path's process.
   */
  async findTenant(slug: string): Promise<TenantRecord | null> {
    const row = await this.models.Tenant.findOne({ where: { slug }, raw: true });
    return row ? toTenantRecord(row) : null;
  }

  /** The tenants of these slugs that exist (any order), in one read: the router's batched refresh. */
  async findTenants(slugs: readonly string[]): Promise<TenantRecord[]> {
    if (slugs.length === 0) return [];
    const rows = await this.models.Tenant.findAll({ where: { slug: [...slugs] }, raw: true });
    return rows.map(toTenantRecord);
  }

  /** Like `findTenant`, throwing `TenantNotFound`. */
  async getTenant(slug: string): Promise<TenantRecord> {
    const tenant = await this.findTenant(slug);
    if (!tenant) throw new TenantNotFound(slug);
    return tenant;
  }

  async findTenantById(id: number): Promise<TenantRecord | null> {
    const row = await this.models.Tenant.findByPk(id, { raw: true });
    return row ? toTenantRecord(row) : null;
  }

  /** The tenant owning a custom domain (given in any spelling `normalizeHost` accepts). */
  async findTenantByDomain(domain: string): Promise<TenantRecord | null> {
    const host = normalizeHost(domain);
    if (!host) return null;
    // Plain rows, as findTenant: the domain's row and its tenant's columns nested under `tenant`.
    const row = (await this.models.TenantDomain.findOne({
      where: { domain: host },
      attributes: ['id'],
      include: [{ model: this.models.Tenant, as: 'tenant', required: true }],
      raw: true,
      nest: true,
    })) as unknown as { tenant: Parameters<typeof toTenantRecord>[0] } | null;
    return row ? toTenantRecord(row.tenant) : null;
  }

  /** Inserts a tenant row; a duplicate slug throws `SlugTaken` (the unique index picks one winner). */
  async insertTenant(values: NewTenant): Promise<TenantRecord> {
    await this.#ensureDatabaseRow(values.db);
    try {
      const row = await this.#writeTransaction(async (transaction) => {
        await this.#placeInDatabase(values.db, null, transaction);
        return this.models.Tenant.create(
          {
            slug: values.slug,
            name: values.name,
            adminEmail: values.adminEmail,
            status: values.status ?? 'provisioning',
            suspendedReason: null,
            maxUsers: values.maxUsers,
            multiLocation: values.multiLocation,
            trialEndsAt: values.trialEndsAt,
            paidUntil: values.paidUntil,
            dbEngine: values.db.engine,
            dbHost: values.db.host,
            dbPort: values.db.port,
            dbName: values.db.name,
            dbSchema: values.db.schema ?? null,
            dbUser: values.db.user,
            dbPasswordEncrypted: values.db.passwordEncrypted,
            dbManaged: values.db.managed,
            dbKey: databaseKey(values.db),
            serverId: values.serverId ?? null,
            provisioningOwner: values.provisioning?.owner ?? null,
            provisioningLeaseUntil: values.provisioning?.leaseUntil ?? null,
            schemaVersion: null,
          },
          { transaction },
        );
      });
      const tenant = toTenantRecord(row);
      this.emit({ kind: 'tenant-changed', tenantId: tenant.id, slug: tenant.slug });
      return tenant;
    } catch (err) {
      if (!(err instanceof UniqueConstraintError)) throw err;
      // Engines name only one violated index: the slug's decides first (a retry claims its own row).
      if (await this.models.Tenant.findOne({ where: { slug: values.slug }, attributes: ['id'] })) throw new SlugTaken(values.slug);
      throw uniqueViolation(err, values.slug, values.db);
    }
  }

  /**
   * Applies `patch` and bumps `version`. With `expectedVersion` the update only happens when the row
   * is still at that version (optimistic locking) — otherwise `Conflict`.
   */
  async updateTenant(id: number, patch: TenantPatch, options: { expectedVersion?: number } = {}): Promise<TenantRecord> {
    const values: Record<string, unknown> = { version: literal('version + 1'), updatedAt: new Date() };
    const direct = [
      'name',
      'adminEmail',
      'status',
      'suspendedReason',
      'maxUsers',
      'multiLocation',
      'trialEndsAt',
      'paidUntil',
      'schemaVersion',
      'userCount',
      'serverId',
    ] as const;
    for (const key of direct) if (patch[key] !== undefined) values[key] = patch[key];
    if (patch.db) {
      const map = {
        engine: 'dbEngine',
        host: 'dbHost',
        port: 'dbPort',
        name: 'dbName',
        schema: 'dbSchema',
        user: 'dbUser',
        passwordEncrypted: 'dbPasswordEncrypted',
        managed: 'dbManaged',
      } as const;
      for (const [k, column] of Object.entries(map)) {
        const v = patch.db[k as keyof typeof map];
        if (v !== undefined) values[column] = v;
      }
    }
    if (patch.provisioning !== undefined) {
      values.provisioningOwner = patch.provisioning?.owner ?? null;
      values.provisioningLeaseUntil = patch.provisioning?.leaseUntil ?? null;
    }
    const where: Record<string, unknown> = { id };
    if (options.expectedVersion !== undefined) where.version = options.expectedVersion;
    let db: NewTenant['db'] | null = null;
    let count: number;
    if (patch.db && (['engine', 'host', 'port', 'name', 'schema'] as const).some((k) => patch.db![k] !== undefined)) {
      // A change of database: the old one counts this tenant no more and the new one takes it, in the
      // row's transaction (a version conflict takes both back).
      const current = await this.models.Tenant.findByPk(id);
      if (!current) throw new TenantNotFound(String(id));
      await this.#ensureDatabaseRow({ ...toTenantRecord(current).db, ...patch.db } as NewTenant['db']);
      try {
        count = await this.#writeTransaction(async (transaction) => {
          const row = await this.models.Tenant.findByPk(id, { transaction });
          if (!row) throw new TenantNotFound(String(id));
          const old = toTenantRecord(row).db;
          db = { ...old, ...patch.db } as NewTenant['db'];
          values.dbKey = databaseKey(db);
          await this.#leaveDatabase(old, transaction);
          await this.#placeInDatabase(db, id, transaction);
          const [n] = await this.models.Tenant.update(values, { where, silent: true, transaction });
          if (n === 0) throw new StaleVersion();
          return n;
        });
      } catch (err) {
        if (err instanceof StaleVersion) count = 0;
        else if (err instanceof UniqueConstraintError && db) throw uniqueViolation(err, String(id), db);
        else throw err;
      }
    } else {
      [count] = await this.models.Tenant.update(values, { where, silent: true });
    }
    const row = await this.models.Tenant.findByPk(id);
    if (!row) throw new TenantNotFound(String(id));
    if (count === 0) {
      throw new Conflict(`Tenant "${row.slug}" was changed by someone else (now at version ${row.version}); reload and retry`, {
        slug: row.slug,
        version: row.version,
      });
    }
    const tenant = toTenantRecord(row);
    this.emit({
      kind: 'tenant-changed',
      tenantId: tenant.id,
      slug: tenant.slug,
      keepConnections: patch.db === undefined && patch.status === undefined,
    });
    return tenant;
  }

  /**
   * Extends the lease of a tenant being created by `owner`; false when the row is gone or has been
   * taken over. Not a change anyone caches: no version bump, no change event.
   */
  async renewProvisioningLease(id: number, owner: string, leaseUntil: Date): Promise<boolean> {
    const [count] = await this.models.Tenant.update(
      { provisioningLeaseUntil: leaseUntil },
      { where: { id, provisioningOwner: owner, status: 'provisioning' }, silent: true },
    );
    return count > 0;
  }

  /**
   * A PostgreSQL database is either one tenant's own or a shared database of schema tenants, never
   * both (issue 17): its `tenant_databases` row (one per database — the primary key — however spelled:
   * `databaseKey` without the schema) takes one more tenant only if it is of the row's kind or the row
   * counts none. One conditional UPDATE inside the tenant row's transaction, so two creations at the
   * same instant cannot both pass; otherwise `DatabasePlacementConflict`, naming a tenant that holds it.
   */
  async #placeInDatabase(db: PlacementDb, exceptId: number | null, transaction: Transaction): Promise<void> {
    if (db.engine !== 'postgres') return;
    const dbKey = databaseKey({ ...db, schema: null });
    const kind = db.schema ? 'schemas' : 'whole';
    const [placed] = await this.models.TenantDatabaseRow.update(
      { kind, tenants: literal('tenants + 1') },
      { where: { dbKey, [Op.or]: [{ kind }, { tenants: 0 }] }, transaction },
    );
    if (placed === 1) return;
    const holder = await this.#placementHolder(db, exceptId, transaction);
    throw new DatabasePlacementConflict(describeDatabase({ ...db, schema: null }), {
      slug: holder?.slug ?? '(being created)',
      holds: kind === 'schemas' ? 'whole-database' : 'schemas',
    });
  }

  /**
   * The `tenant_databases` row of `db`'s database, inserted when missing — before the transaction that
   * places the tenant (in it, the INSERT's locks deadlock concurrent creations on MySQL). Rows stay.
   */
  async #ensureDatabaseRow(db: PlacementDb): Promise<void> {
    if (db.engine !== 'postgres') return;
    const dbKey = databaseKey({ ...db, schema: null });
    await this.models.TenantDatabaseRow.bulkCreate([{ dbKey, kind: db.schema ? 'schemas' : 'whole', tenants: 0 }], {
      ignoreDuplicates: true,
    });
  }

  /** The tenant leaves its PostgreSQL database: one tenant fewer of the database's kind. */
  async #leaveDatabase(db: PlacementDb, transaction: Transaction): Promise<void> {
    if (db.engine !== 'postgres') return;
    await this.models.TenantDatabaseRow.update(
      { tenants: literal('tenants - 1') },
      {
        where: { dbKey: databaseKey({ ...db, schema: null }), kind: db.schema ? 'schemas' : 'whole', tenants: { [Op.gt]: 0 } },
        transaction,
      },
    );
  }

  /** A tenant of the other kind in `db`'s database (for the conflict's message). */
  async #placementHolder(db: PlacementDb, exceptId: number | null, transaction: Transaction): Promise<TenantRow | null> {
    const database = databaseKey({ ...db, schema: null });
    const rows = await this.models.Tenant.findAll({
      where: { dbEngine: 'postgres', [Op.and]: [whereFn(fn('lower', col('db_name')), db.name.trim().toLowerCase())] },
      attributes: ['id', 'slug', 'dbHost', 'dbPort', 'dbName', 'dbSchema'],
      limit: 50,
      transaction,
    });
    const wantSchema = Boolean(db.schema);
    return (
      rows.find(
        (row) =>
          row.id !== exceptId &&
          Boolean(row.dbSchema) !== wantSchema &&
          databaseKey({ engine: 'postgres', host: row.dbHost, port: row.dbPort, name: row.dbName, schema: null }) === database,
      ) ?? null
    );
  }

  /** The tenant whose database is this one (any spelling), if any. */
  async findTenantByDatabase(db: {
    engine: Engine;
    host: string | null;
    port: number | null;
    name: string;
    schema?: string | null;
  }): Promise<TenantRecord | null> {
    const row = await this.models.Tenant.findOne({ where: { dbKey: databaseKey(db) } });
    return row ? toTenantRecord(row) : null;
  }

  /**
   * Records the schema version of many tenants at once (a fleet migration): one UPDATE per distinct
   * version and chunk of ids, each bumping `version`; a change event per tenant.
   */
  async setSchemaVersions(updates: readonly { tenantId: number; slug: string; schemaVersion: string | null }[]): Promise<void> {
    const byVersion = new Map<string | null, { tenantId: number; slug: string }[]>();
    for (const u of updates) {
      let list = byVersion.get(u.schemaVersion);
      if (!list) byVersion.set(u.schemaVersion, (list = []));
      list.push(u);
    }
    for (const [schemaVersion, tenants] of byVersion) {
      for (let i = 0; i < tenants.length; i += 500) {
        const chunk = tenants.slice(i, i + 500);
        await this.models.Tenant.update(
          { schemaVersion, version: literal('version + 1') as unknown as number, updatedAt: new Date() },
          { where: { id: chunk.map((t) => t.tenantId) }, silent: true },
        );
        for (const t of chunk) this.emit({ kind: 'tenant-changed', tenantId: t.tenantId, slug: t.slug, keepConnections: true });
      }
    }
  }

  /** Deletes the row (its domains go with it). Returns false when it was already gone. */
  async deleteTenant(id: number): Promise<boolean> {
    const row = await this.models.Tenant.findByPk(id);
    if (!row) return false;
    const domains = await this.models.TenantDomain.findAll({ where: { tenantId: id } });
    await this.models.TenantDomain.destroy({ where: { tenantId: id } });
    const count = await this.#writeTransaction(async (transaction) => {
      // The database's row first, as placing a tenant locks it (MySQL: the same lock order, no deadlock).
      const current = await this.models.Tenant.findByPk(id, { transaction });
      if (!current) throw new StaleVersion(); // gone meanwhile: nothing to count down
      await this.#leaveDatabase(toTenantRecord(current).db, transaction);
      return this.models.Tenant.destroy({ where: { id }, transaction });
    }).catch((err: unknown) => {
      if (err instanceof StaleVersion) return 0;
      throw err;
    });
    for (const d of domains) this.emit({ kind: 'domain-changed', tenantId: id, slug: row.slug, domain: d.domain });
    this.emit({ kind: 'tenant-deleted', tenantId: id, slug: row.slug });
    return count > 0;
  }

  /** Encrypts a database password for storage. */
  sealPassword(plain: string): string {
    return this.#secrets.seal(plain);
  }

  /** The tenant's database spec with its password decrypted — call only to connect. */
  databaseSpecOf(tenant: TenantRecord): DatabaseSpec {
    return {
      engine: tenant.db.engine,
      database: tenant.db.name,
      ...(tenant.db.schema ? { schema: tenant.db.schema } : {}),
      host: tenant.db.host,
      port: tenant.db.port,
      user: tenant.db.user,
      password: tenant.db.passwordEncrypted ? this.#secrets.open(tenant.db.passwordEncrypted) : null,
    };
  }

  // ── domains ───────────────────────────────────────────────────────────────────────────────────

  async listDomains(tenantId: number): Promise<DomainRecord[]> {
    const rows = await this.models.TenantDomain.findAll({ where: { tenantId }, order: [['domain', 'ASC']] });
    return rows.map(toDomainRecord);
  }

  /**
   * Adds a custom domain (normalised; unique across tenants). `primary` makes it the tenant's only
   * primary domain; the first domain of a tenant is primary anyway.
   */
  async addDomain(tenantId: number, domain: string, options: { primary?: boolean } = {}): Promise<DomainRecord> {
    const host = normalizeDomain(domain);
    const tenant = await this.models.Tenant.findByPk(tenantId);
    if (!tenant) throw new TenantNotFound(String(tenantId));
    let created;
    try {
      created = await this.#writeTransaction(async (transaction) => {
        const existing = await this.models.TenantDomain.count({ where: { tenantId }, transaction });
        const primary = options.primary === true || existing === 0;
        if (primary) await this.models.TenantDomain.update({ isPrimary: false }, { where: { tenantId }, transaction });
        const row = await this.models.TenantDomain.create({ tenantId, domain: host, isPrimary: primary }, { transaction });
        await this.models.Tenant.update({ version: literal('version + 1') as unknown as number }, { where: { id: tenantId }, transaction });
        return row;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintError) throw new Conflict(`The domain ${host} is already in use`, { domain: host });
      throw err;
    }
    this.emit({ kind: 'domain-changed', tenantId, slug: tenant.slug, domain: host, keepConnections: true });
    this.emit({ kind: 'tenant-changed', tenantId, slug: tenant.slug, keepConnections: true });
    return toDomainRecord(created);
  }

  /** Removes a custom domain; when it was primary, the oldest remaining one becomes primary. */
  async removeDomain(tenantId: number, domain: string): Promise<void> {
    const host = normalizeHost(domain) ?? domain.trim().toLowerCase();
    const tenant = await this.models.Tenant.findByPk(tenantId);
    if (!tenant) throw new TenantNotFound(String(tenantId));
    const removed = await this.#writeTransaction(async (transaction) => {
      const row = await this.models.TenantDomain.findOne({ where: { tenantId, domain: host }, transaction });
      if (!row) return false;
      await row.destroy({ transaction });
      if (row.isPrimary) {
        const next = await this.models.TenantDomain.findOne({ where: { tenantId }, order: [['id', 'ASC']], transaction });
        if (next) await next.update({ isPrimary: true }, { transaction });
      }
      await this.models.Tenant.update({ version: literal('version + 1') as unknown as number }, { where: { id: tenantId }, transaction });
      return true;
    });
    if (!removed) throw new NotFound('Domain', host);
    this.emit({ kind: 'domain-changed', tenantId, slug: tenant.slug, domain: host, keepConnections: true });
    this.emit({ kind: 'tenant-changed', tenantId, slug: tenant.slug, keepConnections: true });
  }

  // ── platform admins ───────────────────────────────────────────────────────────────────────────

  async countPlatformAdmins(): Promise<number> {
    return this.models.PlatformAdmin.count();
  }

  async listPlatformAdmins(): Promise<PlatformAdminRecord[]> {
    const rows = await this.models.PlatformAdmin.findAll({ order: [['username', 'ASC']] });
    return rows.map(toAdminRecord);
  }

  async createPlatformAdmin(input: NewPlatformAdmin): Promise<PlatformAdminRecord> {
    const username = input.username.trim().toLowerCase();
    const email = normalizeEmail(input.email);
    const problems: { path: string; message: string }[] = [];
    if (!isUsername(username)) problems.push({ path: 'username', message: USERNAME_MESSAGE });
    if (!isEmail(email)) problems.push({ path: 'email', message: EMAIL_MESSAGE });
    if (problems.length) throw new ValidationFailed('Invalid platform admin', problems);
    try {
      const row = await this.models.PlatformAdmin.create({
        username,
        email,
        passwordHash: await hashPassword(input.password),
        mustChangePassword: input.mustChangePassword ?? false,
        lastLoginAt: null,
      });
      return toAdminRecord(row);
    } catch (err) {
      if (err instanceof UniqueConstraintError) throw new Conflict('A platform admin with that username or email exists');
      throw err;
    }
  }

  async getPlatformAdmin(id: number): Promise<PlatformAdminRecord | null> {
    const row = await this.models.PlatformAdmin.findByPk(id);
    return row ? toAdminRecord(row) : null;
  }

  /** By username or email, case-insensitively. */
  async findPlatformAdmin(login: string): Promise<PlatformAdminRecord | null> {
    const key = login.trim().toLowerCase();
    const row = await this.models.PlatformAdmin.findOne({ where: { [Op.or]: [{ username: key }, { email: key }] } });
    return row ? toAdminRecord(row) : null;
  }

  /**
   * The active admin whose login and password match, or null. Unknown logins still pay for one
   * password verification so the timing does not tell them apart.
   */
  async authenticatePlatformAdmin(login: string, password: string): Promise<PlatformAdminRecord | null> {
    const key = login.trim().toLowerCase();
    const row = await this.models.PlatformAdmin.findOne({ where: { [Op.or]: [{ username: key }, { email: key }] } });
    if (!row) {
      await verifyPassword(password, this.#unknownAdminHash);
      return null;
    }
    const ok = await verifyPassword(password, row.passwordHash);
    if (!ok || !row.isActive) return null;
    // As tenant sign-in does: a hash of an older scheme (scrypt) or a one-time cost is replaced now.
    if (passwordNeedsRehash(row.passwordHash)) await row.update({ passwordHash: await hashPassword(password) });
    return toAdminRecord(row);
  }

  /** Whether `password` is this admin's current password. */
  async verifyPlatformAdminPassword(id: number, password: string): Promise<boolean> {
    const row = await this.models.PlatformAdmin.findByPk(id);
    return row ? verifyPassword(password, row.passwordHash) : false;
  }

  async setPlatformAdminPassword(id: number, password: string, options: { mustChange?: boolean } = {}): Promise<PlatformAdminRecord> {
    const row = await this.models.PlatformAdmin.findByPk(id);
    if (!row) throw new NotFound('Platform admin', id);
    await row.update({ passwordHash: await hashPassword(password), mustChangePassword: options.mustChange ?? false });
    return toAdminRecord(row);
  }

  async setPlatformAdminActive(id: number, active: boolean): Promise<PlatformAdminRecord> {
    const row = await this.models.PlatformAdmin.findByPk(id);
    if (!row) throw new NotFound('Platform admin', id);
    await row.update({ isActive: active });
    if (!active) await this.models.PlatformSession.destroy({ where: { adminId: id } });
    return toAdminRecord(row);
  }

  async recordPlatformAdminLogin(id: number, at = new Date()): Promise<void> {
    await this.models.PlatformAdmin.update({ lastLoginAt: at }, { where: { id } });
  }

  // ── platform sessions ─────────────────────────────────────────────────────────────────────────

  /** Creates a session; the opaque token is returned once, only its SHA-256 is stored. */
  async createPlatformSession(
    adminId: number,
    options: PlatformSessionOptions = {},
  ): Promise<{ token: string; session: PlatformSessionRecord }> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const row = await this.models.PlatformSession.create({
      tokenHash: sha256(token),
      adminId,
      expiresAt: new Date(now.getTime() + (options.ttlMs ?? DEFAULT_SESSION_TTL_MS)),
      lastSeenAt: now,
      ip: options.ip?.slice(0, 64) ?? null,
      userAgent: options.userAgent?.slice(0, 500) ?? null,
    });
    return { token, session: toSessionRecord(row) };
  }

  /**
   * The live session of a token and its (active) admin, or null for unknown, expired or revoked
   * tokens. Refreshes `lastSeenAt` at most once a minute.
   */
  async findPlatformSession(token: string): Promise<{ session: PlatformSessionRecord; admin: PlatformAdminRecord } | null> {
    if (typeof token !== 'string' || token.length < 20 || token.length > 200) return null;
    const row = await this.models.PlatformSession.findOne({
      where: { tokenHash: sha256(token) },
      include: [{ model: this.models.PlatformAdmin, as: 'admin', required: true }],
    });
    if (!row) return null;
    const now = new Date();
    if (row.expiresAt.getTime() <= now.getTime()) {
      await row.destroy();
      return null;
    }
    const admin = row.get('admin') as InstanceType<RegistryModels['PlatformAdmin']>;
    if (!admin.isActive) return null;
    if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await this.models.PlatformSession.update({ lastSeenAt: now }, { where: { id: row.id } });
      row.lastSeenAt = now;
    }
    return { session: toSessionRecord(row), admin: toAdminRecord(admin) };
  }

  async revokePlatformSession(token: string): Promise<boolean> {
    const count = await this.models.PlatformSession.destroy({ where: { tokenHash: sha256(token) } });
    return count > 0;
  }

  /** Revokes every session of an admin (e.g. after a password change), optionally keeping one. */
  async revokePlatformSessionsOf(adminId: number, options: { exceptToken?: string } = {}): Promise<number> {
    const where: WhereOptions = { adminId };
    if (options.exceptToken) Object.assign(where, { tokenHash: { [Op.ne]: sha256(options.exceptToken) } });
    return this.models.PlatformSession.destroy({ where });
  }

  async purgeExpiredPlatformSessions(now = new Date()): Promise<number> {
    return this.models.PlatformSession.destroy({ where: { expiresAt: { [Op.lte]: now } } });
  }

  // ── operations ────────────────────────────────────────────────────────────────────────────────

  /**
   * Stores operation rows in one INSERT (rows of one run written together: a fleet migration's
   * per-tenant notes of a chunk of tenants); ids follow the order given.
   */
  async insertOperations(entries: readonly OperationInsert[]): Promise<void> {
    if (entries.length === 0) return;
    await this.models.Operation.bulkCreate(
      entries.map((entry) => ({
        runId: entry.runId,
        tenantId: entry.tenantId,
        tenantSlug: entry.tenantSlug,
        action: entry.action,
        step: entry.step,
        outcome: entry.outcome,
        actor: entry.actor.slice(0, 200),
        details: JSON.stringify(entry.details),
        error: entry.error,
        durationMs: entry.durationMs === null ? null : Math.round(entry.durationMs),
        ...(entry.createdAt ? { createdAt: entry.createdAt } : {}),
      })),
    );
  }

  async listOperations(filter: OperationFilter = {}): Promise<OperationRecord[]> {
    const where: Record<string, unknown> = {};
    if (filter.tenant) where.tenantSlug = filter.tenant;
    if (filter.action) where.action = filter.action;
    if (filter.outcome) where.outcome = filter.outcome;
    if (filter.runId) where.runId = filter.runId;
    if (filter.beforeId) where.id = { [Op.lt]: filter.beforeId };
    const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 100), 1), 1000);
    const rows = await this.models.Operation.findAll({ where, order: [['id', 'DESC']], limit });
    return rows.map(toOperationRecord);
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────────

  /** A write transaction; on SQLite `BEGIN IMMEDIATE` so two processes queue instead of deadlocking. */
  async #writeTransaction<T>(fn: (t: Transaction) => Promise<T>): Promise<T> {
    if (this.engine !== 'sqlite') return this.sequelize.transaction(fn);
    // One at a time within this process: SQLite's busy handler polls with growing sleeps, so writers
    // queued on it here (each on its own connection) can time out where a queue just waits its turn.
    const turn = this.#sqliteWrites.then(() => this.sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, fn));
    this.#sqliteWrites = turn.catch(() => undefined);
    return turn;
  }
}

/** The placement fields of a tenant's database that `tenant_databases` is about. */
type PlacementDb = { engine: Engine; host: string | null; port: number | null; name: string; schema?: string | null };

/** A conditional update that found the row at another version (rolls its transaction back). */
class StaleVersion extends Error {}

/** A custom domain as stored: normalised, a real name (not an IP), at least two labels. */
export function normalizeDomain(domain: string): string {
  const host = normalizeHost(domain);
  if (!host || host.includes(':') || isIpHost(host) || !host.includes('.')) {
    throw new ValidationFailed(`"${String(domain).slice(0, 100)}" is not a domain name`, [
      { path: 'domain', message: 'must be a domain name like shop.example.com' },
    ]);
  }
  return host;
}

/** Sort columns; rows without a value (never counted, never checked) come last either way. */
function tenantOrder(sort: TenantSortKey, direction: 'asc' | 'desc'): Order {
  const dir = direction === 'desc' ? 'DESC' : 'ASC';
  const missingLast = (column: string) => [literal(`(${column} IS NULL)`), 'ASC'] as [ReturnType<typeof literal>, string];
  const bySlug: [string, string] = ['slug', sort === 'slug' ? dir : 'ASC'];
  switch (sort) {
    case 'name':
      // Case-insensitive on every engine (SQLite and PostgreSQL's C collation would put 'Z' before 'a').
      return [[fn('lower', col('name')), dir], bySlug];
    case 'slug':
      return [bySlug];
    case 'status':
      return [['status', dir], bySlug];
    case 'engine':
      return [['dbEngine', dir], bySlug];
    case 'users':
      return [missingLast('user_count'), ['userCount', dir], ['maxUsers', dir], bySlug];
    case 'schema':
      return [missingLast('schema_version'), ['schemaVersion', dir], bySlug];
    case 'health':
      // Reachable by latency, then unreachable, then never checked.
      return [
        missingLast('health_checked_at'),
        [literal('(CASE WHEN health_reachable THEN 0 ELSE 1 END)'), dir],
        ['healthLatencyMs', dir],
        bySlug,
      ];
    case 'created':
      return [
        ['createdAt', dir],
        ['id', dir],
      ];
  }
}

type Row<K extends keyof RegistryModels> = RegistryModels[K] extends abstract new (...args: never[]) => infer I ? I : never;

/** A unique index refused the row: the slug's (SlugTaken) or the database's (DatabaseInUse). */
function uniqueViolation(
  err: UniqueConstraintError,
  slug: string,
  db: { engine: Engine; host: string | null; port: number | null; name: string; schema?: string | null },
): Error {
  const fields = Object.keys(err.fields ?? {});
  const text = `${err.message} ${(err.parent as { message?: string } | undefined)?.message ?? ''} ${fields.join(' ')}`;
  if (fields.some((f) => f === 'db_key' || f === 'dbKey') || /db_key/.test(text)) return new DatabaseInUse(describeDatabase(db));
  return new SlugTaken(slug);
}

function describeDatabase(db: { engine: Engine; host: string | null; port: number | null; name: string; schema?: string | null }): string {
  return db.engine === 'sqlite'
    ? `SQLite ${db.name}`
    : `${db.engine} ${db.schema ? `schema "${db.schema}" of database` : 'database'} "${db.name}" on ${db.host ?? 'localhost'}${db.port ? `:${db.port}` : ''}`;
}

function toDomainRecord(row: Row<'TenantDomain'>): DomainRecord {
  return Object.freeze({
    id: row.id,
    tenantId: row.tenantId as number,
    domain: row.domain,
    primary: Boolean(row.isPrimary),
    createdAt: row.createdAt,
  });
}

function toAdminRecord(row: Row<'PlatformAdmin'>): PlatformAdminRecord {
  return Object.freeze({
    id: row.id,
    username: row.username,
    email: row.email,
    mustChangePassword: Boolean(row.mustChangePassword),
    isActive: Boolean(row.isActive),
    lastLoginAt: row.lastLoginAt ?? null,
    createdAt: row.createdAt,
  });
}

function toSessionRecord(row: Row<'PlatformSession'>): PlatformSessionRecord {
  return Object.freeze({
    id: row.id,
    adminId: row.adminId as number,
    expiresAt: row.expiresAt,
    lastSeenAt: row.lastSeenAt,
    ip: row.ip ?? null,
    userAgent: row.userAgent ?? null,
    createdAt: row.createdAt,
  });
}

function toOperationRecord(row: Row<'Operation'>): OperationRecord {
  let details: Record<string, unknown> = {};
  try {
    details = JSON.parse(row.details) as Record<string, unknown>;
  } catch {
    // a row written by hand; keep it readable
  }
  return Object.freeze({
    id: row.id,
    runId: row.runId,
    tenantId: row.tenantId ?? null,
    tenantSlug: row.tenantSlug ?? null,
    action: row.action,
    step: row.step ?? null,
    outcome: row.outcome,
    actor: row.actor,
    details,
    error: row.error ?? null,
    durationMs: row.durationMs ?? null,
    createdAt: row.createdAt,
  });
}
