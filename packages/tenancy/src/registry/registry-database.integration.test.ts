import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { dialectAvailable, testServerUrls, uniqueTestName } from '@salesfleet/models/testing';
import { makeConfig } from '../config';
import { driverFor, parseDatabaseUrl, specToUrl } from '../drivers/index';
import { memoryLogger } from '../testing/index';
import { openTenancy } from '../tenancy';

const servers: ('postgres' | 'mysql')[] = [];
for (const engine of ['postgres', 'mysql'] as const) if (await dialectAvailable(engine)) servers.push(engine);

describe.runIf(servers.length > 0)('a registry database the server does not have', () => {
  it.each(servers)('on %s is created at start (pnpm start, init), logged once; without migrateRegistry it is not', async (engine) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'salesfleet-registry-'));
    const spec = { ...parseDatabaseUrl(testServerUrls[engine]), database: uniqueTestName('sf_registry') };
    const ctx = { dataDir, connectTimeoutMs: 5000 };
    onTestFinished(async () => {
      await driverFor(engine).drop(spec, ctx);
      rmSync(dataDir, { recursive: true, force: true });
    });
    const config = makeConfig({ dataDir, registryUrl: specToUrl(spec) });

    // A command that only reads does not create a registry somewhere by accident.
    await expect(openTenancy(config, { logger: memoryLogger() })).rejects.toThrow();
    expect(await driverFor(engine).exists(spec, ctx)).toBe(false);

    const logger = memoryLogger();
    const tenancy = await openTenancy(config, { migrateRegistry: true, logger });
    try {
      expect(tenancy.registryDatabaseCreated).toBe(true);
      expect(tenancy.registryMigrationsApplied.length).toBeGreaterThan(0);
      expect(logger.entries.filter((e) => e.level === 'info' && e.msg.includes('registry database created'))).toHaveLength(1);
      expect(await tenancy.registry.listTenants()).toEqual([]);
    } finally {
      await tenancy.close();
    }
    const again = await openTenancy(config, { migrateRegistry: true, logger });
    await again.close();
    expect(again.registryDatabaseCreated).toBe(false);
    expect(logger.entries.filter((e) => e.msg.includes('registry database created'))).toHaveLength(1);
  });
});
