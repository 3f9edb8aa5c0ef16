import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import { createCliWorkspace, occurrences, type CliResult, type CliWorkspace } from './testing/cli-workspace';

const dialects = await testDialects();

/** The one-time password line of create-tenant's output. */
const ONE_TIME = /One-time password:\s+(\S+)/;

// Read-only commands run side by side, and so do the two deletes (each on its own tenant); the
// suspend/resume test runs alone between them, so the listings never see a suspended tenant.
describe.each(dialects)('the CLI runs a tenant lifecycle on %s', (dialect) => {
  let ws: CliWorkspace;
  let slug: string;
  let created: CliResult;

  beforeAll(async () => {
    ws = await createCliWorkspace(dialect);
    const init = await ws.run(['init']);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    slug = ws.slug('life');
    created = await ws.run(['create-tenant', 'Lifecycle Ltd', slug, 'owner@lifecycle.test', '--max-users', '7']);
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('create-tenant shows each step, the URL, the admin and a one-time password once, and stores no secret', async () => {
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    for (const step of ['Reserve the subdomain in the registry', 'Create the database', 'Migrate the schema', 'Activate']) {
      expect(created.stdout).toContain(`ok      ${step}`);
    }
    expect(created.stdout).toContain(`URL:       http://${slug}.localhost:8000/`);
    expect(created.stdout).toContain('Admin:     admin <owner@lifecycle.test>');
    expect(created.stdout).toMatch(/shown once/);
    const password = ONE_TIME.exec(created.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(occurrences(created.stdout, password!)).toBe(1);
    expect(ws.logs()).toContain(slug);
    expect(ws.logs()).not.toContain(password);
    expect(JSON.stringify(await ws.operations())).not.toContain(password);
    expect(await ws.databaseExists(slug)).toBe(true);
    expect((await ws.tenantRow(slug))?.status).toBe('active');
  });

  it.concurrent('list-tenants prints aligned columns and the same tenants as JSON, from the registry unless --health', async () => {
    const [plain, json, filtered, wrong] = await Promise.all([
      ws.run(['list-tenants']),
      ws.run(['list-tenants', '--json']),
      ws.run(['list-tenants', '--status', 'failed', '--engine', dialect]),
      ws.run(['list-tenants', '--status', 'gone']),
    ]);
    const checkedFrom = Date.now() - 1000;
    const checked = await ws.run(['list-tenants', '--json', '--health', '--engine', dialect, '--status', 'active', 'suspended']);
    const after = await ws.run(['list-tenants', '--json']);
    expect(plain.code).toBe(0);
    const [header, row] = plain.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^SLUG\s+NAME\s+STATUS\s+ENGINE\s+SERVER\s+USERS\s+SCHEMA VERSION\s+PENDING\s+CREATED \(UTC\)$/);
    expect(row).toMatch(
      new RegExp(
        `^${slug}\\s+Lifecycle Ltd\\s+active\\s+${dialect}\\s+\\S+\\s+1/7\\s+\\d{12}-\\S+\\s+0\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d$`,
      ),
    );
    // Columns line up: every value starts where its header starts.
    expect(row!.indexOf('active')).toBe(header!.indexOf('STATUS'));

    expect(json.code).toBe(0);
    const { tenants } = JSON.parse(json.stdout) as { tenants: Record<string, unknown>[] };
    expect(tenants).toHaveLength(1);
    const summary = {
      slug,
      name: 'Lifecycle Ltd',
      status: 'active',
      engine: dialect,
      userCount: 1,
      maxUsers: 7,
      pendingMigrations: 0,
      url: `http://${slug}.localhost:8000/`,
    };
    // Without --health only the registry is read: the recorded user count, and reachability as of the last check (if any).
    expect(tenants[0]).toMatchObject(summary);
    expect(tenants[0]!.reachable).toBe((tenants[0]!.lastHealth as { reachable: boolean } | null)?.reachable ?? null);
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.stdout).tenants).toEqual([expect.objectContaining({ ...summary, reachable: true })]);
    // The check is recorded: the next plain listing shows it.
    const [recorded] = JSON.parse(after.stdout).tenants as { reachable: boolean; lastHealth: { checkedAt: string; error: null } }[];
    expect(recorded).toMatchObject({ reachable: true, lastHealth: { error: null } });
    expect(Date.parse(recorded!.lastHealth.checkedAt)).toBeGreaterThan(checkedFrom);
    expect(filtered.stdout).toBe('No tenant matches these filters.\n');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--status gone is not one of provisioning, active, suspended, failed, deleting');
  });

  it.concurrent('migrate-tenants --check exits 0 when the registry and every tenant are up to date', async () => {
    const check = await ws.run(['migrate-tenants', '--check']);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('Registry: up to date');
    expect(check.stdout).toMatch(new RegExp(`^${slug}\\s+up to date\\s+0\\s`, 'm'));
    expect(check.stdout).toContain('Check: everything is up to date.');
  });

  it.concurrent('check-tenants finds the registry, the key and the tenant healthy and exits 0', async () => {
    const doctor = await ws.run(['check-tenants', '--json']);
    expect(doctor.code).toBe(0);
    const report = JSON.parse(doctor.stdout) as {
      ok: boolean;
      checks: { name: string; ok: boolean }[];
      tenants: { slug: string; reachable: boolean; latencyMs: number; pendingMigrations: number; userCount: number; problems: string[] }[];
    };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['registry', true],
      ['secret key', true],
      // one tenant on a server: 1 handle × pool 3 fits any server's max_connections
      ...(dialect === 'sqlite' ? [] : [['connection budget', true]]),
      // a warning at most: other tests' databases on the shared server look like orphans
      ['orphan databases', true],
      ['tenants', true],
    ]);
    expect(report.tenants).toEqual([expect.objectContaining({ slug, reachable: true, pendingMigrations: 0, userCount: 1, problems: [] })]);
    expect(report.tenants[0]!.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('suspend-tenant and resume-tenant switch the status in the registry', async () => {
    const suspended = await ws.run(['suspend-tenant', slug, '--reason', 'unpaid invoice']);
    expect(suspended.code).toBe(0);
    expect(suspended.stdout).toContain(`Suspended tenant ${slug} (reason: unpaid invoice)`);
    expect(await ws.tenantRow(slug)).toMatchObject({ status: 'suspended', suspendedReason: 'unpaid invoice' });

    const resumed = await ws.run(['resume-tenant', slug]);
    expect(resumed.code).toBe(0);
    expect(await ws.tenantRow(slug)).toMatchObject({ status: 'active', suspendedReason: null });
  });

  it.concurrent('delete-tenant --force removes the row and drops the database', async () => {
    const doomed = ws.slug('drop');
    expect((await ws.run(['create-tenant', 'Doomed', doomed, 'a@doomed.test'])).code).toBe(0);
    expect(await ws.databaseExists(doomed)).toBe(true);

    const deleted = await ws.run(['delete-tenant', doomed, '--force']);
    expect(deleted.stderr).toBe('');
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain(`Deleted tenant ${doomed}.`);
    expect(deleted.stdout).toContain('Dropped database');
    expect(await ws.tenantRow(doomed)).toBeNull();
    expect(await ws.databaseExists(doomed)).toBe(false);
  });

  it.concurrent('delete-tenant --force --keep-database removes the row and keeps the database', async () => {
    const kept = ws.slug('keep');
    expect((await ws.run(['create-tenant', 'Kept', kept, 'a@kept.test'])).code).toBe(0);

    const deleted = await ws.run(['delete-tenant', kept, '--force', '--keep-database']);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain('Kept database');
    expect(await ws.tenantRow(kept)).toBeNull();
    expect(await ws.databaseExists(kept)).toBe(true);
  });
});
