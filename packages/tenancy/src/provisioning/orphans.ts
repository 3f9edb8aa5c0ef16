import {
  DEFAULT_SCHEMA_DATABASE,
  databaseKey,
  describeSpec,
  driverFor,
  listTenantSchemas,
  managedDatabaseName,
  managedSchemaName,
  parseDatabaseUrl,
  type DatabaseSpec,
} from '../drivers/index';
import { errorText } from '../logger';
import { deleteTenant } from './delete-tenant';
import { creatorGone } from './lease';
import { serverContextFor, type ProvisioningContext } from './context';
import { withOperation } from './operation';
import type { ActorOptions } from './types';
import type { Engine } from '@salesfleet/contracts';

/**
 * A database named like a managed tenant database (`sales_*`, `tenants/*.sqlite`), or a schema named
 * like a managed tenant schema (`t_*`) in a shared database of schema tenants, that no registry row names.
 */
export interface OrphanDatabase {
  engine: Engine;
  /** Database name (SQLite: path relative to the data dir); for an orphan schema, its shared database. */
  name: string;
  /** An orphan schema (`postgres-schema`): its name in the shared database `name`. */
  schema?: string;
  /** Where it is, password masked. */
  where: string;
}

/** A row left in `provisioning` by a creator that is gone (crashed, killed, lease run out). */
export interface AbandonedTenant {
  slug: string;
  owner: string | null;
  since: Date;
  database: string;
}

export interface OrphanReport {
  databases: OrphanDatabase[];
  abandoned: AbandonedTenant[];
  /** Servers that could not be listed (with why); their orphans are unknown. */
  unreachable: { where: string; error: string }[];
}

/** The prefix every managed server database name starts with (managedDatabaseName). */
const MANAGED_PREFIX = managedDatabaseName('x').slice(0, -1);
/** The prefix every managed tenant schema starts with (managedSchemaName). */
const SCHEMA_PREFIX = managedSchemaName('x').slice(0, -1);

/**
 * Finds what crashed or interrupted creations leave behind: databases named like ours on the tenant
 * server(s) and SQLite files in the data dir that no tenant owns, and rows stuck in `provisioning`
 * whose creator is gone. Servers looked at: SALESFLEET_TENANT_SERVER_URL and the servers of managed tenants.
 */
export async function findOrphans(ctx: ProvisioningContext): Promise<OrphanReport & { specs: Map<string, DatabaseSpec> }> {
  const tenants = await ctx.registry.listTenants();
  const owned = new Set<string>();
  const servers = new Map<string, DatabaseSpec>();
  /** Shared databases of schema tenants, searched for orphan schemas. */
  const sharedDatabases = new Map<string, DatabaseSpec>();
  const sqlite: DatabaseSpec = { engine: 'sqlite', database: '', host: null, port: null, user: null, password: null };
  servers.set('sqlite', sqlite);
  if (ctx.config.tenantServerUrl) {
    const server = parseDatabaseUrl(ctx.config.tenantServerUrl);
    servers.set(serverKey(server), server);
    // The default shared database, where a creation killed before its row was written leaves its schema.
    if (server.engine === 'postgres') {
      const shared = { ...server, database: DEFAULT_SCHEMA_DATABASE, schema: null };
      sharedDatabases.set(databaseKey({ ...shared, name: shared.database }), shared);
    }
  }
  for (const tenant of tenants) {
    owned.add(tenant.db.key ?? databaseKey(tenant.db));
    // A shared database is owned by its schema tenants (never an orphan database itself).
    if (tenant.db.schema) owned.add(databaseKey({ ...tenant.db, schema: null }));
    if (tenant.db.engine === 'sqlite' || !tenant.db.managed) continue;
    try {
      const spec = ctx.registry.databaseSpecOf(tenant);
      if (spec.schema) {
        const shared = { ...spec, schema: null };
        sharedDatabases.set(databaseKey({ ...shared, name: shared.database }), shared);
        continue;
      }
      if (!servers.has(serverKey(spec))) servers.set(serverKey(spec), spec);
    } catch (err) {
      ctx.logger.warn(
        { err: errorText(err), tenant: tenant.slug },
        'tenant database password not readable; its server is not searched for orphans',
      );
    }
  }

  const report: OrphanReport & { specs: Map<string, DatabaseSpec> } = { databases: [], abandoned: [], unreachable: [], specs: new Map() };
  for (const server of servers.values()) {
    const prefix = server.engine === 'sqlite' ? 'tenants/' : MANAGED_PREFIX;
    let names: string[];
    try {
      names = await driverFor(server.engine).list(server, prefix, await serverContextFor(ctx, server));
    } catch (err) {
      report.unreachable.push({ where: describeSpec({ ...server, database: '' }), error: errorText(err, [server.password]) });
      continue;
    }
    for (const name of names) {
      const spec = { ...server, database: name };
      if (owned.has(databaseKey({ engine: spec.engine, host: spec.host, port: spec.port, name }))) continue;
      const where = describeSpec(spec);
      report.databases.push({ engine: spec.engine, name, where });
      report.specs.set(where, spec);
    }
  }
  for (const shared of sharedDatabases.values()) {
    let schemas: string[];
    try {
      schemas = await listTenantSchemas(shared, SCHEMA_PREFIX, await serverContextFor(ctx, shared));
    } catch (err) {
      report.unreachable.push({ where: describeSpec(shared), error: errorText(err, [shared.password]) });
      continue;
    }
    for (const schema of schemas) {
      const spec = { ...shared, schema };
      if (owned.has(databaseKey({ engine: 'postgres', host: spec.host, port: spec.port, name: spec.database, schema }))) continue;
      const where = describeSpec(spec);
      report.databases.push({ engine: 'postgres', name: spec.database, schema, where });
      report.specs.set(where, spec);
    }
  }
  for (const tenant of tenants) {
    if (tenant.status === 'provisioning' && creatorGone(tenant)) {
      report.abandoned.push({
        slug: tenant.slug,
        owner: tenant.provisioning?.owner ?? null,
        since: tenant.updatedAt,
        database: describeSpec({ ...tenant.db, database: tenant.db.name, password: null }),
      });
    }
  }
  return report;
}

export interface RemovedOrphans {
  droppedDatabases: string[];
  removedTenants: string[];
}

/**
 * Removes what `findOrphans` reports (or only the databases named in `only`, as `where` strings or
 * names): drops each orphan database, and deletes each abandoned tenant (its database too when the
 * row says it created it). Each is looked at again first, so one that became owned meanwhile stays.
 */
export async function removeOrphans(
  ctx: ProvisioningContext,
  options: ActorOptions & { only?: readonly string[] },
): Promise<RemovedOrphans> {
  const report = await findOrphans(ctx);
  const wanted = (names: string[]) => !options.only || names.some((n) => options.only!.includes(n));
  const databases = report.databases.filter((d) => wanted([d.where, d.name]));
  const abandoned = report.abandoned.filter((t) => wanted([t.slug]));
  return withOperation(
    ctx.operations,
    'remove-orphans',
    { actor: options.actor, details: { databases: databases.map((d) => d.where), tenants: abandoned.map((t) => t.slug) } },
    async (run) => {
      const out: RemovedOrphans = { droppedDatabases: [], removedTenants: [] };
      for (const orphan of databases) {
        const spec = report.specs.get(orphan.where)!;
        // Owned since the report? (a creation that just registered it)
        if (
          await ctx.registry.findTenantByDatabase({
            engine: spec.engine,
            host: spec.host,
            port: spec.port,
            name: spec.database,
            schema: spec.schema ?? null,
          })
        )
          continue;
        await run.step(`drop:${orphan.where}`, async () => driverFor(spec.engine).drop(spec, await serverContextFor(ctx, spec)));
        out.droppedDatabases.push(orphan.where);
      }
      for (const stuck of abandoned) {
        const tenant = await ctx.registry.findTenant(stuck.slug);
        if (!tenant || !creatorGone(tenant)) continue;
        await deleteTenant(ctx, stuck.slug, { actor: options.actor });
        out.removedTenants.push(stuck.slug);
      }
      return out;
    },
    (out) => ({ dropped: out.droppedDatabases.length, removed: out.removedTenants.length }),
  );
}

function serverKey(spec: DatabaseSpec): string {
  return databaseKey({ engine: spec.engine, host: spec.host, port: spec.port, name: '' });
}
