import { describe, expect, it, onTestFinished } from 'vitest';
import { dialectAvailable, testServerUrls, uniqueTestName } from '@salesfleet/models/testing';
import { driverFor, parseDatabaseUrl, specToUrl } from '@salesfleet/tenancy';
import { createCliWorkspace } from './testing/cli-workspace';

const postgres = await dialectAvailable('postgres');

describe.runIf(postgres)('a PostgreSQL registry database that does not exist', () => {
  it('is created at start (init through the old DATABASE_URL) and said so; a second start does not create it again', async () => {
    const ws = await createCliWorkspace('sqlite');
    const spec = { ...parseDatabaseUrl(testServerUrls.postgres), database: uniqueTestName('sf_registry') };
    const ctx = { dataDir: ws.dataDir, connectTimeoutMs: 5000 };
    onTestFinished(async () => {
      await driverFor('postgres').drop(spec, ctx);
      await ws.cleanup();
    });
    expect(await driverFor('postgres').exists(spec, ctx)).toBe(false);
    const env = { DATABASE_URL: specToUrl(spec) };

    const first = await ws.run(['init', '--admin-email', 'root@example.com'], { env });
    expect(first.stderr).toContain(`registry: created the database`);
    expect(first.stderr).toContain(spec.database);
    expect(first.code).toBe(0);
    expect(await driverFor('postgres').exists(spec, ctx)).toBe(true);

    const second = await ws.run(['migrate-tenants'], { env });
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain('created the database');
    const list = await ws.run(['platform-admins', 'list', '--json'], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('root@example.com');
  });
});
