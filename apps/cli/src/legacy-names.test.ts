import { describe, expect, it } from 'vitest';
import { LEGACY_COMMANDS, LegacyUsage, legacyHelp, rewriteLegacyArgs } from './legacy-names';

const args = (line: string[]) => rewriteLegacyArgs(line).args;

describe('old Django command names', () => {
  it('become the new command with the same arguments', () => {
    expect(args(['create_tenant', 'Acme', 'acme', 'a@acme.test', '--max-users=5'])).toEqual([
      'create-tenant',
      'Acme',
      'acme',
      'a@acme.test',
      '--max-users=5',
    ]);
    expect(args(['create_production_tenant', 'A', 'a', 'a@a.test', '--skip-demo-data'])[0]).toBe('create-tenant');
    expect(args(['force_migrate_tenant', 'acme'])).toEqual(['migrate-tenants', '--repair', '--tenant', 'acme']);
    expect(args(['fix_tenant_domain', 'acme', 'shop.acme.com'])).toEqual(['domains', 'add', 'acme', 'shop.acme.com']);
    expect(args(['delete_tenant', 'acme', '--force'])).toEqual(['delete-tenant', 'acme', '--force']);
    expect(args(['check'])).toEqual(['check-tenants']);
    expect(args(['clean_main_database', '--yes'])).toEqual(['clean-registry', '--yes']);
    expect(args(['backup_tenant_database', 'acme'])).toEqual(['backup-tenant', 'acme']);
    expect(args(['restore_tenant_database', 'acme', '--from', 'f.gz'])).toEqual(['restore-tenant', 'acme', '--from', 'f.gz']);
  });

  it('take the old flag spellings of create_production_tenant and create_tenant', () => {
    expect(
      args(['create_production_tenant', '--schema-name', 'acme', '--tenant-name', 'Acme Ltd', '--domain', 'acme.example.com']),
    ).toEqual(['create-tenant', 'Acme Ltd', 'acme', 'admin@acme.example.com', '--domain', 'acme.example.com', '--django-schema']);
    expect(
      args([
        'create_tenant',
        '--name=Acme Ltd',
        '--schema',
        'acme',
        '--domain',
        'Shop.Acme.COM.',
        '--is-primary',
        '--admin-email',
        'o@acme.test',
      ]),
    ).toEqual(['create-tenant', 'Acme Ltd', 'acme', 'o@acme.test', '--domain', 'shop.acme.com', '--primary-domain', '--django-schema']);
    expect(
      args(['create_production_tenant', '--schema_name', 'b', '--tenant_name', 'B', '--domain', 'b.test', '--trial-days', '30']),
    ).toEqual(['create-tenant', 'B', 'b', 'admin@b.test', '--domain', 'b.test', '--django-schema', '--trial-days', '30']);
    // A database placed on the command line is left as given (no schema placement added).
    expect(args(['create_tenant', '--name', 'C', '--schema', 'c', '--admin-email', 'o@c.test', '--database-engine', 'postgres'])).toEqual([
      'create-tenant',
      'C',
      'c',
      'o@c.test',
      '--database-engine',
      'postgres',
    ]);
    expect(args(['create_tenant', '--name', 'D', '--subdomain', 'd', '--admin-email', 'o@d.test'])).toEqual([
      'create-tenant',
      'D',
      'd',
      'o@d.test',
    ]);
    expect(() => args(['create_tenant', '--schema', 'acme'])).toThrow(LegacyUsage);
    expect(() => args(['create_tenant', '--schema', 'acme', '--name', 'Acme'])).toThrow(/needs --admin-email/);
  });

  it('map manual_setup_tenant to create-tenant --adopt-database, and refuse it without a database', () => {
    expect(
      args([
        'manual_setup_tenant',
        '--schema-name',
        'acme',
        '--tenant-name',
        'Acme',
        '--domain',
        'acme.test',
        '--database-url',
        'postgres://h/db',
      ]),
    ).toEqual(['create-tenant', 'Acme', 'acme', 'admin@acme.test', '--domain', 'acme.test', '--adopt-database', 'postgres://h/db']);
    expect(args(['manual_setup_tenant', 'Acme', 'acme', 'a@acme.test', '--database-url=sqlite:/x.sqlite'])).toEqual([
      'create-tenant',
      'Acme',
      'acme',
      'a@acme.test',
      '--adopt-database',
      'sqlite:/x.sqlite',
    ]);
    expect(() => args(['manual_setup_tenant', 'Acme', 'acme', 'a@acme.test'])).toThrow(/--adopt-database URL/);
  });

  it('map migrate_schemas, migrate_tenant and migrate_tenant_database', () => {
    expect(args(['migrate_schemas', '--shared'])).toEqual(['migrate-tenants', '--registry-only']);
    expect(args(['migrate_schemas', '--schema', 'acme'])).toEqual(['migrate-tenants', '--tenant', 'acme']);
    expect(args(['migrate_schemas', '--schema_name=acme'])).toEqual(['migrate-tenants', '--tenant', 'acme']);
    expect(args(['migrate_schemas'])).toEqual(['migrate-tenants']);
    expect(() => args(['migrate_schemas', '--shared', '--schema', 'acme'])).toThrow(LegacyUsage);
    expect(args(['migrate_tenant', 'acme', '--dry-run'])).toEqual(['migrate-tenants', '--tenant', 'acme', '--dry-run']);
    expect(args(['migrate_tenant_database', 'acme', '--new-url', 'postgres://h/'])).toEqual([
      'move-tenant',
      'acme',
      '--database-url',
      'postgres://h/',
    ]);
    expect(args(['migrate_tenant_database', 'acme', '--new-url=mysql://h/'])).toEqual(['move-tenant', 'acme', '--database-url=mysql://h/']);
  });

  it('leave new names and arguments that merely look old alone', () => {
    expect(rewriteLegacyArgs(['list-tenants', 'create_tenant'])).toEqual({ args: ['list-tenants', 'create_tenant'], legacy: null });
    expect(rewriteLegacyArgs([])).toEqual({ args: [], legacy: null });
  });

  it('are all in the help mapping, one line each target', () => {
    const help = legacyHelp();
    for (const c of LEGACY_COMMANDS) expect(help).toContain(c.old);
    expect(help.split('\n').every((line) => line.includes('→'))).toBe(true);
  });
});
