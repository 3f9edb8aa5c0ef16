import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import { createTestTenancy, testSlug, type TestTenancy } from '../testing/index';
import { readArchive, type RowValue } from './archive';
import { backupTenant } from './backup';
import { deleteOldDatabase, moveTenant } from './move';
import { restoreTenant } from './restore';

const postgres = (await testDialects()).includes('postgres');
const actor = 'test:schema-data-safety';

async function rowsOf(file: string): Promise<Map<string, RowValue[][]>> {
  const out = new Map<string, RowValue[][]>();
  for await (const e of readArchive(file)) {
    if (e.kind === 'table') out.set(e.table.name, []);
    if (e.kind === 'row') out.get(e.table.name)!.push(e.row);
  }
  return out;
}

// Issue 17: backup, restore and move from and to the postgres-schema placement.
describe.runIf(postgres)('data safety with postgres-schema tenants', () => {
  let t: TestTenancy;
  const shared = `sales_ds${randomBytes(4).toString('hex')}`;
  const toSchema = { engine: 'postgres-schema', name: shared };

  beforeAll(async () => {
    t = await createTestTenancy({ engine: 'postgres' });
  }, 60_000);

  afterAll(async () => {
    await t?.cleanup();
  }, 60_000);

  it('moves a database tenant into a schema and back: every row equal, served from the schema in between', async () => {
    const slug = testSlug('mvs');
    await t.provisioner.createTenant({ name: 'Moving Co', subdomain: slug, adminEmail: 'o@mv.test', demoData: true }, { actor });
    const before = await backupTenant(t, slug, { actor });

    await moveTenant(t, slug, { actor, to: toSchema, drainMs: 200 });
    const moved = await t.registry.getTenant(slug);
    expect(moved.db).toMatchObject({ engine: 'postgres', name: shared, schema: `t_${slug}` });
    expect(await rowsOf((await backupTenant(t, slug, { actor })).file)).toEqual(await rowsOf(before.file));
    await t.connections.withTenant(moved, ({ models }) => models.Customer.create({ name: 'In the schema' }));
    const inSchema = await t.connections.withTenant(moved, ({ sequelize }) =>
      sequelize.query("SELECT current_schema() AS s, (SELECT count(*) FROM customers WHERE name = 'In the schema') AS n", {
        plain: true,
      }),
    );
    expect(inSchema).toMatchObject({ s: `t_${slug}`, n: 1 });

    const withRow = await backupTenant(t, slug, { actor });
    await deleteOldDatabase(t, slug, { actor });
    await moveTenant(t, slug, { actor, to: { engine: 'postgres' }, drainMs: 200 });
    const back = await t.registry.getTenant(slug);
    expect(back.db.schema ?? null).toBeNull();
    expect(await rowsOf((await backupTenant(t, slug, { actor })).file)).toEqual(await rowsOf(withRow.file));
    // The old schema goes with delete-old-database; the shared database stays.
    await deleteOldDatabase(t, slug, { actor });
  }, 300_000);

  it('restores a backup of a schema tenant as a new schema tenant with every row', async () => {
    const slug = testSlug('rss');
    await t.provisioner.createTenant(
      { name: 'Restore Co', subdomain: slug, adminEmail: 'o@rs.test', demoData: true, database: toSchema },
      { actor },
    );
    const backup = await backupTenant(t, slug, { actor });
    const copy = testSlug('rsc');
    const restored = await restoreTenant(t, slug, { actor, from: backup.file, as: copy, database: toSchema });
    expect(restored.tenant.db).toMatchObject({ name: shared, schema: `t_${copy}` });
    const again = await backupTenant(t, copy, { actor });
    expect(await rowsOf(again.file)).toEqual(await rowsOf(backup.file));
  }, 300_000);
});
