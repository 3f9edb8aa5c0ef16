/**
 * A separate process that starts creating a tenant and stops dead at the start of one step, for
 * crash tests: it prints `AT <step>` and blocks its event loop, so the parent can kill -9 it there
 * (right after the previous step's work, e.g. CREATE DATABASE before `migrate`).
 * Input: SALESFLEET_CHILD = JSON { dataDir, secretKey, tenantServerUrl, slug, stopAt }.
 */
import { writeSync } from 'node:fs';
import { makeConfig } from '../config';
import { openTenancy } from '../tenancy';

const input = JSON.parse(process.env.SALESFLEET_CHILD ?? '{}') as {
  dataDir: string;
  secretKey: string;
  tenantServerUrl: string | null;
  slug: string;
  stopAt: string;
};
const config = makeConfig({
  dataDir: input.dataDir,
  secretKey: input.secretKey,
  tenantServerUrl: input.tenantServerUrl,
  dbConnectTimeoutMs: 5000,
});
const tenancy = await openTenancy(config, { templates: false });
await tenancy.provisioner.createTenant(
  { name: 'Crashing', subdomain: input.slug, adminEmail: 'a@crash.test' },
  {
    actor: 'test:crashing-child',
    onStep: (step) => {
      if (step !== input.stopAt) return;
      writeSync(1, `AT ${step}\n`);
      // Hold everything (no timer, no I/O callback runs) until killed.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
    },
  },
);
writeSync(1, 'DONE\n');
await tenancy.close();
