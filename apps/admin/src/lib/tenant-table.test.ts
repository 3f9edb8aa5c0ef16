import { describe, expect, it } from 'vitest';
import { tenantHealth } from '../test/render';
import { sortHealthFailuresFirst } from './tenant-table';

describe('sortHealthFailuresFirst', () => {
  it('puts unreachable or erroring tenants first, then pending migrations', () => {
    const sorted = sortHealthFailuresFirst([
      tenantHealth('ok'),
      tenantHealth('pending', { pendingMigrations: 3 }),
      tenantHealth('error', { error: 'slow' }),
      tenantHealth('down', { reachable: false }),
    ]);
    expect(sorted.map((h) => h.slug)).toEqual(['down', 'error', 'pending', 'ok']);
  });
});
