/**
 * Provisioning task (child process): creates tenants through the real Provisioner on two tenancies at
 * once — one cloning new databases from a migrated template (SQLite file copy / PostgreSQL CREATE
 * DATABASE … TEMPLATE / MySQL: the template's DDL and rows replayed as one script), one migrating an empty database — alternating between them so both see the
 * same machine; and, on the cloning tenancy, tenants created with an admin password (`password`: the
 * full-cost Argon2id hash, which runs alongside the clone). Tenancies come from @salesfleet/tenancy/testing (temporary data dir, own template
 * namespace); `cleanup()` drops every database they made.
 */
import type { CreatedTenant } from '@salesfleet/tenancy';
import { createTestTenancy, type TestTenancy } from '@salesfleet/tenancy/testing';
import { serveRequests, type ChildRequest } from '../lib/child';

export type ProvisionMode = 'clone' | 'migrate' | 'password';

/** A strong admin password (it exists only in this task's temporary tenants). */
const ADMIN_PASSWORD = 'bench horse battery staple 42';

export interface ProvisionSample {
  mode: ProvisionMode;
  ms: number;
  steps: Record<string, number>;
}

const open = new Set<TestTenancy>();

async function provision(req: ChildRequest): Promise<{ samples: ProvisionSample[]; warmup: ProvisionSample[]; cleanupSeconds: number }> {
  const engine = req.engine as 'sqlite' | 'postgres' | 'mysql';
  const count = req.count as number;
  const prefix = req.slugPrefix as string;
  const config = { maxOpenTenants: 20, tenantIdleMs: 60_000 };
  const tenancies = {
    clone: await createTestTenancy({ engine, templates: true, config }),
    migrate: await createTestTenancy({ engine, templates: false, config }),
  };
  for (const t of Object.values(tenancies)) open.add(t);
  let n = 0;
  const create = async (mode: ProvisionMode): Promise<ProvisionSample> => {
    const slug = `${prefix}${mode[0]}${n++}`;
    const t0 = performance.now();
    const created = (await tenancies[mode === 'migrate' ? 'migrate' : 'clone'].provisioner.createTenant(
      {
        name: `Bench ${slug}`,
        subdomain: slug,
        adminEmail: `admin@${slug}.example.com`,
        ...(mode === 'password' ? { adminPassword: ADMIN_PASSWORD } : {}),
      },
      { actor: 'bench' },
    )) as CreatedTenant;
    const ms = performance.now() - t0;
    return { mode, ms, steps: Object.fromEntries(created.steps.map((s) => [s.step, s.durationMs])) };
  };
  // The first tenant of each builds the template (clone) / warms the code paths (both): not counted.
  const warmup = [await create('clone'), await create('migrate'), await create('password')];
  const samples: ProvisionSample[] = [];
  const modes: ProvisionMode[] = ['clone', 'migrate', 'password'];
  for (let i = 0; i < count; i++) {
    // Each mode first, second and third in turn.
    for (let k = 0; k < modes.length; k++) samples.push(await create(modes[(i + k) % modes.length]!));
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
