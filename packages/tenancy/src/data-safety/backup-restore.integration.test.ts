import { statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationNames } from '@salesfleet/migrations';
import { testDialects, testServerUrls, type TestDialect } from '@salesfleet/models/testing';
import { driverFor, managedDatabaseName, parseDatabaseUrl, specToUrl, sqliteTenantPath, type DatabaseSpec } from '../drivers/index';
import { createTestTenancy, testSlug, type TestTenancy } from '../testing/index';
import { readArchive, type RowValue } from './archive';
import { backupTenant, listBackups } from './backup';
import { restoreTenant } from './restore';

const dialects = await testDialects();
const actor = 'test:data-safety';
const LATEST = migrationNames('tenant').at(-1);

/** The URL of the test server of `engine` without a database name (a managed `sales_<slug>` there). */
function serverUrl(engine: Exclude<TestDialect, 'sqlite'>): string {
  return specToUrl({ ...parseDatabaseUrl(testServerUrls[engine]), database: '' });
}

function managedSpec(engine: TestDialect, slug: string): DatabaseSpec {
  if (engine === 'sqlite')
    return { engine: 'sqlite', database: sqliteTenantPath(slug), host: null, port: null, user: null, password: null };
  return { ...parseDatabaseUrl(testServerUrls[engine]), database: managedDatabaseName(slug) };
}

/** Every table's rows of an archive, in memory (test data is small). */
async function archiveRows(file: string): Promise<Map<string, { columns: { name: string; family: string }[]; rows: RowValue[][] }>> {
  const out = new Map<string, { columns: { name: string; family: string }[]; rows: RowValue[][] }>();
  for await (const e of readArchive(file)) {
    if (e.kind === 'table') out.set(e.table.name, { columns: e.table.columns, rows: [] });
    if (e.kind === 'row') out.get(e.table.name)!.rows.push(e.row);
  }
  return out;
}

/** Datetimes at whole seconds (what a MySQL DATETIME column keeps). */
function toSeconds(rows: RowValue[][], columns: { family: string }[]): RowValue[][] {
  return rows.map((r) => r.map((v, i) => (columns[i]!.family === 'datetime' && typeof v === 'string' ? `${v.slice(0, 19)}.000Z` : v)));
}

describe.each(dialects)('backup and restore of a %s tenant', (engine) => {
  let t: TestTenancy;
  let slug: string;
  let backup: Awaited<ReturnType<typeof backupTenant>>;

  beforeAll(async () => {
    t = await createTestTenancy({ engine });
    slug = testSlug('bk');
    await t.provisioner.createTenant({ name: 'Backed Up', subdomain: slug, adminEmail: 'owner@backup.test', demoData: true }, { actor });
    // Text that PostgreSQL's COPY format must escape (tab, newline, carriage return, backslash, a literal \N).
    await t.connections.withTenant(await t.registry.getTenant(slug), ({ models }) =>
      models.Customer.create({ name: 'Tab\tand back\\slash', address: 'line 1\nline 2\r\n\\N is not null', taxNumber: '\\' }),
    );
    backup = await backupTenant(t, slug, { actor });
  }, 60_000);
  afterAll(async () => {
    await t?.cleanup();
  });

  it('writes an archive and its manifest (0600) under <data dir>/backups/<slug>/ and lists it', async () => {
    expect(backup.file.startsWith(join(t.dataDir, 'backups', slug))).toBe(true);
    expect(statSync(backup.file).mode & 0o777).toBe(0o600);
    expect(statSync(backup.manifestFile).mode & 0o777).toBe(0o600);
    const m = backup.manifest;
    expect(m).toMatchObject({ engine, schemaVersion: LATEST, tenant: { slug, name: 'Backed Up' } });
    const names = m.tables.map((x) => x.name);
    // Dependency order: a table comes after the tables it references.
    expect(names.indexOf('invoices')).toBeGreaterThan(names.indexOf('customers'));
    expect(names.indexOf('invoice_lines')).toBeGreaterThan(names.indexOf('invoices'));
    expect(names.indexOf('journal_lines')).toBeGreaterThan(names.indexOf('journal_entries'));
    expect(m.tables.find((x) => x.name === 'invoices')!.rows).toBeGreaterThan(0);
    for (const table of m.tables) expect(table.sha256).toMatch(/^[0-9a-f]{64}$/);
    const listed = await listBackups(t.config, slug);
    expect(listed.map((b) => b.file)).toEqual([backup.file]);
    expect(listed[0]!.manifest!.tables).toEqual(m.tables);
    const ops = await t.operations.list({ tenant: slug, action: 'backup-tenant' });
    expect(ops.some((o) => o.outcome === 'succeeded')).toBe(true);
  });

  it.each(dialects)('restores as a new tenant on %s with every row and checksum equal', async (target) => {
    const copy = testSlug('rs');
    const database = target === engine ? undefined : target === 'sqlite' ? { engine: 'sqlite' } : { url: serverUrl(target) };
    const restored = await restoreTenant(t, slug, { actor, from: backup.file, as: copy, ...(database ? { database } : {}) });
    expect(restored.tenant).toMatchObject({ slug: copy, status: 'active', schemaVersion: LATEST, name: 'Backed Up' });
    expect(restored.tenant.db.engine).toBe(target);
    const again = await backupTenant(t, copy, { actor });
    const before = await archiveRows(backup.file);
    const after = await archiveRows(again.file);
    expect([...after.keys()]).toEqual([...before.keys()]);
    const lossy = target === 'mysql' && engine !== 'mysql';
    for (const [name, { columns, rows }] of before) {
      const expected = lossy ? toSeconds(rows, columns) : rows;
      expect(after.get(name)!.rows, name).toEqual(expected);
    }
    if (!lossy) expect(again.manifest.tables).toEqual(backup.manifest.tables);
    // The restored tenant serves, and new rows get new ids (sequences moved past the restored ones).
    const tenant = await t.registry.getTenant(copy);
    await t.connections.withTenant(tenant, async ({ models }) => {
      const maxId = (await models.Customer.max('id')) as number;
      const customer = await models.Customer.create({ name: 'After restore' });
      expect(customer.id).toBeGreaterThan(maxId);
    });
  });

  it('refuses to restore over an existing tenant without --replace, and creates nothing', async () => {
    await expect(restoreTenant(t, slug, { actor, from: backup.file })).rejects.toMatchObject({ code: 'SlugTaken' });
  });

  it('refuses a corrupted archive before anything is created', async () => {
    const text = gunzipSync(await readFile(backup.file)).toString('utf8');
    const lines = text.split('\n');
    const i = lines.findIndex((l) => l.startsWith('[') && l.includes('Demo'));
    expect(i).toBeGreaterThan(0);
    lines[i] = lines[i]!.replace('Demo', 'Dem0');
    const bad = join(t.dataDir, 'corrupt.sfbackup.gz');
    await writeFile(bad, gzipSync(lines.join('\n')));
    const copy = testSlug('bad');
    await expect(restoreTenant(t, slug, { actor, from: bad, as: copy })).rejects.toMatchObject({ code: 'ArchiveInvalid' });
    const truncated = join(t.dataDir, 'truncated.sfbackup.gz');
    const whole = await readFile(backup.file);
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(restoreTenant(t, slug, { actor, from: truncated, as: copy })).rejects.toMatchObject({ code: 'ArchiveInvalid' });
    expect(await t.registry.findTenant(copy)).toBeNull();
    const spec = managedSpec(engine, copy);
    expect(await driverFor(spec.engine).exists(spec, { dataDir: t.dataDir, connectTimeoutMs: 5000 })).toBe(false);
  });

  it('refuses an archive of a newer schema with a clear error', async () => {
    const lines = gunzipSync(await readFile(backup.file))
      .toString('utf8')
      .trimEnd()
      .split('\n');
    const future = '209912310000-from-the-future';
    const header = JSON.parse(lines[0]!);
    header.migrations.push(future);
    header.schemaVersion = future;
    const manifest = JSON.parse(lines.at(-1)!);
    manifest.schemaVersion = future;
    lines[0] = JSON.stringify(header);
    lines[lines.length - 1] = JSON.stringify(manifest);
    const newer = join(t.dataDir, 'newer.sfbackup.gz');
    await writeFile(newer, gzipSync(`${lines.join('\n')}\n`));
    const error = await restoreTenant(t, slug, { actor, from: newer, as: testSlug('new') }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'ArchiveTooNew' });
    expect((error as Error).message).toContain(future);
  });
});
