import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, testServerUrls, type TestDatabase } from '@salesfleet/models/testing';
import { driverFor, parseDatabaseUrl } from '@salesfleet/tenancy';
import { createCliWorkspace, occurrences, type CliResult, type CliWorkspace } from './testing/cli-workspace';

const dialects = await testDialects();
const serverDialects = dialects.filter((d): d is 'postgres' | 'mysql' => d !== 'sqlite');

const BAD_SLUGS = ['../x', 'a_b', 'admin', 'x'.repeat(64), "x';drop table tenants;--"];

/** Everything a person or a log could see of one run, plus what the run left in the workspace. */
async function everythingVisible(ws: CliWorkspace, ...runs: CliResult[]): Promise<string> {
  return [...runs.flatMap((r) => [r.stdout, r.stderr]), ws.logs(), JSON.stringify(await ws.operations())].join('\n');
}

describe.each(dialects)('create-tenant on %s', (dialect) => {
  let ws: CliWorkspace;

  beforeAll(async () => {
    ws = await createCliWorkspace(dialect);
    expect((await ws.run(['init'])).code).toBe(0);
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('refuses ../x, a_b, admin, 64 characters and an SQL fragment before making anything', async () => {
    const results = await Promise.all(BAD_SLUGS.map((slug) => ws.run(['create-tenant', 'Bad Idea', slug, 'owner@bad.test'])));
    results.forEach((r, i) => {
      expect(r.code, `exit status for ${BAD_SLUGS[i]}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: Invalid subdomain: .*(only lowercase letters|is reserved|longer than 63)[^\n]*\n$/);
    });
    for (const slug of BAD_SLUGS) {
      expect(await ws.tenantRow(slug)).toBeNull();
      expect(await ws.databaseExists(slug), `database or file for ${slug}`).toBe(false);
    }
    expect((await ws.operations()).filter((o) => o.action === 'create-tenant')).toEqual([]);
  });

  it('keeps the passwords it was given out of its output, the log file and the operations table', async () => {
    const slug = ws.slug('sec');
    const adminPassword = 'Quiet-Walrus-73-harbour';
    const databasePassword = 'Db-Secret-Pw-6621';
    const args = ['create-tenant', 'Secretive', slug, 'owner@secret.test', '--admin-password', adminPassword];
    let run: CliResult;
    if (dialect === 'postgres') {
      // The test server trusts local connections, so the password is accepted and ignored.
      const server = parseDatabaseUrl(testServerUrls.postgres);
      run = await ws.run([...args, '--database-url', `postgres://${server.user}:${databasePassword}@${server.host}:${server.port}/`]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`postgres://${server.user}:***@`);
    } else if (dialect === 'mysql') {
      // root has no password there: a wrong one must fail, and the failure must not echo it.
      run = await ws.run([...args, '--database-engine', 'mariadb', '--database-user', 'root', '--database-password', databasePassword]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/failed at step "create_database".*Access denied.*nothing was left behind/);
      expect(await ws.tenantRow(slug)).toBeNull();
      expect(await ws.databaseExists(slug)).toBe(false);
    } else {
      run = await ws.run(args, { env: { SALESFLEET_DATABASE_PASSWORD: databasePassword } });
      expect(run.code).toBe(0);
    }
    expect(run.stderr).toContain('--admin-password ends up in your shell history');
    expect(run.stdout).not.toContain('One-time password');
    const visible = await everythingVisible(ws, run);
    expect(visible).toContain(slug);
    expect(occurrences(visible, adminPassword)).toBe(0);
    expect(occurrences(visible, databasePassword)).toBe(0);
  });

  if (dialect === 'sqlite') {
    it('lets exactly one of two simultaneous creates of one subdomain win; the other says it is taken', async () => {
      const slug = ws.slug('race');
      const [a, b] = await Promise.all([
        ws.run(['create-tenant', 'Racer A', slug, 'a@race.test']),
        ws.run(['create-tenant', 'Racer B', slug, 'b@race.test']),
      ]);
      expect([a.code, b.code].sort()).toEqual([0, 1]);
      const loser = a.code === 0 ? b : a;
      const winner = a.code === 0 ? a : b;
      expect(loser.stderr).toMatch(
        new RegExp(
          `^error: creating tenant "${slug}" failed at step "register".*The subdomain "${slug}" (is already taken|is being set up right now); nothing was created\\n$`,
        ),
      );
      const row = await ws.tenantRow(slug);
      expect(row?.status).toBe('active');
      expect(winner.stdout).toContain(`Tenant "${row!.name}" (${slug}) is ready`);
      expect(await ws.databaseExists(slug)).toBe(true);
    });

    it('migrate-tenants and check-tenants go on past a tenant whose database is gone, name it and exit 1', async () => {
      const healthy = ws.slug('fine');
      const lost = ws.slug('lost');
      const created = await Promise.all([
        ws.run(['create-tenant', 'Fine', healthy, 'a@fine.test']),
        ws.run(['create-tenant', 'Lost', lost, 'a@lost.test']),
      ]);
      expect(created.map((r) => r.code)).toEqual([0, 0]);
      rmSync(join(ws.dataDir, 'tenants', `${lost}.sqlite`));

      const [migrate, doctor] = await Promise.all([ws.run(['migrate-tenants', '--json']), ws.run(['check-tenants'])]);
      expect(migrate.code).toBe(1);
      const report = JSON.parse(migrate.stdout) as {
        ok: boolean;
        results: { slug: string; ok: boolean; error?: string; pending: string[] }[];
      };
      expect(report.ok).toBe(false);
      expect(report.results.find((r) => r.slug === lost)).toMatchObject({ ok: false, error: expect.stringContaining('does not exist') });
      expect(report.results.find((r) => r.slug === healthy)).toMatchObject({ ok: true, pending: [] });

      expect(doctor.code).toBe(1);
      expect(doctor.stdout).toMatch(new RegExp(`^${healthy}\\s+active\\s+yes\\s.*\\sok$`, 'm'));
      expect(doctor.stdout).toMatch(
        new RegExp(`^  - ${lost}: Database sqlite:tenants/${lost}\\.sqlite is unreachable: the file does not exist$`, 'm'),
      );
    });

    it('refuses to delete without a terminal unless --force is given', async () => {
      const slug = ws.slug('stay');
      expect((await ws.run(['create-tenant', 'Stays', slug, 'a@stays.test'])).code).toBe(0);
      const refused = await ws.run(['delete-tenant', slug]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe(
        `error: refusing to delete "${slug}" without confirmation: stdin is not a terminal; pass --force to delete it non-interactively\n`,
      );
      expect((await ws.tenantRow(slug))?.status).toBe('active');
      expect(await ws.databaseExists(slug)).toBe(true);
    });
  }
});

describe.each(serverDialects)('create-tenant with an existing empty %s database', (dialect) => {
  let ws: CliWorkspace;
  const databases: TestDatabase[] = [];
  const server = () => parseDatabaseUrl(testServerUrls[dialect]);

  beforeAll(async () => {
    ws = await createCliWorkspace(dialect);
    expect((await ws.run(['init'])).code).toBe(0);
  });
  afterAll(async () => {
    await ws?.cleanup();
    for (const db of databases) await db.drop().catch(() => undefined);
  });

  /** Runs create-tenant on a fresh empty database and checks the tenant landed in it (not managed). */
  async function createIn(command: string, argsFor: (db: TestDatabase) => string[], env: Record<string, string> = {}): Promise<CliResult> {
    const db = await createTestDatabase(dialect);
    databases.push(db);
    const slug = ws.slug('ext');
    const run = await ws.run([command, 'External', slug, 'owner@external.test', ...argsFor(db)], { env });
    expect(run.stderr).not.toMatch(/^error:/m);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`/${db.name}`);
    const row = await ws.tenantRow(slug);
    expect(row?.db).toMatchObject({ engine: dialect, name: db.name, managed: false });
    const inspection = await driverFor(dialect).inspect(
      { ...server(), database: db.name },
      { dataDir: ws.dataDir, connectTimeoutMs: 10_000 },
    );
    expect(inspection.tables).toEqual(expect.arrayContaining(['users', 'invoices']));
    expect(await ws.databaseExists(slug)).toBe(false);

    // A database Salesfleet did not create is never dropped.
    const deleted = await ws.run(['delete-tenant', slug, '--force']);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain('Salesfleet did not create it');
    expect(
      (await driverFor(dialect).inspect({ ...server(), database: db.name }, { dataDir: ws.dataDir, connectTimeoutMs: 10_000 })).exists,
    ).toBe(true);
    return run;
  }

  it('takes it as --database-url (through the old create_tenant name)', async () => {
    const s = server();
    const run = await createIn('create_tenant', (db) => ['--database-url', `${dialect}://${s.user}@${s.host}:${s.port}/${db.name}`]);
    expect(run.stderr).toContain('note: create_tenant is now `pnpm cli create-tenant`');
  });

  it('takes it as discrete --database-* parameters with the Django engine name and the password from the environment', async () => {
    const s = server();
    const engine = dialect === 'postgres' ? 'django.db.backends.postgresql' : 'django.db.backends.mysql';
    // MariaDB's root has no password: the environment's password is only used where the server ignores it.
    const env: Record<string, string> = dialect === 'postgres' ? { SALESFLEET_DATABASE_PASSWORD: 'Env-Held-Pw-881' } : {};
    await createIn(
      'create-tenant',
      (db) => [
        '--database-engine',
        engine,
        '--database-host',
        s.host!,
        '--database-port',
        String(s.port),
        '--database-user',
        s.user!,
        '--database-name',
        db.name,
      ],
      env,
    );
    if (dialect === 'postgres') expect(await everythingVisible(ws)).not.toContain('Env-Held-Pw-881');
  });
});
