/**
 * Move task (child process): a SQLite tenant with `invoices` issued invoices (each with its line,
 * stock movement and journal entry, as the real posting writes them), moved with the real
 * moveTenant to the test PostgreSQL server (or another SQLite file without one). Reports the seeding
 * and move times, the move's steps and the rows copied; `cleanup()` drops what it made.
 */
import { createCustomer, createProduct, issueInvoicesInBulk, QUANTITY_SCALE } from '@salesfleet/models';
import { moveTenant, parseDatabaseUrl, specToUrl, type MoveStep } from '@salesfleet/tenancy';
import { createTestTenancy, type TestTenancy } from '@salesfleet/tenancy/testing';
import { serveRequests, type ChildRequest } from '../lib/child';

const open = new Set<TestTenancy>();
const BATCH = 1000;

async function move(req: ChildRequest) {
  const invoices = req.invoices as number;
  const toUrl = (req.postgresUrl as string | null) ?? null;
  const t = await createTestTenancy({ engine: 'sqlite' });
  open.add(t);
  const slug = `${req.slugPrefix as string}mv`;
  await t.provisioner.createTenant({ name: 'Move bench', subdomain: slug, adminEmail: `admin@${slug}.example.com` }, { actor: 'bench' });
  const tenant = await t.registry.getTenant(slug);
  const seedStarted = performance.now();
  await t.connections.withTenant(tenant, async ({ models }) => {
    const user = await models.User.findOne({ where: { username: 'admin' } });
    const location = await models.Location.findOne();
    const product = await createProduct(models, { sku: 'MOVE-1', name: 'Moved product', unitPrice: 1999, allowNegativeStock: true });
    const customer = await createCustomer(models, { name: 'Bench customer' });
    for (let done = 0; done < invoices; done += BATCH) {
      const n = Math.min(BATCH, invoices - done);
      const inputs = Array.from({ length: n }, (_, i) => ({
        locationId: location!.id,
        customerId: customer.id,
        userId: user!.id,
        lines: [{ productId: product.id, quantity: (1 + ((done + i) % 7)) * QUANTITY_SCALE }],
      }));
      await models.sequelize.transaction((transaction) => issueInvoicesInBulk(models, inputs, transaction));
    }
  });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const steps: Partial<Record<MoveStep, number>> = {};
  let current: { step: MoveStep; t0: number } | null = null;
  const to = toUrl ? { url: specToUrl({ ...parseDatabaseUrl(toUrl), database: '' }) } : { engine: 'sqlite' };
  const t0 = performance.now();
  const result = await moveTenant(t, slug, {
    actor: 'bench',
    to,
    drainMs: 0,
    onStep: (step) => {
      const now = performance.now();
      if (current) steps[current.step] = Math.round(now - current.t0);
      current = { step, t0: now };
    },
  });
  const moveSeconds = (performance.now() - t0) / 1000;
  if (current) steps[(current as { step: MoveStep }).step] = Math.round(performance.now() - (current as { t0: number }).t0);
  const cleanupStarted = performance.now();
  await t.cleanup();
  open.delete(t);
  return {
    invoices,
    rows: result.rows,
    from: 'sqlite',
    to: toUrl ? 'postgres' : 'sqlite',
    seedSeconds,
    moveSeconds,
    steps,
    cleanupSeconds: (performance.now() - cleanupStarted) / 1000,
  };
}

const child = serveRequests({ move }, async () => {
  for (const t of open) await t.cleanup().catch(() => undefined);
});
child.ready();
