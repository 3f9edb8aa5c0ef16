import { describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects } from '@salesfleet/models/testing';
import { migrationNames, migrationStatus } from '@salesfleet/migrations';
import { closeSequelize, databaseKey, openSequelize, parseDatabaseUrl } from '../drivers/index';
import { createTestTenancy, testSlug } from '../testing/index';

const dialects = await testDialects();
const actor = 'test:database-ownership';

describe('databaseKey', () => {
  it('gives one key to every spelling of one database', () => {
    const pg = (host: string | null, port: number | null, name: string) => databaseKey({ engine: 'postgres', host, port, name });
    const same = [
      pg('127.0.0.1', 5432, 'shop'),
      pg('localhost', null, 'shop'),
      pg('LOCALHOST.', 5432, 'Shop'),
      pg('::1', 5432, 'shop'),
      pg(null, null, 'shop '),
    ];
    expect(new Set(same).size).toBe(1);
    expect(pg('db.example.com', 5432, 'shop')).not.toBe(same[0]);
    expect(pg('127.0.0.1', 5433, 'shop')).not.toBe(same[0]);
    expect(databaseKey({ engine: 'mysql', host: '127.0.0.1', port: 5432, name: 'shop' })).not.toBe(same[0]);
    const sqlite = (name: string) => databaseKey({ engine: 'sqlite', host: null, port: null, name });
    expect(
      new Set([sqlite('tenants/a.sqlite'), sqlite('./tenants/a.sqlite'), sqlite('tenants//a.sqlite'), sqlite('tenants/x/../a.sqlite')])
        .size,
    ).toBe(1);
    expect(sqlite('tenants/b.sqlite')).not.toBe(sqlite('tenants/a.sqlite'));
  });
});

describe.skipIf(!dialects.includes('postgres'))('one PostgreSQL database, several tenants created on it at once', () => {
  it('ends with exactly one active tenant; the others fail clearly and never touch its database', async () => {
    const target = await createTestDatabase('postgres');
    const t = await createTestTenancy({ engine: 'postgres', registryEngine: 'postgres', templates: false });
    try {
      const { user, port, database } = parseDatabaseUrl(target.url);
      const spellings = [
        `postgres://${user}@127.0.0.1:${port}/${database}`,
        `postgres://${user}@localhost:${port}/${database}`,
        `postgresql://${user}@localhost/${database}`,
        `postgres://${user}@LOCALHOST/${database}`,
      ];
      const slugs = spellings.map(() => testSlug('own'));
      const outcomes = await Promise.allSettled(
        spellings.map((url, i) =>
          t.provisioner.createTenant(
            { name: `Claimant ${i}`, subdomain: slugs[i]!, adminEmail: 'a@claim.test', database: { url } },
            { actor },
          ),
        ),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won, JSON.stringify(lost.map((l) => String(l.reason)))).toHaveLength(1);
      expect(lost).toHaveLength(3);
      for (const l of lost) {
        expect(l.reason).toMatchObject({ code: 'Conflict', message: expect.stringContaining('already belongs to another tenant') });
      }

      const tenants = (await t.registry.listTenants()).filter((x) => slugs.includes(x.slug));
      expect(tenants.map((x) => x.status)).toEqual(['active']);
      // The winner's database still has every migration applied: no loser's cleanup reverted any.
      const sequelize = openSequelize(t.registry.databaseSpecOf(tenants[0]!), { dataDir: t.dataDir, tenant: true });
      try {
        expect((await migrationStatus(sequelize, 'tenant')).applied).toEqual(migrationNames('tenant'));
      } finally {
        await closeSequelize(sequelize);
      }
      expect(await t.provisioner.tenantHealth(tenants[0]!.slug)).toMatchObject({ reachable: true, userCount: 1, pendingMigrations: 0 });

      // Later, too: a new tenant on that database, in yet another spelling, is refused by the registry.
      await expect(
        t.provisioner.createTenant(
          {
            name: 'Late',
            subdomain: testSlug('own'),
            adminEmail: 'a@claim.test',
            database: { url: `postgres://${user}@[::1]:${port}/${database}` },
          },
          { actor },
        ),
      ).rejects.toMatchObject({ code: 'Conflict' });
      await t.provisioner.deleteTenant(tenants[0]!.slug, { actor });
    } finally {
      await t.cleanup();
      await target.drop();
    }
  });
});
