import { describe, expect, it } from 'vitest';
import { buildCreateInput } from './create-tenant';

describe('create-tenant flags → provisioner input', () => {
  it('maps the Django options one to one, with 50 users and no demo data by default', () => {
    const { input, warnings } = buildCreateInput(
      'Acme',
      'acme',
      'a@acme.test',
      {
        databaseEngine: 'django.db.backends.postgresql_psycopg2',
        databaseHost: 'db1',
        databasePort: 5433,
        databaseUser: 'sales',
        databaseName: 'acme_db',
        multiLocation: true,
        trialDays: 30,
      },
      {},
    );
    expect(input).toEqual({
      name: 'Acme',
      subdomain: 'acme',
      adminEmail: 'a@acme.test',
      database: { engine: 'django.db.backends.postgresql_psycopg2', host: 'db1', port: 5433, user: 'sales', name: 'acme_db' },
      maxUsers: 50,
      multiLocation: true,
      trialDays: 30,
      demoData: false,
    });
    expect(warnings).toEqual([]);
  });

  it('uses a managed database when no database option is given, even with SALESFLEET_DATABASE_PASSWORD set', () => {
    const { input } = buildCreateInput('A', 'a', 'a@a.test', {}, { SALESFLEET_DATABASE_PASSWORD: 'env-pass' });
    expect(input.database).toBeUndefined();
  });

  it('takes passwords from the environment, and warns when they are typed on the command line', () => {
    const env = { SALESFLEET_ADMIN_PASSWORD: 'Env-Admin-Pass-1', SALESFLEET_DATABASE_PASSWORD: 'env-db-pass' };
    const fromEnv = buildCreateInput('A', 'a', 'a@a.test', { databaseHost: 'db1', databaseEngine: 'mysql' }, env);
    expect(fromEnv.input.adminPassword).toBe('Env-Admin-Pass-1');
    expect(fromEnv.input.database?.password).toBe('env-db-pass');
    expect(fromEnv.warnings).toEqual([]);
    expect(fromEnv.secrets).toEqual(['Env-Admin-Pass-1', 'env-db-pass']);

    const typed = buildCreateInput(
      'A',
      'a',
      'a@a.test',
      { adminPassword: 'Typed-Admin-Pass-1', databaseUrl: 'postgres://u:url-pass@db/x', databasePassword: 'flag-pass' },
      env,
    );
    expect(typed.input.adminPassword).toBe('Typed-Admin-Pass-1');
    expect(typed.input.database).toEqual({ url: 'postgres://u:url-pass@db/x', password: 'flag-pass' });
    expect(typed.warnings.map((w) => w.split(' ')[0])).toEqual(['--admin-password', 'the', '--database-password']);
    expect(typed.warnings.join('\n')).toContain('SALESFLEET_DATABASE_PASSWORD');
    expect(typed.warnings.join('\n')).not.toMatch(/url-pass|flag-pass|Typed-Admin/);
    expect(typed.secrets).toEqual(expect.arrayContaining(['Typed-Admin-Pass-1', 'url-pass', 'flag-pass']));
  });

  it('never puts the environment password over a password written in the URL', () => {
    const { input } = buildCreateInput(
      'A',
      'a',
      'a@a.test',
      { databaseUrl: 'postgres://u:url-pass@db/x' },
      { SALESFLEET_DATABASE_PASSWORD: 'env-db-pass' },
    );
    expect(input.database).toEqual({ url: 'postgres://u:url-pass@db/x' });
  });

  it('lets --skip-demo-data win and passes --max-users and --admin-username through', () => {
    const { input } = buildCreateInput(
      'A',
      'a',
      'a@a.test',
      { demoData: true, skipDemoData: true, maxUsers: 3, adminUsername: 'boss' },
      {},
    );
    expect(input).toMatchObject({ demoData: false, maxUsers: 3, adminUsername: 'boss' });
  });
});
