import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testDialects } from '@salesfleet/models/testing';
import { parseDatabaseUrl, type DatabaseSpec } from '../drivers/index';
import { RegistryLocks } from './locks';

const dialects = await testDialects();

// Two RegistryLocks on one registry stand for two processes: each has its own connection (PostgreSQL,
// MySQL) or its own file handles (SQLite), which is what separates processes for the database.
describe.each(dialects)('registry locks on %s', (dialect) => {
  let db: TestDatabase | null = null;
  let dataDir: string;
  let spec: DatabaseSpec;
  const opened: RegistryLocks[] = [];
  const locks = () => {
    const l = new RegistryLocks(spec, { dataDir, connectTimeoutMs: 5000 });
    opened.push(l);
    return l;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'salesfleet-locks-'));
    if (dialect === 'sqlite') spec = { engine: 'sqlite', database: 'registry.sqlite', host: null, port: null, user: null, password: null };
    else {
      db = await createTestDatabase(dialect);
      spec = parseDatabaseUrl(db.url);
    }
  });
  afterAll(async () => {
    await Promise.all(opened.map((l) => l.close()));
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds a name against another process until released; other names stay free', async () => {
    const a = locks();
    const b = locks();
    const release = await a.acquire('tenant-migrations:1');
    await expect(b.acquire('tenant-migrations:1', { waitMs: 0, busy: 'migrating tenant "x"' })).rejects.toMatchObject({
      code: 'Conflict',
      message: 'Another process is migrating tenant "x"; try again when it has finished',
    });
    const other = await b.acquire('tenant-migrations:2', { waitMs: 0 });
    await other();
    // A waiter gets the lock as soon as the holder lets go.
    const waiting = b.acquire('tenant-migrations:1', { waitMs: 10_000 });
    await new Promise((r) => setTimeout(r, 150));
    await release();
    const again = await waiting;
    await expect(a.acquire('tenant-migrations:1', { waitMs: 0 })).rejects.toMatchObject({ code: 'Conflict' });
    await again();
  });

  it('is exclusive within one process too: callers of the same name run one after the other', async () => {
    const l = locks();
    const events: string[] = [];
    const job = (name: string) =>
      l.withLock('registry-migrations', async () => {
        events.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 50));
        events.push(`${name} out`);
      });
    await Promise.all([job('first'), job('second'), job('third')]);
    expect(events).toEqual(['first in', 'first out', 'second in', 'second out', 'third in', 'third out']);
  });

  it('is released when its holder goes away without releasing (a crash closes its connection or file)', async () => {
    const crashed = locks();
    await crashed.acquire('first-platform-admin');
    const survivor = locks();
    await expect(survivor.acquire('first-platform-admin', { waitMs: 0 })).rejects.toMatchObject({ code: 'Conflict' });
    await crashed.close();
    const release = await survivor.acquire('first-platform-admin', { waitMs: 5000 });
    await release();
    if (dialect === 'sqlite') {
      // Lock files live in a private folder of the data dir, like every other file there.
      const dir = join(dataDir, 'locks');
      expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
      for (const file of readdirSync(dir)) expect((statSync(join(dir, file)).mode & 0o777).toString(8), file).toBe('600');
    }
  });
});
