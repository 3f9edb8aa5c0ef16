import type { Model, ModelStatic, Sequelize } from 'sequelize';
import { defineAllTenantModels, defineTenantModels } from '@salesfleet/models';
import { compareSchemaWithModels, migrationStatus, type SchemaDifference } from '@salesfleet/migrations';
import { closeSequelize, describeSpec, driverFor, openSequelize } from '../drivers/index';
import type { TenantRecord } from '../registry/records';
import type { DataSafetyDeps } from './backup';
import { Conflict, DatabaseUnreachable } from '@salesfleet/contracts';

type AnyModel = ModelStatic<Model>;

export interface SchemaRepair {
  kind: SchemaDifference['kind'];
  table: string;
  name?: string;
  /** What was done (`created table customers`), or why not. */
  message: string;
  repaired: boolean;
}

export interface RepairResult {
  slug: string;
  /** Differences found before repairing. */
  differences: SchemaDifference[];
  changes: SchemaRepair[];
  /** Differences left after repairing (what needs a person). */
  remaining: SchemaDifference[];
}

/** Opens the tenant's database for a schema check or repair; a SQLite file that vanished is unreachable, not created. */
async function openTenantDatabase(deps: DataSafetyDeps, tenant: TenantRecord): Promise<Sequelize> {
  const spec = deps.registry.databaseSpecOf(tenant);
  const ctx = { dataDir: deps.config.dataDir, connectTimeoutMs: deps.config.dbConnectTimeoutMs };
  if (spec.engine === 'sqlite' && !(await driverFor('sqlite').exists(spec, ctx)))
    throw new DatabaseUnreachable(describeSpec(spec), 'the file does not exist');
  return openSequelize(spec, { dataDir: ctx.dataDir, connectTimeoutMs: ctx.connectTimeoutMs, poolMax: 1, tenant: true });
}

function tenantModelList(sequelize: Sequelize): AnyModel[] {
  return defineAllTenantModels(defineTenantModels(sequelize)) as unknown as AnyModel[];
}

/**
 * The tenant's schema compared with the models (the migrations package's drift comparison): missing
 * or changed tables, columns, indexes and foreign keys. Empty when the tenant is as the code expects.
 * Only meaningful for a tenant with no pending migration (a pending one is reported by migrate-tenants).
 */
export async function tenantSchemaDrift(deps: DataSafetyDeps, tenant: TenantRecord): Promise<SchemaDifference[]> {
  const sequelize = await openTenantDatabase(deps, tenant);
  try {
    if ((await migrationStatus(sequelize, 'tenant')).pending.length > 0) return [];
    return await compareSchemaWithModels(sequelize, tenantModelList(sequelize));
  } finally {
    await closeSequelize(sequelize);
  }
}

/**
 * Recreates what is missing from a tenant's schema — tables (with their indexes and keys), nullable
 * or defaulted columns, named indexes — without touching any row, and says what it changed. Changed
 * types, extra tables and the like are reported as remaining: they need a person.
 */
export async function repairTenantSchema(deps: DataSafetyDeps, slug: string, options: { actor: string }): Promise<RepairResult> {
  const tenant = await deps.registry.getTenant(slug);
  if (tenant.status !== 'active' && tenant.status !== 'suspended') throw new Conflict(`Tenant "${slug}" is ${tenant.status}`);
  const run = await deps.operations.begin('repair-tenant-schema', { actor: options.actor, tenantId: tenant.id, tenantSlug: slug });
  const sequelize = await openTenantDatabase(deps, tenant).catch(async (err) => {
    await run.fail(err);
    throw err;
  });
  try {
    const pending = (await migrationStatus(sequelize, 'tenant')).pending;
    if (pending.length > 0)
      throw new Conflict(`Tenant "${slug}" has ${pending.length} pending migration(s); run migrate-tenants --tenant ${slug} first`);
    const models = tenantModelList(sequelize);
    const byTable = new Map(models.map((m) => [tableOf(m), m]));
    const differences = await compareSchemaWithModels(sequelize, models);
    const changes: SchemaRepair[] = [];
    const qi = sequelize.getQueryInterface();
    // Tables first (in the models' order, which creates referenced tables before referencing ones).
    for (const d of differences.filter((x) => x.kind === 'missing-table')) {
      const model = byTable.get(d.table)!;
      await model.sync();
      changes.push({ kind: d.kind, table: d.table, message: `created table ${d.table} (empty) with its indexes and keys`, repaired: true });
    }
    for (const d of differences.filter((x) => x.kind === 'missing-column')) {
      const model = byTable.get(d.table)!;
      const entry = Object.entries(model.getAttributes()).find(([name, a]) => (a.field ?? name) === d.name);
      if (!entry) continue;
      const [, attribute] = entry;
      if (attribute.allowNull === false && attribute.defaultValue === undefined) {
        changes.push({
          kind: d.kind,
          table: d.table,
          name: d.name,
          message: `${d.table}.${d.name} is NOT NULL without a default: not added (existing rows would need a value)`,
          repaired: false,
        });
        continue;
      }
      await qi.addColumn(d.table, d.name!, { ...attribute, primaryKey: false, autoIncrement: false });
      changes.push({ kind: d.kind, table: d.table, name: d.name, message: `added column ${d.table}.${d.name}`, repaired: true });
    }
    for (const d of differences.filter((x) => x.kind === 'missing-index')) {
      const model = byTable.get(d.table)!;
      const index = (model.options.indexes ?? []).find((i) => i.name === d.name);
      if (!index || !d.name) {
        changes.push({ kind: d.kind, table: d.table, message: `${d.message}: not recreated (no named index to copy)`, repaired: false });
        continue;
      }
      const fields = (index.fields ?? []).map((f) => (typeof f === 'string' ? (model.getAttributes()[f]?.field ?? f) : f));
      await qi.addIndex(d.table, fields as string[], { name: d.name, unique: index.unique === true });
      changes.push({
        kind: d.kind,
        table: d.table,
        name: d.name,
        message: `created ${index.unique ? 'unique ' : ''}index ${d.name} on ${d.table}`,
        repaired: true,
      });
    }
    // Foreign keys lost with a table dropped by CASCADE (PostgreSQL) come back; SQLite cannot add one to a table.
    for (const d of differences.filter((x) => x.kind === 'missing-foreign-key')) {
      const model = byTable.get(d.table)!;
      const attribute = Object.entries(model.getAttributes()).find(([name, a]) => (a.field ?? name) === d.name)?.[1];
      const ref = attribute?.references as { model: string | { tableName?: string } | AnyModel; key?: string } | undefined;
      if (!ref || sequelize.getDialect() === 'sqlite') {
        changes.push({ kind: d.kind, table: d.table, name: d.name, message: `${d.message}: not recreated`, repaired: false });
        continue;
      }
      const refTable =
        typeof ref.model === 'string'
          ? ref.model
          : 'getTableName' in ref.model
            ? tableOf(ref.model as AnyModel)
            : String(ref.model.tableName);
      await qi.addConstraint(d.table, {
        type: 'foreign key',
        fields: [d.name!],
        references: { table: refTable, field: ref.key ?? 'id' },
        onDelete: attribute?.onDelete ?? 'NO ACTION',
        onUpdate: attribute?.onUpdate ?? 'NO ACTION',
      });
      changes.push({
        kind: d.kind,
        table: d.table,
        name: d.name,
        message: `recreated foreign key ${d.table}.${d.name} → ${refTable}`,
        repaired: true,
      });
    }
    const remaining = await compareSchemaWithModels(sequelize, models);
    const result: RepairResult = { slug, differences, changes, remaining };
    await run.succeed({ changes: changes.map((c) => c.message), remaining: remaining.map((r) => r.message) });
    return result;
  } catch (err) {
    await run.fail(err);
    throw err;
  } finally {
    await closeSequelize(sequelize);
  }
}

function tableOf(model: AnyModel): string {
  const name = model.getTableName() as string | { tableName: string };
  return typeof name === 'string' ? name : name.tableName;
}
