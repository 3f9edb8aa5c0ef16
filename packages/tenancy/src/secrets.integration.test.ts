import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { testDialects, testServerUrls, type TestDialect } from '@salesfleet/models/testing';
import { createTestTenancy, testSlug, type TestTenancy } from './testing/index';

const dialects = await testDialects();

/** A login role with a password on the test server, allowed to create databases. */
async function makeRole(engine: Exclude<TestDialect, 'sqlite'>, name: string, password: string): Promise<() => Promise<void>> {
  if (engine === 'postgres') {
    const admin = new pg.Client({ connectionString: testServerUrls.postgres });
    await admin.connect();
    await admin.query(`CREATE ROLE ${name} LOGIN CREATEDB PASSWORD '${password}'`);
    await admin.end();
    return async () => {
      const c = new pg.Client({ connectionString: testServerUrls.postgres });
      await c.connect();
      await c.query(`DROP ROLE IF EXISTS ${name}`);
      await c.end();
    };
  }
  const admin = await mysql.createConnection({ uri: testServerUrls.mysql });
  await admin.query(`CREATE USER '${name}'@'%' IDENTIFIED BY '${password}'`);
  await admin.query(`CREATE USER '${name}'@'localhost' IDENTIFIED BY '${password}'`);
  for (const host of ['%', 'localhost']) await admin.query(`GRANT ALL PRIVILEGES ON \`sf\\_secret\\_%\`.* TO '${name}'@'${host}'`);
  await admin.end();
  return async () => {
    const c = await mysql.createConnection({ uri: testServerUrls.mysql });
    await c.query(`DROP USER IF EXISTS '${name}'@'%'`);
    await c.query(`DROP USER IF EXISTS '${name}'@'localhost'`);
    await c.end();
  };
}

/** Every row of every registry table, as text. */
async function dumpRegistry(t: TestTenancy): Promise<string> {
  let out = '';
  for (const table of ['tenants', 'tenant_domains', 'platform_admins', 'platform_sessions', 'operations']) {
    const [rows] = await t.registry.sequelize.query(`SELECT * FROM ${table}`);
    out += JSON.stringify(rows);
  }
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe.each(dialects)('secrets with %s tenant databases', (engine) => {
  // Many databases made and dropped one after another: slow on a busy server.
  it('never reach a log line, a registry row, an error or a result', { timeout: 240_000 }, async () => {
    const dbPassword = `Db-Pw-${randomBytes(8).toString('hex')}`;
    const adminPassword = `Long unusual passphrase ${randomBytes(6).toString('hex')}`;
    const role = `sf_secret_role_${randomBytes(4).toString('hex')}`;
    const dropRole = engine === 'sqlite' ? null : await makeRole(engine, role, dbPassword);
    const failing = await createTestTenancy({ engine, failAt: 'seed' });
    const t = await createTestTenancy({ engine, dataDir: failing.dataDir });
    const outputs: unknown[] = [];
    const errors: string[] = [];
    const capture = async (p: Promise<unknown>) => {
      try {
        outputs.push(await p);
      } catch (err) {
        errors.push(`${(err as Error).message} ${JSON.stringify(err)} ${String((err as Error).stack)}`);
      }
    };
    try {
      const slug = testSlug();
      const server = engine === 'sqlite' ? null : new URL(testServerUrls[engine]);
      const database =
        engine === 'sqlite'
          ? undefined
          : {
              engine,
              host: server!.hostname,
              port: server!.port || undefined,
              user: role,
              password: dbPassword,
              name: `sf_secret_${slug}`,
            };
      const urlForm =
        engine === 'sqlite'
          ? undefined
          : { url: `${engine}://${role}:${encodeURIComponent(dbPassword)}@${server!.host}/sf_secret_${slug}x` };
      const input = { name: 'Secretive', subdomain: slug, adminEmail: 's@secret.test', adminPassword, database };

      await capture(failing.provisioner.createTenant(input, { actor: 'test' }));
      await capture(t.provisioner.createTenant(input, { actor: 'test', dryRun: true }));
      await capture(t.provisioner.createTenant(input, { actor: 'test' }));
      await capture(t.provisioner.createTenant(input, { actor: 'test' })); // SlugTaken
      await capture(t.provisioner.createTenant({ ...input, subdomain: `${slug}x`, database: urlForm }, { actor: 'test' }));
      // an unreachable server with a password in its URL
      await capture(
        t.provisioner.createTenant(
          {
            ...input,
            subdomain: `${slug}y`,
            database: { url: `postgres://${role}:${encodeURIComponent(dbPassword)}@127.0.0.1:1/nothing` },
          },
          { actor: 'test' },
        ),
      );
      await capture(t.provisioner.tenantHealth(slug));
      await capture(t.provisioner.fleetHealth());
      await capture(t.provisioner.migrateTenants({ actor: 'test' }));
      await capture(t.provisioner.tenantUsers(slug));
      await capture(t.registry.listTenants());
      await capture(t.operations.list({ limit: 1000 }));
      const generated = await t.provisioner.createTenant(
        { name: 'Generated', subdomain: testSlug(), adminEmail: 'g@secret.test' },
        { actor: 'test' },
      );
      const oneTime = generated.admin.oneTimePassword!;
      expect(oneTime).toBeTruthy();
      await capture(t.provisioner.deleteTenant(slug, { actor: 'test' }));
      await capture(t.provisioner.deleteTenant(`${slug}x`, { actor: 'test' }));

      expect(errors.length).toBeGreaterThanOrEqual(3);
      expect(outputs.length).toBeGreaterThanOrEqual(8);
      const logs = filesUnder(t.dataDir)
        .filter((f) => f.includes(`${join(t.dataDir, 'logs')}`))
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n');
      expect(logs).toContain('create-tenant');
      const haystacks = { logs, registry: await dumpRegistry(t), outputs: JSON.stringify(outputs), errors: errors.join('\n') };
      for (const [where, text] of Object.entries(haystacks)) {
        for (const secret of [dbPassword, encodeURIComponent(dbPassword), adminPassword, oneTime, t.config.secretKey]) {
          expect(text.includes(secret), `${where} contains a secret`).toBe(false);
        }
      }
    } finally {
      await t.cleanup();
      await failing.close();
      await dropRole?.();
    }
  });
});
