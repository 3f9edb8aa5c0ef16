import { FLEET_WORKERS_FROM_TENANTS } from '@salesfleet/tenancy/migrate-workers';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from './cli';
import { capturedOutput } from './testing/captured-output';

// Another value than the real one, so a help text that spells out the number instead of reading
// the constant fails here.
vi.mock('@salesfleet/tenancy/migrate-workers', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@salesfleet/tenancy/migrate-workers')>()),
  FLEET_WORKERS_FROM_TENANTS: 1234,
}));

describe('migrate-tenants --help', () => {
  it('names the fleet size from which worker threads start as FLEET_WORKERS_FROM_TENANTS says', async () => {
    expect(FLEET_WORKERS_FROM_TENANTS).toBe(1234);
    const io = capturedOutput();
    const code = await runCli(['migrate-tenants', '--help'], { invokedAs: 'pnpm cli', version: '0.0.0', out: io.out, env: {} });
    expect(code).toBe(0);
    const help = io.stdout().replace(/\s+/g, ' ');
    expect(help).toContain(`the CPU cores for a fleet of ${FLEET_WORKERS_FROM_TENANTS} tenants or more`);
    expect(help).not.toContain('250');
  });
});
