import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, type TestDialect } from '@salesfleet/models/testing';
import { backupDirectory } from '@salesfleet/tenancy';
import { createTestApp, TEST_PASSWORD, testSlug, type Json, type TestApp } from '../testing/index';

const dialects = await testDialects();

async function call(t: TestApp, token: string, method: string, path: string, json?: unknown) {
  const res = await t.request('localhost', `/api/platform${path}`, { method, token, ...(json === undefined ? {} : { json }) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
}

/** A tenant's products as its users see them, without times (a MySQL copy keeps DATETIME to the second). */
async function catalog(t: TestApp, host: string, token: string): Promise<unknown> {
  const res = await t.request(host, '/api/products?limit=100', { token });
  expect(res.status).toBe(200);
  return JSON.parse(await res.text(), (key, value) => (key.endsWith('At') ? undefined : value));
}

/** Polls a background run until it is no longer running, as the console does. */
async function finished(t: TestApp, token: string, runId: string): Promise<Json> {
  for (;;) {
    const { status, body } = await call(t, token, 'GET', `/runs/${runId}`);
    expect(status).toBe(200);
    if (body.run.state !== 'running') return body.run;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Each target engine gets an app whose tenant server is that engine; the tenant starts on SQLite.
describe.each(dialects)('backups, restore and move from the Platform API (to %s)', (engine: TestDialect) => {
  let t: TestApp;
  let token: string;
  let slug: string;
  let host: string;

  beforeAll(async () => {
    t = await createTestApp({ engine });
    token = await t.platformLogin({ username: 'operator' });
    slug = testSlug('ds');
    host = `${slug}.localhost`;
    await t.tenancy.provisioner.createTenant(
      {
        name: 'Backed Up Co',
        subdomain: slug,
        adminEmail: `admin@${slug}.example.com`,
        adminUsername: 'admin',
        adminPassword: TEST_PASSWORD,
        database: { engine: 'sqlite' },
        demoData: true,
      },
      { actor: 'test' },
    );
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('takes a backup in the background, lists it, and records it with the acting admin', async () => {
    const started = await call(t, token, 'POST', `/tenants/${slug}/backups`);
    expect(started.status).toBe(202);
    const run = await finished(t, token, started.body.runId);
    expect(run).toMatchObject({ action: 'backup-tenant', tenantSlug: slug, actor: 'admin:operator', state: 'succeeded', error: null });
    expect(run.result.rows).toBeGreaterThan(0);

    const { body } = await call(t, token, 'GET', `/tenants/${slug}/backups`);
    expect(body.backups).toHaveLength(1);
    expect(body.backups[0]).toMatchObject({ kind: 'backup', engine: 'sqlite', rows: run.result.rows, tables: run.result.tables });
    expect(body.backups[0].name).toMatch(new RegExp(`^${slug}-.*\\.sfbackup\\.gz$`));
    const logged = await t.tenancy.registry.listOperations({ runId: started.body.runId });
    expect(logged.map((o) => o.outcome)).toContain('succeeded');
    expect(new Set(logged.map((o) => o.actor))).toEqual(new Set(['admin:operator']));
  });

  it(`restores a backup as a new tenant on ${engine}: same data, its admin signs in`, async () => {
    const { body: list } = await call(t, token, 'GET', `/tenants/${slug}/backups`);
    const name = list.backups[0].name as string;
    const copy = testSlug('rs');
    const started = await call(t, token, 'POST', `/tenants/${slug}/backups/${name}/restore`, { as: copy, engine });
    expect(started.status).toBe(202);
    const run = await finished(t, token, started.body.runId);
    expect(run).toMatchObject({ action: 'restore-tenant', tenantSlug: copy, state: 'succeeded' });
    const restored = await t.tenancy.registry.getTenant(copy);
    expect(restored).toMatchObject({ status: 'active', name: 'Backed Up Co' });
    expect(restored.db.engine).toBe(engine);

    const original = await catalog(t, host, await t.tenantLogin(host));
    expect(await catalog(t, `${copy}.localhost`, await t.tenantLogin(`${copy}.localhost`))).toEqual(original);
    expect((original as Json).products.length).toBeGreaterThan(0);

    // The subdomain is now taken: refused at once, nothing started.
    const again = await call(t, token, 'POST', `/tenants/${slug}/backups/${name}/restore`, { as: copy });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('SlugTaken');
  });

  it(`moves the tenant SQLite → ${engine}: the run shows its steps, the workspace keeps serving the same data`, async () => {
    const admin = await t.tenantLogin(host);
    const before = await catalog(t, host, admin);
    const started = await call(t, token, 'POST', `/tenants/${slug}/move`, { engine });
    expect(started.status).toBe(202);
    const run = await finished(t, token, started.body.runId);
    expect(run).toMatchObject({ action: 'move-tenant', state: 'succeeded', actor: 'admin:operator', error: null });
    expect(run.steps.map((s: Json) => s.name)).toEqual(['maintenance', 'drain', 'copy', 'load', 'verify', 'switch', 'notify']);
    expect(run.result).toMatchObject({ droppedOld: false, from: expect.stringContaining(slug), to: expect.any(String) });

    const moved = await t.tenancy.registry.getTenant(slug);
    expect(moved).toMatchObject({ status: 'active' });
    expect(moved.db.engine).toBe(engine);
    expect(await catalog(t, host, admin)).toEqual(before);

    // The move kept the old database; a second move is refused until it is deleted.
    const second = await finished(t, token, (await call(t, token, 'POST', `/tenants/${slug}/move`, { engine: 'sqlite' })).body.runId);
    expect(second).toMatchObject({ state: 'failed', error: { code: 'Conflict', message: expect.stringContaining('delete-old-database') } });
    const dropped = await call(t, token, 'DELETE', `/tenants/${slug}/old-database`);
    expect(dropped).toMatchObject({ status: 200, body: { dropped: true } });
    expect((await call(t, token, 'DELETE', `/tenants/${slug}/old-database`)).status).toBe(409);
  });
});

describe('background runs that are refused', () => {
  let t: TestApp;
  let token: string;
  let slug: string;

  beforeAll(async () => {
    t = await createTestApp();
    token = await t.platformLogin({ username: 'operator' });
    ({ slug } = await t.createTenant());
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('a corrupted archive fails the restore before anything is created, and the failure is in the operations log', async () => {
    const run = await finished(t, token, (await call(t, token, 'POST', `/tenants/${slug}/backups`)).body.runId);
    expect(run.state).toBe('succeeded');
    const { body } = await call(t, token, 'GET', `/tenants/${slug}/backups`);
    const file = join(backupDirectory(t.config, slug), body.backups[0].name);
    const text = gunzipSync(readFileSync(file)).toString('utf8');
    writeFileSync(file, gzipSync(Buffer.from(text.replace('"admin"', '"intruder"'))));

    const copy = testSlug('rs');
    const started = await call(t, token, 'POST', `/tenants/${slug}/backups/${body.backups[0].name}/restore`, { as: copy });
    expect(started.status).toBe(202);
    const failed = await finished(t, token, started.body.runId);
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'ArchiveInvalid' } });
    expect(await t.tenancy.registry.findTenant(copy)).toBeNull();
    const logged = await t.tenancy.registry.listOperations({ runId: started.body.runId });
    expect(logged).toEqual([expect.objectContaining({ action: 'restore-tenant', outcome: 'failed', actor: 'admin:operator' })]);
  });

  it('answers 404 for an unknown tenant, backup or run, and 400 for a bad body', async () => {
    expect((await call(t, token, 'POST', '/tenants/nosuchtenant/backups')).status).toBe(404);
    expect((await call(t, token, 'POST', '/tenants/nosuchtenant/move', { engine: 'sqlite' })).status).toBe(404);
    const missing = `${slug}-20260101T000000000Z.sfbackup.gz`;
    expect((await call(t, token, 'POST', `/tenants/${slug}/backups/${missing}/restore`, { as: testSlug() })).status).toBe(404);
    expect((await call(t, token, 'POST', `/tenants/${slug}/backups/..%2Fregistry.sqlite/restore`, { as: testSlug() })).status).toBe(404);
    expect((await call(t, token, 'GET', '/runs/6f1c2a9e-56c1-4f0e-9a55-0d3f1f0b8f11')).status).toBe(404);
    const bad = await call(t, token, 'POST', `/tenants/${slug}/move`, { engine: 'oracle' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('ValidationFailed');
    const badSlug = await call(t, token, 'POST', `/tenants/${slug}/backups/${missing}/restore`, { as: 'Not A Slug' });
    expect(badSlug.status).toBe(400);
  });
});
