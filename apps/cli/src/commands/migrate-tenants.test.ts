import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { FLEET_WORKERS_FROM_TENANTS } from '@salesfleet/tenancy';
import { migrationThreads } from './migrate-tenants';

describe('migrationThreads', () => {
  it("defaults to tenancy's rule: one thread per tenant at once, at most one per core, only for a fleet of FLEET_WORKERS_FROM_TENANTS or more", () => {
    expect(FLEET_WORKERS_FROM_TENANTS).toBe(250);
    expect(migrationThreads({ concurrency: 4 })).toEqual({
      workers: Math.min(availableParallelism(), 4),
      workersFromTenants: FLEET_WORKERS_FROM_TENANTS,
    });
    expect(migrationThreads({ concurrency: 1 }).workers).toBe(0);
  });

  it('an explicit --threads applies whatever the fleet size', () => {
    expect(migrationThreads({ concurrency: 4, threads: 2 })).toEqual({ workers: 2, workersFromTenants: 0 });
    expect(migrationThreads({ concurrency: 4, threads: 0 })).toEqual({ workers: 0, workersFromTenants: 0 });
  });
});
