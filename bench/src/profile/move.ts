/**
 * `pnpm --filter @salesfleet/bench profile:move [invoices] [postgres|mysql|sqlite]` — a CPU profile of
 * moveTenant alone (the seeding is not profiled): a SQLite tenant with `invoices` issued invoices
 * (default 3000) moved to the test server of that engine (default PostgreSQL), with the inspector's
 * profiler started just before the move and stopped after it. Prints the steps' times and writes
 * `move-<engine>.cpuprofile` in the current directory, for summarize-cpuprofile.ts.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { createCustomer, createProduct, issueInvoicesInBulk, QUANTITY_SCALE } from '@salesfleet/models';
import { testServerUrls } from '@salesfleet/models/testing';
import { moveTenant, parseDatabaseUrl, specToUrl, type MoveStep } from '@salesfleet/tenancy';
import { createTestTenancy } from '@salesfleet/tenancy/testing';

const invoices = Number(process.argv[2] ?? 3000);
const engine = (process.argv[3] ?? 'postgres') as 'postgres' | 'mysql' | 'sqlite';

const t = await createTestTenancy({ engine: 'sqlite' });
try {
  const slug = `prof${Date.now().toString(36)}`;
  await t.provisioner.createTenant(
    { name: 'Move profile', subdomain: slug, adminEmail: `admin@${slug}.example.com` },
    { actor: 'profile' },
  );
  const tenant = await t.registry.getTenant(slug);
  await t.connections.withTenant(tenant, async ({ models }) => {
    const user = await models.User.findOne({ where: { username: 'admin' } });
    const location = await models.Location.findOne();
    const product = await createProduct(models, { sku: 'MOVE-1', name: 'Moved product', unitPrice: 1999, allowNegativeStock: true });
    const customer = await createCustomer(models, { name: 'Profile customer' });
    for (let done = 0; done < invoices; done += 1000) {
      const inputs = Array.from({ length: Math.min(1000, invoices - done) }, (_, i) => ({
        locationId: location!.id,
        customerId: customer.id,
        userId: user!.id,
        lines: [{ productId: product.id, quantity: (1 + ((done + i) % 7)) * QUANTITY_SCALE }],
      }));
      await models.sequelize.transaction((transaction) => issueInvoicesInBulk(models, inputs, transaction));
    }
  });
  const to = engine === 'sqlite' ? { engine: 'sqlite' } : { url: specToUrl({ ...parseDatabaseUrl(testServerUrls[engine]), database: '' }) };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const steps: Partial<Record<MoveStep, number>> = {};
  let current: { step: MoveStep; t0: number } | null = null;
  const t0 = performance.now();
  const result = await moveTenant(t, slug, {
    actor: 'profile',
    to,
    drainMs: 0,
    onStep: (step) => {
      const now = performance.now();
      if (current) steps[current.step] = Math.round(now - current.t0);
      current = { step, t0: now };
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  if (current) steps[(current as { step: MoveStep }).step] = Math.round(performance.now() - (current as { t0: number }).t0);
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(`move-${engine}.cpuprofile`, JSON.stringify(profile));
  process.stdout.write(
    `${invoices} invoices, ${result.rows} rows sqlite → ${engine} in ${seconds.toFixed(1)} s (load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}); steps (ms) ${JSON.stringify(steps)}\n`,
  );
} finally {
  await t.cleanup();
}
