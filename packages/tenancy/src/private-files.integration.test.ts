import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { openTenancy, type Tenancy } from './tenancy';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('files tenancy creates (SQLite registry and tenants)', () => {
  let root: string | null = null;
  let tenancy: Tenancy | null = null;
  const umask = process.umask();
  afterEach(async () => {
    await tenancy?.close();
    tenancy = null;
    process.umask(umask);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('are readable by the service user only: folders 0700, files 0600, under a permissive umask', async () => {
    process.umask(0o022);
    root = mkdtempSync(join(tmpdir(), 'salesfleet-modes-'));
    const dataDir = join(root, 'data');
    const config = loadConfig({ SALESFLEET_DATA_DIR: dataDir, NODE_ENV: 'development' });
    tenancy = await openTenancy(config, { migrateRegistry: true });
    const { tenant } = await tenancy.provisioner.createTenant(
      { name: 'Modes', subdomain: 'modes', adminEmail: 'a@modes.test' },
      { actor: 'test:modes' },
    );
    // A handle open on the tenant keeps its -wal and -shm files in place.
    await tenancy.connections.withTenant(tenant, async () => {
      const files = [
        'secret.key',
        'registry.sqlite',
        'registry.sqlite-wal',
        'registry.sqlite-shm',
        'tenants/modes.sqlite',
        'tenants/modes.sqlite-wal',
        'tenants/modes.sqlite-shm',
        'logs/tenant_operations.log',
      ];
      for (const file of files) {
        expect(existsSync(join(dataDir, file)), file).toBe(true);
        expect(mode(join(dataDir, file)).toString(8), file).toBe('600');
      }
      for (const template of readdirSync(join(dataDir, 'templates')))
        expect(mode(join(dataDir, 'templates', template)).toString(8), template).toBe('600');
      for (const dir of ['', 'tenants', 'logs', 'templates']) expect(mode(join(dataDir, dir)).toString(8), `${dir || 'data'}/`).toBe('700');
    });
  });
});
