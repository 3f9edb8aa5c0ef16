import { randomBytes } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import type { TenantRecord } from './registry/records';
import { TemplateCache } from './templates';
import { createSchemaTenants, createTestTenancy, type TestTenancy } from './testing/index';

const postgres = (await testDialects()).includes('postgres');

/** Schemas a statement qualifies a table with (`FROM "t_x"."customers"`, `ALTER TABLE "t_x"."…"`, `REFERENCES …`). */
function schemasNamed(sql: string): string[] {
  return [...sql.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|TABLE|REFERENCES)\s+"([a-z0-9_]+)"\s*\.\s*"/gi)].map((m) => m[1]!);
}

// Issue 17: what Citus schema-based sharding needs — a tenant's DDL and queries never name another
// tenant's schema (nor public), so each schema can live whole on its own node.
describe.runIf(postgres)('postgres-schema SQL stays in its own schema (Citus 12)', () => {
  let t: TestTenancy;
  const shared = `sales_cit${randomBytes(4).toString('hex')}`;
  const tenants: TenantRecord[] = [];

  beforeAll(async () => {
    t = await createTestTenancy({ engine: 'postgres' });
    tenants.push(...(await createSchemaTenants(t, shared, 2, 'cit')));
  }, 180_000);

  afterAll(async () => {
    await t?.cleanup();
  });

  it("the DDL that makes a tenant's schema names no other schema", async () => {
    const [a, b] = tenants as [TenantRecord, TenantRecord];
    const spec = t.registry.databaseSpecOf(a);
    const script = await new TemplateCache({ dataDir: t.dataDir, connectTimeoutMs: 5000 }).schemaScriptFor(spec, {
      dataDir: t.dataDir,
      connectTimeoutMs: 5000,
    });
    expect(script).toMatch(/CREATE TABLE/);
    expect(script).not.toContain(b.db.schema!);
    expect(script).not.toMatch(/"public"|\bpublic\./);
    expect(new Set(schemasNamed(script!))).toEqual(new Set(schemasNamed(script!).length ? [a.db.schema!] : []));
  });

  it("a tenant's queries (reads, writes, a report, a nested transaction) name no other schema", async () => {
    const [a, b] = tenants as [TenantRecord, TenantRecord];
    const statements: string[] = [];
    const lease = await t.connections.acquire(a);
    const options = (lease.handle.sequelize as unknown as { options: { logging: unknown } }).options;
    options.logging = (sql: string) => statements.push(sql);
    try {
      await lease.handle.run(async () => {
        const { models, sequelize } = lease.handle;
        await models.Customer.create({ name: 'Citus customer' });
        await models.Invoice.findAll({ include: [{ model: models.InvoiceLine, as: 'lines' }], limit: 5 });
        await sequelize.transaction(async (transaction) => {
          await models.Customer.update({ name: 'Citus renamed' }, { where: { name: 'Citus customer' }, transaction });
        });
        await sequelize.query('SELECT count(*) AS n FROM journal_lines', { type: QueryTypes.SELECT });
      });
    } finally {
      options.logging = false;
      lease.release();
    }
    expect(statements.length).toBeGreaterThan(4);
    expect(statements.some((s) => s.includes(`SET LOCAL search_path TO "${a.db.schema}"`))).toBe(true);
    for (const sql of statements) {
      expect(sql).not.toContain(b.db.schema!);
      expect(sql).not.toMatch(/"public"\./);
      for (const schema of schemasNamed(sql)) expect(schema).toBe(a.db.schema);
    }
  });
});
