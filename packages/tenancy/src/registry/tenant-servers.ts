import { col, fn, Op, UniqueConstraintError } from 'sequelize';
import { Conflict, LimitReached, NotFound, type ServerEngine, type TenantServerState } from '@salesfleet/contracts';
import type { SecretBox } from '../crypto';
import type { DatabaseSpec } from '../drivers/spec';
import { checkCapacity, checkName, checkState, type NewTenantServer, serverSpec } from './server-list';
import type { RegistryLocks } from './locks';
import type { RegistryModels } from './models';

/** A registered tenant server; its password stays sealed (open it with `specOf` only to connect). */
export interface TenantServerRecord {
  readonly id: number;
  readonly name: string;
  readonly engine: ServerEngine;
  readonly host: string;
  readonly port: number;
  readonly user: string | null;
  readonly passwordSet: boolean;
  /** The database to connect to for CREATE/DROP DATABASE (the URL's path); null: the engine's default. */
  readonly maintenanceDatabase: string | null;
  readonly capacity: number;
  readonly state: TenantServerState;
  /** Tenants whose row names this server (any status). */
  readonly tenantCount: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export { parseTenantServers, type NewTenantServer } from './server-list';

export interface TenantServerPatch {
  state?: TenantServerState;
  capacity?: number;
}

/** The lock every placement takes: choosing a server and inserting the tenant's row happen under it. */
export const PLACEMENT_LOCK = 'tenant-placement';

/**
 * The registry's tenant servers (placement). A server is engine-agnostic: an engine, a connection, a
 * capacity in tenants and a state. New tenants without an explicit database go to the least-loaded
 * open server of their engine (`choose`), which the provisioner calls under `PLACEMENT_LOCK` so that
 * two creations at once never both take a server's last place.
 */
export class TenantServers {
  readonly #models: RegistryModels;
  readonly #secrets: SecretBox;
  readonly #locks: RegistryLocks;

  constructor(models: RegistryModels, secrets: SecretBox, locks: RegistryLocks) {
    this.#models = models;
    this.#secrets = secrets;
    this.#locks = locks;
  }

  /** Every server by name, with how many tenants each holds. */
  async list(filter: { engine?: ServerEngine } = {}): Promise<TenantServerRecord[]> {
    const rows = await this.#models.TenantServerRow.findAll({
      where: filter.engine ? { engine: filter.engine } : {},
      order: [['name', 'ASC']],
      raw: true,
    });
    const counts = await this.#counts(rows.map((r) => r.id));
    return rows.map((r) => toServerRecord(r, counts.get(r.id) ?? 0));
  }

  async find(name: string): Promise<TenantServerRecord | null> {
    const row = await this.#models.TenantServerRow.findOne({ where: { name: name.trim().toLowerCase() }, raw: true });
    if (!row) return null;
    const counts = await this.#counts([row.id]);
    return toServerRecord(row, counts.get(row.id) ?? 0);
  }

  /** Like `find`, throwing `NotFound`. */
  async get(name: string): Promise<TenantServerRecord> {
    const server = await this.find(name);
    if (!server) throw new NotFound(`No tenant server named "${String(name).slice(0, 63)}"`);
    return server;
  }

  async findById(id: number): Promise<TenantServerRecord | null> {
    const row = await this.#models.TenantServerRow.findByPk(id, { raw: true });
    if (!row) return null;
    const counts = await this.#counts([row.id]);
    return toServerRecord(row, counts.get(row.id) ?? 0);
  }

  /** Registers a server; a taken name is `Conflict`. The URL's password is sealed, never returned. */
  async add(input: NewTenantServer): Promise<TenantServerRecord> {
    const name = checkName(input.name);
    const spec = serverSpec(input.url);
    const capacity = checkCapacity(input.capacity);
    const state = checkState(input.state ?? 'open');
    try {
      const row = await this.#models.TenantServerRow.create({
        name,
        engine: spec.engine,
        host: spec.host,
        port: spec.port,
        user: spec.user,
        passwordEncrypted: spec.password ? this.#secrets.seal(spec.password) : null,
        maintenanceDatabase: spec.database || null,
        capacity,
        state,
      });
      return toServerRecord(row.get({ plain: true }), 0);
    } catch (err) {
      if (err instanceof UniqueConstraintError) throw new Conflict(`A tenant server named "${name}" already exists`, { name });
      throw err;
    }
  }

  async update(name: string, patch: TenantServerPatch): Promise<TenantServerRecord> {
    const server = await this.get(name);
    const values: { state?: TenantServerState; capacity?: number; updatedAt: Date } = { updatedAt: new Date() };
    if (patch.state !== undefined) values.state = checkState(patch.state);
    if (patch.capacity !== undefined) values.capacity = checkCapacity(patch.capacity);
    await this.#models.TenantServerRow.update(values, { where: { id: server.id } });
    return this.get(name);
  }

  /** Unregisters a server that holds no tenant (move them away first: `Conflict` otherwise). */
  async remove(name: string): Promise<void> {
    const server = await this.get(name);
    if (server.tenantCount > 0) {
      throw new Conflict(`Tenant server "${server.name}" still holds ${server.tenantCount} tenant(s); move them first`, {
        name: server.name,
        tenantCount: server.tenantCount,
      });
    }
    await this.#models.TenantServerRow.destroy({ where: { id: server.id } });
  }

  /** The server's connection (password decrypted — only to connect); `database` is its maintenance database or ''. */
  async specOf(server: Pick<TenantServerRecord, 'id' | 'name'>): Promise<DatabaseSpec> {
    const row = await this.#models.TenantServerRow.findByPk(server.id, { raw: true });
    if (!row) throw new NotFound(`No tenant server named "${server.name}"`);
    return {
      engine: row.engine,
      host: row.host,
      port: Number(row.port),
      user: row.user ?? null,
      password: row.passwordEncrypted ? this.#secrets.open(row.passwordEncrypted) : null,
      database: row.maintenanceDatabase ?? '',
    };
  }

  /**
   * The recorded maintenance database of the registered server `spec` lives on (same engine, host and
   * port; the same user first when several are registered there): null for the engine's default,
   * undefined when no registered server is that server.
   */
  async maintenanceDatabaseOf(spec: Pick<DatabaseSpec, 'engine' | 'host' | 'port' | 'user'>): Promise<string | null | undefined> {
    if (spec.engine !== 'postgres' && spec.engine !== 'mysql') return undefined;
    const rows = await this.#models.TenantServerRow.findAll({
      where: { engine: spec.engine, host: spec.host ?? '', port: spec.port ?? 0 },
      order: [['id', 'ASC']],
      raw: true,
    });
    const row = rows.find((r) => (r.user ?? null) === (spec.user ?? null)) ?? rows[0];
    return row ? (row.maintenanceDatabase ?? null) : undefined;
  }

  /**
   * The least-loaded open server of `engine` with room (tenants / capacity, ties by name), or null
   * when no server of that engine is registered at all. Every server of the engine full, draining or
   * at capacity: `LimitReached`. Call it under `PLACEMENT_LOCK` (`withPlacementLock`) with the insert.
   */
  async choose(engine: ServerEngine): Promise<TenantServerRecord | null> {
    const servers = await this.list({ engine });
    if (servers.length === 0) return null;
    const candidates = servers.filter((s) => s.state === 'open' && s.tenantCount < s.capacity);
    candidates.sort((a, b) => a.tenantCount / a.capacity - b.tenantCount / b.capacity || a.name.localeCompare(b.name));
    const best = candidates[0];
    if (!best) {
      throw new LimitReached(
        `No open ${engine} tenant server has room (${servers.map((s) => `${s.name}: ${s.state}, ${s.tenantCount}/${s.capacity}`).join('; ')})`,
        {
          engine,
        },
      );
    }
    return best;
  }

  /** Runs `fn` (choose a server, insert the tenant's row) while no other process places a tenant. */
  withPlacementLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.#locks.withLock(PLACEMENT_LOCK, fn, { busy: 'placing a tenant on a server' });
  }

  /**
   * Registers the servers of `SALESFLEET_TENANT_SERVERS` that are not registered yet (by name); a
   * registered server is left as the registry has it (the CLI and console manage it from then on).
   */
  async seed(servers: readonly NewTenantServer[]): Promise<string[]> {
    const added: string[] = [];
    for (const s of servers) {
      if (await this.find(s.name)) continue;
      try {
        await this.add(s);
        added.push(s.name);
      } catch (err) {
        // Another process seeding at the same time added it first.
        if (!(err instanceof Conflict)) throw err;
      }
    }
    return added;
  }

  async #counts(ids: number[]): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    if (ids.length === 0) return counts;
    const rows = (await this.#models.Tenant.findAll({
      attributes: ['serverId', [fn('COUNT', col('id')), 'n']],
      where: { serverId: { [Op.in]: ids } },
      group: ['serverId'],
      raw: true,
    })) as unknown as { serverId: number; n: number | string }[];
    for (const r of rows) counts.set(Number(r.serverId), Number(r.n));
    return counts;
  }
}

interface ServerRowValues {
  id: number;
  name: string;
  engine: ServerEngine;
  host: string;
  port: number;
  user: string | null;
  passwordEncrypted: string | null;
  maintenanceDatabase: string | null;
  capacity: number;
  state: TenantServerState;
  createdAt: Date | string;
  updatedAt: Date | string;
}

function toServerRecord(row: ServerRowValues, tenantCount: number): TenantServerRecord {
  return Object.freeze({
    id: row.id,
    name: row.name,
    engine: row.engine,
    host: row.host,
    port: Number(row.port),
    user: row.user ?? null,
    passwordSet: Boolean(row.passwordEncrypted),
    maintenanceDatabase: row.maintenanceDatabase ?? null,
    capacity: Number(row.capacity),
    state: row.state,
    tenantCount,
    createdAt: row.createdAt instanceof Date ? row.createdAt : new Date(row.createdAt),
    updatedAt: row.updatedAt instanceof Date ? row.updatedAt : new Date(row.updatedAt),
  });
}
