import { Op } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT_CODES,
  createCustomer,
  createInvoice,
  createProduct,
  issueInvoicesInBulk,
  QUANTITY_SCALE,
  trialBalance,
  type TenantModels,
} from '@salesfleet/models';
import { testDialects } from '@salesfleet/models/testing';
import { createTestTenancy, testSlug, type TestTenancy } from '../testing/index';
import { backupTenant } from './backup';
import { restoreTenant } from './restore';

const dialects = await testDialects();
const actor = 'test:data-safety';

/** Issued invoice totals and the receivables balance: equal in any consistent state of a tenant that sells on credit. */
async function receivables(models: TenantModels): Promise<{ invoiced: number; receivable: number; invoices: number; balanced: boolean }> {
  const where = { status: { [Op.notIn]: ['draft', 'void'] } };
  const invoiced = Number((await models.Invoice.sum('total', { where })) ?? 0);
  const invoices = await models.Invoice.count({ where });
  const tb = await trialBalance(models);
  const receivable = Number(tb.accounts.find((a) => a.code === ACCOUNT_CODES.accountsReceivable)?.balance ?? 0);
  return { invoiced, receivable, invoices, balanced: tb.balanced };
}

describe.each(dialects)('a backup of a %s tenant taken while invoices are posted', (engine) => {
  let t: TestTenancy;
  let slug: string;

  beforeAll(async () => {
    t = await createTestTenancy({ engine });
    slug = testSlug('cons');
    await t.provisioner.createTenant({ name: 'Busy Shop', subdomain: slug, adminEmail: 'owner@busy.test' }, { actor });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('holds exactly the invoices whose journal entries it holds (sum of totals = receivables)', async () => {
    const tenant = await t.registry.getTenant(slug);
    // The tenant's models are used inside its handle's scope (a PostgreSQL handle refuses them outside).
    await t.connections.withTenant(tenant, async ({ models }) => {
      const admin = await models.User.findOne({ where: { username: 'admin' } });
      const location = await models.Location.findOne();
      const product = await createProduct(models, { sku: 'BUSY-1', name: 'Busy product', unitPrice: 1234, allowNegativeStock: true });
      const customer = await createCustomer(models, { name: 'Credit customer' });
      const input = (n: number) => ({
        locationId: location!.id,
        customerId: customer.id,
        userId: admin!.id,
        lines: [{ productId: product.id, quantity: (1 + (n % 5)) * QUANTITY_SCALE }],
      });
      // Enough rows that the backup takes a while, so writes land between its table reads.
      await models.sequelize.transaction((transaction) =>
        issueInvoicesInBulk(
          models,
          Array.from({ length: 600 }, (_, n) => input(n)),
          transaction,
        ),
      );

      let writing = true;
      let written = 0;
      const writer = (async () => {
        while (writing) {
          await createInvoice(models, input(written));
          written++;
        }
      })();
      let backup: Awaited<ReturnType<typeof backupTenant>>;
      try {
        backup = await backupTenant(t, slug, { actor });
      } finally {
        writing = false;
        await writer;
      }
      const archived = backup.manifest.tables.find((x) => x.name === 'invoices')!.rows;
      const live = await receivables(models);
      // Writes ran during the backup, and some of them are not in it.
      expect(written).toBeGreaterThan(0);
      expect(live.invoices).toBeGreaterThan(archived);
      expect(live.invoiced).toBe(live.receivable);

      const copy = testSlug('cc');
      await restoreTenant(t, slug, { actor, from: backup.file, as: copy });
      const restored = await t.connections.withTenant(await t.registry.getTenant(copy), ({ models: m }) => receivables(m));
      expect(restored.invoices).toBe(archived);
      expect(restored.invoiced).toBeGreaterThan(0);
      expect(restored.invoiced).toBe(restored.receivable);
      expect(restored.balanced).toBe(true);
    });
  });
});
