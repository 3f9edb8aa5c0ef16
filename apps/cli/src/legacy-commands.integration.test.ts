import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import { createCliWorkspace, type CliWorkspace } from './testing/cli-workspace';

const postgres = (await testDialects()).includes('postgres');

// The Django system's command lines, typed as its operators typed them, run against a real registry.
describe('the old command lines', () => {
  let ws: CliWorkspace;
  let a: string;
  let b: string;

  beforeAll(async () => {
    ws = await createCliWorkspace('sqlite');
    expect((await ws.run(['setup_main_database'])).code).toBe(0);
    a = ws.slug('old');
    b = ws.slug('old');
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('--help lists them in an "Old command names" section', async () => {
    const help = await ws.run(['--help']);
    expect(help.code).toBe(0);
    const section = help.stdout.slice(help.stdout.indexOf('Old command names'));
    for (const old of [
      'create_production_tenant',
      'manual_setup_tenant',
      'migrate_schemas',
      'migrate_tenant',
      'check',
      'clean_main_database',
    ])
      expect(section).toMatch(new RegExp(`(^|[ ,])${old}[ ,]`, 'm'));
  });

  it('create_production_tenant --schema-name --tenant-name --domain and create_tenant --name --schema --domain --is-primary', async () => {
    const prod = await ws.run([
      'create_production_tenant',
      '--schema-name',
      a,
      '--tenant-name',
      'Old Production',
      '--domain',
      `${a}.localhost`,
    ]);
    expect(prod.stderr).toContain('create_production_tenant is now');
    expect(prod.code).toBe(0);
    expect(await ws.tenantRow(a)).toMatchObject({ name: 'Old Production', status: 'active', adminEmail: `admin@${a}.localhost` });
    // Its own subdomain host: no custom domain needed.
    expect(JSON.parse((await ws.run(['domains', 'list', a, '--json'])).stdout)).toMatchObject({ domains: [] });

    const plain = await ws.run([
      'create_tenant',
      '--name',
      'Old Plain',
      '--schema',
      b,
      '--domain',
      `shop.${b}.test`,
      '--is-primary',
      '--admin-email',
      `o@${b}.test`,
    ]);
    expect(plain.code).toBe(0);
    expect(await ws.tenantRow(b)).toMatchObject({ name: 'Old Plain', adminEmail: `o@${b}.test` });
    expect(JSON.parse((await ws.run(['domains', 'list', b, '--json'])).stdout)).toMatchObject({
      domains: [{ domain: `shop.${b}.test`, primary: true }],
    });

    const incomplete = await ws.run(['create_tenant', '--schema', ws.slug('old')]);
    expect(incomplete.code).toBe(2);
    expect(incomplete.stderr).toMatch(/^error: create_tenant needs both --schema-name/m);
  });

  it('migrate_schemas --shared | --schema X, migrate_tenant X --dry-run and check', async () => {
    const shared = await ws.run(['migrate_schemas', '--shared']);
    expect(shared.code).toBe(0);
    expect(shared.stdout).toBe('Registry: up to date\n');

    const schema = await ws.run(['migrate_schemas', '--schema', a]);
    expect(schema.code).toBe(0);
    expect(schema.stdout).toContain(a);
    expect(schema.stdout).not.toContain(b);

    const dry = await ws.run(['migrate_tenant', a, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run: nothing was changed.');

    const check = await ws.run(['check']);
    expect(check.stderr).toContain('check is now');
    expect(check.code).toBe(0);
  });

  it('backup_tenant_database, restore_tenant_database and manual_setup_tenant (an existing database adopted)', async () => {
    const backup = await ws.run(['backup_tenant_database', a, '--json']);
    expect(backup.code).toBe(0);
    const file = (JSON.parse(backup.stdout) as { file: string }).file;
    const copy = ws.slug('old');
    expect((await ws.run(['restore_tenant_database', a, '--from', file, '--as', copy])).code).toBe(0);
    expect(await ws.tenantRow(copy)).toMatchObject({ status: 'active' });

    // The copy's database, handed over as a file other tools made: registered under a new subdomain.
    expect((await ws.run(['delete_tenant', copy, '--force', '--keep-database'])).code).toBe(0);
    const adopted = ws.slug('old');
    const refused = await ws.run([
      'manual_setup_tenant',
      '--schema-name',
      adopted,
      '--tenant-name',
      'Adopted',
      '--domain',
      `${adopted}.localhost`,
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--adopt-database');
    const setup = await ws.run([
      'manual_setup_tenant',
      '--schema-name',
      adopted,
      '--tenant-name',
      'Adopted',
      '--domain',
      `${adopted}.localhost`,
      '--database-url',
      `sqlite:${join(ws.dataDir, 'tenants', `${copy}.sqlite`)}`,
    ]);
    expect(setup.stderr).toBe('note: manual_setup_tenant is now `pnpm cli create-tenant --adopt-database <url>`\n');
    expect(setup.code).toBe(0);
    expect(setup.stdout).toContain('adopted its database');
    const users = JSON.parse((await ws.run(['tenant-users', adopted, '--json'])).stdout) as { users: { username: string }[] };
    expect(users.users.map((u) => u.username)).toEqual(['admin']);
    const ops = await ws.operations();
    expect(ops.find((o) => o.action === 'adopt-tenant' && o.tenantSlug === adopted)).toMatchObject({
      outcome: 'succeeded',
      actor: expect.stringMatching(/^cli:/),
    });
  });

  it('clean_main_database lists the tenants whose database is gone, asks (or --yes), and removes only those rows', async () => {
    rmSync(join(ws.dataDir, 'tenants', `${b}.sqlite`));
    const unasked = await ws.run(['clean_main_database']);
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toContain('pass --yes');
    expect(await ws.tenantRow(b)).not.toBeNull();

    const cleaned = await ws.run(['clean_main_database', '--yes']);
    expect(cleaned.code).toBe(0);
    expect(cleaned.stderr).toContain(`${b} (active): sqlite:tenants/${b}.sqlite does not exist`);
    expect(cleaned.stdout).toContain(`Deleted ${b} from the registry`);
    expect(await ws.tenantRow(b)).toBeNull();
    expect(await ws.tenantRow(a)).toMatchObject({ status: 'active' });
    const ops = await ws.operations();
    expect(ops.find((o) => o.action === 'clean-registry')).toMatchObject({ outcome: 'succeeded', actor: expect.stringMatching(/^cli:/) });

    const again = await ws.run(['clean_main_database', '--yes']);
    expect(again.stdout).toBe('Every tenant in the registry has its database; nothing to clean.\n');
  });
});

// Issue 17: django-tenants' spellings on a PostgreSQL tenant server make and migrate schema tenants.
describe.runIf(postgres)('the django-tenants command lines on PostgreSQL: schema tenants', () => {
  let ws: CliWorkspace;
  const shared = `sales_lgc${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    ws = await createCliWorkspace('postgres');
    ws.track(shared);
    expect((await ws.run(['setup_main_database'])).code).toBe(0);
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('create_tenant --name --schema --domain and create_production_tenant --schema-name make schemas; migrate_schemas --schema X | --shared', async () => {
    const a = ws.slug('dj');
    const b = ws.slug('dj');
    const first = await ws.run([
      'create_tenant',
      '--name',
      'Schema One',
      '--schema',
      a,
      '--domain',
      `shop.${a}.test`,
      '--database-name',
      shared,
    ]);
    expect(first.stderr).toContain('create_tenant is now');
    expect(first.stderr).toContain('makes a schema tenant');
    expect(first.code).toBe(0);
    expect((await ws.tenantRow(a))?.db).toMatchObject({ engine: 'postgres', name: shared, schema: `t_${a}` });
    expect(JSON.parse((await ws.run(['domains', 'list', a, '--json'])).stdout)).toMatchObject({ domains: [{ domain: `shop.${a}.test` }] });

    const second = await ws.run([
      'create_production_tenant',
      '--schema-name',
      b,
      '--tenant-name',
      'Schema Two',
      '--domain',
      `${b}.localhost`,
      '--database-name',
      shared,
    ]);
    expect(second.code).toBe(0);
    expect((await ws.tenantRow(b))?.db).toMatchObject({ engine: 'postgres', name: shared, schema: `t_${b}` });

    // Placed on the command line: the old spelling keeps the database it was given.
    const c = ws.slug('dj');
    const whole = await ws.run([
      'create_tenant',
      '--name',
      'Whole',
      '--schema',
      c,
      '--admin-email',
      `o@${c}.test`,
      '--database-engine',
      'postgres',
    ]);
    expect(whole.code).toBe(0);
    expect((await ws.tenantRow(c))?.db.schema ?? null).toBeNull();

    const sharedRun = await ws.run(['migrate_schemas', '--shared']);
    expect(sharedRun.code).toBe(0);
    expect(sharedRun.stdout).toBe('Registry: up to date\n');

    const one = await ws.run(['migrate_schemas', '--schema', a]);
    expect(one.stderr).toContain('migrate_schemas is now');
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(a);
    expect(one.stdout).not.toContain(b);
    const check = await ws.run(['migrate_schemas', '--schema', b, '--check']);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain(b);
    expect(check.stdout).not.toContain(a);
  }, 300_000);
});
