import { describe, expect, it } from 'vitest';
import {
  assertSafeIdentifier,
  describeSpec,
  managedDatabaseName,
  maskUrl,
  normalizeEngine,
  parseDatabaseUrl,
  resolveSqlitePath,
  specFromParams,
  sqliteTenantPath,
} from './spec';
import { ValidationFailed } from '@salesfleet/contracts';

describe('database specs', () => {
  it('parses server URLs, decoding credentials', () => {
    expect(parseDatabaseUrl('postgresql://bob:p%40ss%3Aw0rd@db.example.com:6432/sales')).toEqual({
      engine: 'postgres',
      host: 'db.example.com',
      port: 6432,
      database: 'sales',
      user: 'bob',
      password: 'p@ss:w0rd',
    });
    expect(parseDatabaseUrl('mariadb://root@127.0.0.1/shop')).toMatchObject({
      engine: 'mysql',
      port: 3306,
      database: 'shop',
      password: null,
    });
    expect(parseDatabaseUrl('postgres://h')).toMatchObject({ engine: 'postgres', host: 'h', port: 5432, database: '', user: null });
    expect(parseDatabaseUrl('postgres://u@[::1]:5433/d')).toMatchObject({ host: '::1', port: 5433 });
    expect(parseDatabaseUrl('sqlite:tenants/acme.sqlite')).toMatchObject({ engine: 'sqlite', database: 'tenants/acme.sqlite' });
  });

  it.each(['nonsense', 'ftp://h/x', 'postgres:///x', 'postgres://h/a/b'])('refuses %s', (url) => {
    expect(() => parseDatabaseUrl(url)).toThrow(ValidationFailed);
  });

  it('accepts every engine spelling of the old system', () => {
    for (const e of ['sqlite', 'sqlite3', 'django.db.backends.sqlite3']) expect(normalizeEngine(e)).toBe('sqlite');
    for (const e of ['postgres', 'PostgreSQL', 'django.db.backends.postgresql', 'django.db.backends.postgresql_psycopg2']) {
      expect(normalizeEngine(e)).toBe('postgres');
    }
    for (const e of ['mysql', 'MariaDB', 'django.db.backends.mysql']) expect(normalizeEngine(e)).toBe('mysql');
    expect(() => normalizeEngine('oracle')).toThrow(ValidationFailed);
  });

  it('builds specs from discrete parameters, which override the URL', () => {
    expect(specFromParams({ engine: 'postgresql', host: 'db', port: '6000', user: 'u', password: 'pw', name: 'n' })).toEqual({
      engine: 'postgres',
      host: 'db',
      port: 6000,
      database: 'n',
      user: 'u',
      password: 'pw',
    });
    expect(specFromParams({ url: 'mysql://a:b@h/x', password: 'other' })).toMatchObject({
      engine: 'mysql',
      user: 'a',
      password: 'other',
      database: 'x',
    });
    expect(() => specFromParams({ url: 'mysql://h/x', engine: 'postgres' })).toThrow(/contradicts/);
    expect(() => specFromParams({ engine: 'postgres', port: 'x' })).toThrow(/port/);
    expect(() => specFromParams({ engine: 'sqlite', host: 'h' })).toThrow(/SQLite/);
  });

  it('masks passwords for display', () => {
    const spec = parseDatabaseUrl('postgres://bob:Hunter2Hunter2@db:5432/sales');
    expect(describeSpec(spec)).toBe('postgres://bob:***@db:5432/sales');
    expect(maskUrl('postgres://bob:Hunter2Hunter2@db:5432/sales')).toBe('postgres://bob:***@db:5432/sales');
    expect(maskUrl('::')).toBe('<invalid url>');
    expect(describeSpec({ engine: 'sqlite', database: 'tenants/a.sqlite', host: null, port: null, user: null, password: null })).toBe(
      'sqlite:tenants/a.sqlite',
    );
  });

  it('names managed databases safely and within 63 characters', () => {
    expect(managedDatabaseName('acme-shop')).toBe('sales_acme_shop');
    const long = managedDatabaseName('a'.repeat(63));
    expect(long.length).toBe(63);
    expect(long).toMatch(/^[a-z0-9_]{1,63}$/);
    expect(managedDatabaseName(`${'a'.repeat(62)}b`)).not.toBe(long);
  });

  it('quotes only safe identifiers', () => {
    expect(assertSafeIdentifier('sales_acme')).toBe('sales_acme');
    for (const bad of ['', 'Sales', 'a-b', 'a"b', 'a`b', "x'; drop table tenants;--", 'a'.repeat(64)]) {
      expect(() => assertSafeIdentifier(bad)).toThrow(ValidationFailed);
    }
  });

  it('keeps SQLite files inside the data dir', () => {
    expect(resolveSqlitePath('/srv/data', sqliteTenantPath('acme'))).toBe('/srv/data/tenants/acme.sqlite');
    for (const bad of ['../x.sqlite', 'tenants/../../x.sqlite', '/etc/passwd', '', '.']) {
      expect(() => resolveSqlitePath('/srv/data', bad)).toThrow(ValidationFailed);
    }
  });
});
