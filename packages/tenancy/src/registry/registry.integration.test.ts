import { randomBytes, scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import { compareSchemaWithModels, migrateDown, migrateUp, migrationNames, migrationStatus } from '@salesfleet/migrations';
import { createTestTenancy, testSlug, type TestTenancy } from '../testing/index';
import type { NewTenant, RegistryChange } from './registry';
import { toTenantRecord } from './tenant-list';
import { Conflict, DatabasePlacementConflict, NotFound, SlugTaken, ValidationFailed } from '@salesfleet/contracts';

const dialects = await testDialects();

function newTenant(slug: string, password: string | null, t: TestTenancy): NewTenant {
  return {
    slug,
    name: `Tenant ${slug}`,
    adminEmail: `admin@${slug}.test`,
    maxUsers: 10,
    multiLocation: false,
    trialEndsAt: null,
    paidUntil: null,
    db: {
      engine: 'postgres',
      host: 'db.internal',
      port: 5432,
      name: `sales_${slug}`,
      user: 'tenant',
      passwordEncrypted: password ? t.registry.sealPassword(password) : null,
      managed: true,
    },
  };
}

describe.each(dialects)('registry on %s', (dialect) => {
  let t: TestTenancy;
  beforeAll(async () => {
    t = await createTestTenancy({ registryEngine: dialect });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('is migrated to exactly the schema its models declare, and migrates down and up again', async () => {
    const { models, sequelize } = t.registry;
    // Every model the registry declares (a new table needs no edit here to be compared).
    const { sequelize: _, ...declared } = models;
    const all = Object.values(declared);
    expect(await compareSchemaWithModels(sequelize, all)).toEqual([]);
    expect((await migrationStatus(sequelize, 'registry')).pending).toEqual([]);
    // One migration down per call, newest first, until none is applied.
    const reverted: string[] = [];
    for (let i = 0; i < migrationNames('registry').length; i++) reverted.push(...(await migrateDown(sequelize, 'registry')).reverted);
    expect(reverted).toEqual(migrationNames('registry').reverse());
    expect((await migrationStatus(sequelize, 'registry')).applied).toEqual([]);
    await migrateUp(sequelize, 'registry');
    expect(await compareSchemaWithModels(sequelize, all)).toEqual([]);
  });

  it('reads the same tenant record by slug, slugs, id and domain (plain rows) as from a model instance, every column set', async () => {
    const slug = testSlug();
    const created = await t.registry.insertTenant(newTenant(slug, 'Db-Pa55word!x', t));
    await t.registry.updateTenant(created.id, {
      status: 'suspended',
      suspendedReason: 'billing',
      maxUsers: 7,
      multiLocation: true,
      trialEndsAt: new Date('2030-01-02T03:04:05Z'),
      paidUntil: new Date('2031-02-03T04:05:06Z'),
      schemaVersion: '20260101000000-test',
      provisioning: { owner: 'test-owner', leaseUntil: new Date('2032-03-04T05:06:07Z') },
    });
    await t.registry.recordHealth(created.id, {
      reachable: true,
      latencyMs: 12,
      sizeBytes: 65_536,
      error: null,
      checkedAt: new Date('2029-05-06T07:08:09Z'),
      userCount: 3,
    });
    const domain = `shop.${testSlug('d')}.example.org`;
    await t.registry.addDomain(created.id, domain);
    const instance = await t.registry.models.Tenant.findOne({ where: { slug } });
    const expected = toTenantRecord(instance!);
    expect(expected).toMatchObject({
      status: 'suspended',
      multiLocation: true,
      userCount: 3,
      schemaVersion: '20260101000000-test',
      provisioning: { owner: 'test-owner' },
      health: { reachable: true, sizeBytes: 65_536 },
    });
    expect(expected.paidUntil).toEqual(new Date('2031-02-03T04:05:06Z'));
    expect(await t.registry.findTenant(slug)).toEqual(expected);
    expect(await t.registry.findTenantById(created.id)).toEqual(expected);
    expect(await t.registry.findTenantByDomain(domain)).toEqual(expected);
    // The router's batched refresh: the slugs that exist, in one read.
    expect(await t.registry.findTenants([slug, testSlug()])).toEqual([expected]);
    expect(await t.registry.findTenants([])).toEqual([]);
    await t.registry.deleteTenant(created.id);
  });

  it('stores tenants with an encrypted password, bumps the version on every change and emits events', async () => {
    const slug = testSlug();
    const changes: RegistryChange[] = [];
    const off = t.registry.onChange((c) => changes.push(c));
    const created = await t.registry.insertTenant(newTenant(slug, 'Db-Pa55word!x', t));
    expect(created).toMatchObject({ slug, status: 'provisioning', version: 1, maxUsers: 10, db: { engine: 'postgres', managed: true } });
    expect(created.db.passwordEncrypted).toMatch(/^v1\./);
    expect(t.registry.databaseSpecOf(created).password).toBe('Db-Pa55word!x');

    const [rows] = await t.registry.sequelize.query(`SELECT * FROM tenants WHERE slug = '${slug}'`);
    expect(JSON.stringify(rows)).not.toContain('Db-Pa55word');

    const updated = await t.registry.updateTenant(created.id, {
      status: 'active',
      maxUsers: 20,
      trialEndsAt: new Date('2030-01-01T00:00:00Z'),
    });
    expect(updated).toMatchObject({ status: 'active', maxUsers: 20, version: 2 });
    expect(updated.trialEndsAt?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect((await t.registry.getTenant(slug)).version).toBe(2);
    expect(await t.registry.findTenantById(created.id)).toMatchObject({ slug, version: 2 });

    await expect(t.registry.updateTenant(created.id, { name: 'stale' }, { expectedVersion: 1 })).rejects.toBeInstanceOf(Conflict);
    expect((await t.registry.updateTenant(created.id, { name: 'fresh' }, { expectedVersion: 2 })).version).toBe(3);

    await expect(t.registry.insertTenant(newTenant(slug, null, t))).rejects.toBeInstanceOf(SlugTaken);
    expect(await t.registry.deleteTenant(created.id)).toBe(true);
    expect(await t.registry.findTenant(slug)).toBeNull();
    expect(await t.registry.deleteTenant(created.id)).toBe(false);
    off();
    expect(changes.map((c) => c.kind)).toEqual(['tenant-changed', 'tenant-changed', 'tenant-changed', 'tenant-deleted']);
    expect(changes.every((c) => c.slug === slug)).toBe(true);
  });

  it("places a PostgreSQL database as one tenant's own or a shared database of schemas, never both, even when created at the same instant", async () => {
    const database = `sales_plc${testSlug('')}`;
    const on = (slug: string, schema: string | null): NewTenant => {
      const v = newTenant(slug, null, t);
      return { ...v, db: { ...v.db, name: database, schema } };
    };
    // Ten creations at once, whole-database and schema tenants alternating: one kind wins the database.
    const slugs = Array.from({ length: 10 }, () => testSlug('plc'));
    const settled = await Promise.allSettled(slugs.map((slug, i) => t.registry.insertTenant(on(slug, i % 2 ? `t_${slug}` : null))));
    const created = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const kinds = new Set(created.map((tenant) => (tenant.db.schema ? 'schemas' : 'whole')));
    expect(kinds.size).toBe(1);
    for (const r of settled) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(Conflict);
    // Whole: only one tenant can have it (db_key); schemas: every schema tenant got in.
    expect(created.length).toBe(kinds.has('whole') ? 1 : 5);
    const sameKind = (slug: string) => on(slug, kinds.has('whole') ? null : `t_${slug}`);
    const otherKind = (slug: string) => on(slug, kinds.has('whole') ? `t_${slug}` : null);
    await expect(t.registry.insertTenant(otherKind(testSlug('plc')))).rejects.toBeInstanceOf(DatabasePlacementConflict);
    // Once the last tenant has left, the database can change kind.
    for (const tenant of created) await t.registry.deleteTenant(tenant.id);
    const switched = await t.registry.insertTenant(otherKind(testSlug('plc')));
    await expect(t.registry.insertTenant(sameKind(testSlug('plc')))).rejects.toBeInstanceOf(DatabasePlacementConflict);
    // A tenant moved to another database frees its place in this one.
    await t.registry.updateTenant(switched.id, { db: { name: `${database}m` } });
    const back = await t.registry.insertTenant(sameKind(testSlug('plc')));
    expect(back.db.name).toBe(database);
    const [rows] = await t.registry.sequelize.query(
      `SELECT kind, tenants FROM tenant_databases WHERE db_key LIKE '%${database}%' ORDER BY kind`,
    );
    expect((rows as { kind: string; tenants: number }[]).map((r) => [r.kind, Number(r.tenants)]).sort()).toEqual(
      [
        [kinds.has('whole') ? 'whole' : 'schemas', 1],
        [kinds.has('whole') ? 'schemas' : 'whole', 1],
      ].sort(),
    );
  });

  it('keeps custom domains normalised, unique and with one primary per tenant', async () => {
    const a = await t.registry.insertTenant(newTenant(testSlug(), null, t));
    const b = await t.registry.insertTenant(newTenant(testSlug(), null, t));
    const suffix = testSlug('d');
    const first = await t.registry.addDomain(a.id, `Shop.${suffix}.EXAMPLE.org.`);
    expect(first).toMatchObject({ domain: `shop.${suffix}.example.org`, primary: true });
    const second = await t.registry.addDomain(a.id, `bücher.${suffix}.de`, { primary: true });
    expect(second.domain).toBe(`xn--bcher-kva.${suffix}.de`);
    const listed = await t.registry.listDomains(a.id);
    expect(listed.filter((d) => d.primary).map((d) => d.domain)).toEqual([second.domain]);
    await expect(t.registry.addDomain(b.id, `shop.${suffix}.example.org`)).rejects.toBeInstanceOf(Conflict);
    await expect(t.registry.addDomain(b.id, '127.0.0.1')).rejects.toBeInstanceOf(ValidationFailed);
    await expect(t.registry.addDomain(b.id, 'not a domain')).rejects.toBeInstanceOf(ValidationFailed);
    expect((await t.registry.findTenantByDomain(`SHOP.${suffix}.example.org`))?.slug).toBe(a.slug);
    expect((await t.registry.getTenant(a.slug)).version).toBe(3);

    await t.registry.removeDomain(a.id, second.domain);
    expect((await t.registry.listDomains(a.id)).map((d) => [d.domain, d.primary])).toEqual([[first.domain, true]]);
    await expect(t.registry.removeDomain(a.id, second.domain)).rejects.toBeInstanceOf(NotFound);

    await t.registry.deleteTenant(a.id);
    expect(await t.registry.findTenantByDomain(first.domain)).toBeNull();
    expect(await t.registry.listDomains(a.id)).toEqual([]);
    await t.registry.deleteTenant(b.id);
  });

  it('authenticates platform admins by username or email, and manages their sessions', async () => {
    const username = testSlug('adm');
    const admin = await t.registry.createPlatformAdmin({
      username: username.toUpperCase(),
      email: `${username}@Example.com`,
      password: 'correct horse battery staple',
      mustChangePassword: true,
    });
    expect(admin).toMatchObject({
      username,
      email: `${username}@example.com`,
      mustChangePassword: true,
      isActive: true,
      lastLoginAt: null,
    });
    await expect(
      t.registry.createPlatformAdmin({ username, email: 'other@example.com', password: 'correct horse battery staple' }),
    ).rejects.toBeInstanceOf(Conflict);
    await expect(t.registry.createPlatformAdmin({ username: 'bad name', email: 'x', password: 'y' })).rejects.toBeInstanceOf(
      ValidationFailed,
    );

    expect(await t.registry.authenticatePlatformAdmin(username.toUpperCase(), 'correct horse battery staple')).toMatchObject({
      id: admin.id,
    });
    expect(await t.registry.authenticatePlatformAdmin(`${username}@example.com`, 'correct horse battery staple')).toMatchObject({
      id: admin.id,
    });
    expect(await t.registry.authenticatePlatformAdmin(username, 'wrong password')).toBeNull();
    expect(await t.registry.authenticatePlatformAdmin('nobody-here', 'correct horse battery staple')).toBeNull();

    const [hashRow] = (await t.registry.sequelize.query(`SELECT password_hash FROM platform_admins WHERE id = ${admin.id}`))[0] as {
      password_hash: string;
    }[];
    expect(hashRow!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    // A hash of the former scheme (scrypt, as stored before Argon2id) still signs in and is replaced then.
    const salt = randomBytes(16);
    const legacyKey = scryptSync('correct horse battery staple', salt, 32, { N: 2 ** 12, r: 8, p: 1 });
    const legacy = `scrypt$4096$8$1$${salt.toString('base64url')}$${legacyKey.toString('base64url')}`;
    await t.registry.models.PlatformAdmin.update({ passwordHash: legacy }, { where: { id: admin.id } });
    const storedHash = async () => (await t.registry.models.PlatformAdmin.findByPk(admin.id))!.passwordHash;
    expect(await t.registry.authenticatePlatformAdmin(username, 'wrong password')).toBeNull();
    expect(await storedHash()).toBe(legacy);
    expect(await t.registry.authenticatePlatformAdmin(username, 'correct horse battery staple')).toMatchObject({ id: admin.id });
    const upgraded = await storedHash();
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await t.registry.authenticatePlatformAdmin(username, 'correct horse battery staple')).toMatchObject({ id: admin.id });
    expect(await storedHash()).toBe(upgraded);

    const { token, session } = await t.registry.createPlatformSession(admin.id, { ip: '203.0.113.5', userAgent: 'vitest' });
    expect(token.length).toBeGreaterThanOrEqual(40);
    const [sessionRows] = await t.registry.sequelize.query(`SELECT token_hash FROM platform_sessions WHERE id = ${session.id}`);
    expect(JSON.stringify(sessionRows)).not.toContain(token);
    expect(await t.registry.findPlatformSession(token)).toMatchObject({ admin: { id: admin.id }, session: { ip: '203.0.113.5' } });
    expect(await t.registry.findPlatformSession(`${token}x`)).toBeNull();
    expect(await t.registry.findPlatformSession('short')).toBeNull();

    const other = await t.registry.createPlatformSession(admin.id);
    expect(await t.registry.revokePlatformSessionsOf(admin.id, { exceptToken: token })).toBe(1);
    expect(await t.registry.findPlatformSession(other.token)).toBeNull();
    expect(await t.registry.revokePlatformSession(token)).toBe(true);
    expect(await t.registry.findPlatformSession(token)).toBeNull();

    const expired = await t.registry.createPlatformSession(admin.id, { ttlMs: -1000 });
    expect(await t.registry.findPlatformSession(expired.token)).toBeNull();

    const live = await t.registry.createPlatformSession(admin.id);
    await t.registry.setPlatformAdminActive(admin.id, false);
    expect(await t.registry.findPlatformSession(live.token)).toBeNull();
    expect(await t.registry.authenticatePlatformAdmin(username, 'correct horse battery staple')).toBeNull();
    await t.registry.setPlatformAdminActive(admin.id, true);

    const changed = await t.registry.setPlatformAdminPassword(admin.id, 'another long passphrase');
    expect(changed.mustChangePassword).toBe(false);
    expect(await t.registry.verifyPlatformAdminPassword(admin.id, 'another long passphrase')).toBe(true);
    await t.registry.recordPlatformAdminLogin(admin.id);
    expect((await t.registry.getPlatformAdmin(admin.id))?.lastLoginAt).toBeInstanceOf(Date);
  });

  it('lists operations newest first with filters and a limit', async () => {
    const slug = testSlug();
    // One INSERT for the three rows: ids (and so "newest first") follow the order given.
    await t.registry.insertOperations(
      (
        [
          ['create-tenant', 'started'],
          ['create-tenant', 'succeeded'],
          ['suspend-tenant', 'failed'],
        ] as const
      ).map(([action, outcome]) => ({
        runId: 'r1',
        tenantId: null,
        tenantSlug: slug,
        action,
        step: null,
        outcome,
        actor: 'test',
        details: { n: 1 },
        error: outcome === 'failed' ? 'boom' : null,
        durationMs: 12.4,
      })),
    );
    const all = await t.registry.listOperations({ tenant: slug });
    expect(all.map((o) => o.outcome)).toEqual(['failed', 'succeeded', 'started']);
    expect(all[0]).toMatchObject({ action: 'suspend-tenant', error: 'boom', details: { n: 1 }, durationMs: 12 });
    expect((await t.registry.listOperations({ tenant: slug, action: 'create-tenant' })).length).toBe(2);
    expect((await t.registry.listOperations({ tenant: slug, outcome: 'failed' })).length).toBe(1);
    expect((await t.registry.listOperations({ tenant: slug, limit: 1 })).length).toBe(1);
    expect((await t.registry.listOperations({ tenant: slug, beforeId: all[1]!.id })).map((o) => o.outcome)).toEqual(['started']);
  });
});
