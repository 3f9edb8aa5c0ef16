import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialectAvailable, type TestDatabase } from '@salesfleet/models/testing';
import { makeConfig } from './config';
import { openTenancyWith, type Tenancy } from './tenancy';
import { until } from './testing/index';

const postgres = await dialectAvailable('postgres');

// Issue 16.4: a process's share of a server's connection budget (budget ÷ pool max ÷ live processes)
// followed the other processes only at its next heartbeat. A process that starts or stops now tells
// the others through the registry's notifications, and they count again at once. The heartbeat here
// is an hour, so only that message can change the shares within the test.
describe.runIf(postgres)('the connection budget share follows processes starting and stopping (PostgreSQL registry)', () => {
  let registry: TestDatabase;
  let dataDir: string;
  const opened: Tenancy[] = [];
  const open = async () => {
    const config = makeConfig({
      dataDir,
      secretKey: 'census-test-secret-key-0123456789abcdef',
      registryUrl: registry.url,
      serverConnectionBudget: 12,
      tenantPoolMax: 3,
      maxOpenTenants: 100,
    });
    const tenancy = await openTenancyWith(config, { migrateRegistry: true, listen: true }, { censusBeatMs: 3_600_000 });
    opened.push(tenancy);
    return tenancy;
  };

  beforeAll(async () => {
    registry = await createTestDatabase('postgres');
    dataDir = mkdtempSync(join(tmpdir(), `salesfleet-census-${randomBytes(3).toString('hex')}-`));
  }, 60_000);

  afterAll(async () => {
    for (const tenancy of opened) await tenancy.close().catch(() => undefined);
    await registry?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('halves the first process’s open handles when a second starts, and gives them back when it stops', async () => {
    const first = await open();
    expect(first.connections.maxOpen).toBe(4); // 12 connections ÷ 3 per handle, alone
    const second = await open();
    expect(second.connections.maxOpen).toBe(2);
    await until(() => first.connections.maxOpen === 2, 'the first process counts the second');
    await second.close();
    await until(() => first.connections.maxOpen === 4, 'the first process counts itself alone again');
  }, 60_000);
});
