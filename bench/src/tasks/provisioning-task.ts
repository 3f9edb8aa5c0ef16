/**
 * Provisioning task (child process): creates tenants through the real Provisioner on two tenancies at
 * once — one cloning new databases from a migrated template (SQLite file copy / PostgreSQL CREATE
 * DATABASE … TEMPLATE), one migrating an empty database — alternating between them so both see the
 * same machine. Tenancies come from @salesfleet/tenancy/testing (temporary data dir, own template
 * namespace); `cleanup()` drops every database they made.
 */
import type { CreatedTenant } from '@salesfleet/tenancy';
import { createTestTenancy, type TestTenancy } from '@salesfleet/tenancy/testing';
import { serveRequests, type ChildRequest } from '../lib/child';

export interface ProvisionSample {
  mode: 'clone' | 'migrate';
  ms: number;
  steps: Record<string, number>;
}

const open = new Set<TestTenancy>();

async function provision(req: ChildRequest): Promise<{ samples: ProvisionSample[]; warmup: ProvisionSample[]; cleanupSeconds: number }> {
  const engine = req.engine as 'sqlite' | 'postgres';
  const count = req.count as number;
  const prefix = req.slugPrefix as string;
  const config = { maxOpenTenants: 20, tenantIdleMs: 60_000 };
  const tenancies = {
    clone: await createTestTenancy({ engine, templates: true, config }),
    migrate: await createTestTenancy({ engine, templates: false, config }),
  };
  for (const t of Object.values(tenancies)) open.add(t);
  let n = 0;
  const create = async (mode: 'clone' | 'migrate'): Promise<ProvisionSample> => {
    const slug = `${prefix}${mode[0]}${n++}`;
    const t0 = performance.now();
    const created = (await tenancies[mode].provisioner.createTenant(
      { name: `Bench ${slug}`, subdomain: slug, adminEmail: `admin@${slug}.example.com` },
      { actor: 'bench' },
    )) as CreatedTenant;
    const ms = performance.now() - t0;
    return { mode, ms, steps: Object.fromEntries(created.steps.map((s) => [s.step, s.durationMs])) };
  };
  // The first tenant of each builds the template (clone) / warms the code paths (both): not counted.
  const warmup = [await create('clone'), await create('migrate')];
  const samples: ProvisionSample[] = [];
  for (let i = 0; i < count; i++) {
    const order: ('clone' | 'migrate')[] = i % 2 === 0 ? ['clone', 'migrate'] : ['migrate', 'clone'];
    for (const mode of order) samples.push(await create(mode));
  }
  const t0 = performance.now();
  for (const t of Object.values(tenancies)) {
    await t.cleanup();
    open.delete(t);
  }
  return { samples, warmup, cleanupSeconds: (performance.now() - t0) / 1000 };
}

const child = serveRequests({ provision }, async () => {
  for (const t of open) await t.cleanup().catch(() => undefined);
});
child.ready();
