import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase, testDialects, testServerUrls } from '@salesfleet/models/testing';
import { loadConfig, openTenancy, parseDatabaseUrl } from '@salesfleet/tenancy';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const apiDir = dirname(dirname(fileURLToPath(import.meta.url)));
// `pnpm start`'s bin with the sources loaded in-process (no tsx CLI between the test and the server's signals).
const bin = join(apiDir, 'bin', 'salesfleet-api.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** GET over loopback with a chosen Host (this machine's resolver does not know *.localhost; browsers and curl do). */
function getWithHost(port: number, host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host, accept: 'text/html' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();

/**
 * Runs src/main.ts like `pnpm start` does, until it says it is running. One process unless `env` sets
 * SALESFLEET_WORKERS (the first test runs the default, one worker per core; the cluster's own tests
 * are in start/workers.integration.test.ts and shutdown.integration.test.ts).
 */
async function start(dataDir: string, port: number, args: string[] = [], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: apiDir,
    env: {
      ...process.env,
      SALESFLEET_FROM_SOURCE: '1',
      SALESFLEET_WORKERS: '1',
      SALESFLEET_DATA_DIR: dataDir,
      PORT: String(port),
      SALESFLEET_SKIP_CONSOLE_BUILD: '1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so a failed test can stop the server and its workers
  });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 90 s:\n${out}`)), 90_000);
    const check = () => {
      if (/API docs: .*\n/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before running:\n${out}`));
    });
  });
  return { child, output: () => out, exited };
}

describe('pnpm start (src/main.ts)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'salesfleet-start-'));
  afterEach(() => {
    // Whatever a failed assertion left running: the whole group (the server and its workers).
    for (const child of children) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    children.clear();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the first admin one-time password on exactly one line, serves, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const run = await start(dataDir, port, [], { SALESFLEET_WORKERS: 'auto' });
    const out = run.output();
    const lines = out.split('\n').filter((l) => l.includes('one-time password'));
    expect(lines).toHaveLength(1);
    const match = /^Platform admin: admin {2}one-time password: (\S+)$/.exec(lines[0]!);
    expect(match).not.toBeNull();
    const password = match![1]!;
    expect(out).toContain(`Salesfleet is running on port ${port}`);
    expect(out).toContain(`  Platform:        http://localhost:${port}/`);
    expect(out).toContain(`  Admin console:   http://localhost:${port}/admin/`);
    expect(out).toContain(`  Workspaces:      http://<slug>.localhost:${port}/`);

    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const login = await fetch(`http://localhost:${port}/api/platform/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password }),
    });
    expect(login.status).toBe(200);
    expect(await login.json()).toMatchObject({ admin: { username: 'admin', mustChangePassword: true } });

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    // The password appears nowhere but its one line: not in log lines, not in the data dir's logs.
    expect(run.output().split(password).length - 1).toBe(1);
    const logDir = join(dataDir, 'logs');
    for (const file of readdirSync(logDir)) expect(readFileSync(join(logDir, file), 'utf8')).not.toContain(password);
  }, 120_000); // a primary and a worker per core, each loading the sources through tsx

  it('on the next start creates no admin, and with --demo creates the demo workspace once', async () => {
    const port = await freePort();
    const run = await start(dataDir, port, ['--demo']);
    const out = run.output();
    expect(out).not.toContain('one-time password');
    const demo = /^Demo workspace: {2}(\S+) {2}user: admin {2}initial password: (\S+)/m.exec(out);
    expect(demo).not.toBeNull();
    expect(demo![1]).toBe(`http://demo.localhost:${port}/`);
    const page = await getWithHost(port, `demo.localhost:${port}`, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Demo Company');
    // The second demo workspace trades in euros (its settings: see the models' demo data test).
    expect(out).toMatch(
      new RegExp(`^Demo workspace: {2}http://demo-eu\\.localhost:${port}/ {2}user: admin {2}initial password: \\S+`, 'm'),
    );
    const eu = await getWithHost(port, `demo-eu.localhost:${port}`, '/');
    expect(eu.status).toBe(200);
    expect(eu.body).toContain('Café Démo SARL');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);

    const again = await start(dataDir, port, [], { SALESFLEET_DEMO: '1' });
    expect(again.output()).toMatch(/Demo workspace: {2}http:\/\/demo\.localhost:\d+\/ {2}\(exists; status active\)/);
    expect(again.output()).toMatch(/Demo workspace: {2}http:\/\/demo-eu\.localhost:\d+\/ {2}\(exists; status active\)/);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('stops with one clear line naming a bad variable', async () => {
    const child = spawn(process.execPath, [bin], {
      cwd: apiDir,
      env: {
        ...process.env,
        SALESFLEET_FROM_SOURCE: '1',
        SALESFLEET_DATA_DIR: dataDir,
        PORT: 'eighty',
        SALESFLEET_SKIP_CONSOLE_BUILD: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('PORT');
  });
});

const postgres = (await testDialects()).includes('postgres');

describe.runIf(postgres)('pnpm start with PostgreSQL tenants', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'salesfleet-start-budget-'));
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const child of children) process.kill(-child.pid!, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    for (const db of databases) await db.drop();
  });

  it('warns when open tenants × pool max can exceed the tenant server’s max_connections, naming the fix', async () => {
    // Three registered tenants on the test server, each on its own empty database (a database belongs to
    // one tenant; the check reads the server's limit through one of them).
    const tenancy = await openTenancy(loadConfig({ SALESFLEET_DATA_DIR: dataDir }), { migrateRegistry: true });
    const spec = parseDatabaseUrl(testServerUrls.postgres);
    for (const slug of ['budget-a', 'budget-b', 'budget-c']) {
      const database = await createTestDatabase('postgres');
      databases.push(database);
      await tenancy.registry.insertTenant({
        slug,
        name: slug,
        adminEmail: `admin@${slug}.test`,
        status: 'active',
        maxUsers: 5,
        multiLocation: false,
        trialEndsAt: null,
        paidUntil: null,
        db: {
          engine: 'postgres',
          host: spec.host,
          port: spec.port,
          name: database.name,
          user: spec.user,
          passwordEncrypted: null,
          managed: false,
        },
      });
    }
    await tenancy.close();

    // 3 tenants × 50 connections each is above any default max_connections (100).
    const run = await start(dataDir, await freePort(), [], { SALESFLEET_TENANT_POOL_MAX: '50' });
    await expect
      .poll(() => run.output(), { timeout: 20_000 })
      .toMatch(/^warning: connection budget: .*3 open tenant handle\(s\) × pool 50 = 150 connections/m);
    expect(run.output()).toMatch(/SALESFLEET_MAX_OPEN_TENANTS or SALESFLEET_TENANT_POOL_MAX/);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});

// Two `pnpm start`s on one new registry (issue 16: one of them used to fail on the registry
// migrations or the first admin): both start, the registry is migrated once and one admin is made.
describe.each(await testDialects())('two processes starting together on a new %s registry', (dialect) => {
  let registry: TestDatabase | null = null;
  const dirs: string[] = [];
  afterAll(async () => {
    for (const child of children) process.kill(-child.pid!, 'SIGKILL');
    await registry?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('both start and answer; exactly one creates the first platform admin', async () => {
    if (dialect !== 'sqlite') registry = await createTestDatabase(dialect);
    const shared = mkdtempSync(join(tmpdir(), 'salesfleet-start-race-'));
    dirs.push(shared);
    // SQLite: one data dir (its registry file) for both; a server registry: a data dir each.
    const dataDirs = registry ? [mkdtempSync(join(tmpdir(), 'salesfleet-start-race-')), shared] : [shared, shared];
    if (registry) dirs.push(dataDirs[0]!);
    const env: Record<string, string> = {
      SALESFLEET_SECRET_KEY: randomBytes(32).toString('base64url'),
      ...(registry ? { SALESFLEET_REGISTRY_URL: registry.url } : {}),
    };
    const ports = [await freePort(), await freePort()];
    const runs = await Promise.all(dataDirs.map((dir, i) => start(dir, ports[i]!, [], env)));
    for (const port of ports) expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const admins = runs.map(
      (r) =>
        r
          .output()
          .split('\n')
          .filter((l) => l.includes('one-time password')).length,
    );
    expect(admins.sort()).toEqual([0, 1]);

    const tenancy = await openTenancy(loadConfig({ SALESFLEET_DATA_DIR: dataDirs[0]!, ...env }));
    try {
      expect(await tenancy.registry.countPlatformAdmins()).toBe(1);
      expect((await tenancy.registry.migrationStatus()).pending).toEqual([]);
    } finally {
      await tenancy.close();
    }
    for (const run of runs) run.child.kill('SIGTERM');
    expect(await Promise.all(runs.map((r) => r.exited))).toEqual([0, 0]);
  });
});
