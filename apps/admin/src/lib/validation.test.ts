import { describe, expect, it } from 'vitest';
import {
  buildCreateTenantInput,
  deleteConfirmationMatches,
  emptyCreateTenantForm,
  subdomainFromName,
  validateChangePassword,
  validateCreateTenant,
  validateDatabaseUrl,
  validateDomain,
  validateEmail,
  validateInteger,
  validatePassword,
  validateSubdomain,
  validateTenantSettings,
  type CreateTenantForm,
} from './validation';
import { RESERVED_LABELS } from '@salesfleet/contracts';

const validForm: CreateTenantForm = {
  ...emptyCreateTenantForm,
  name: 'Acme Trading',
  subdomain: 'acme',
  adminEmail: 'owner@acme.example',
};

describe('validateSubdomain', () => {
  it.each(['a', 'acme', 'acme-2', 'x1', '0', 'a'.repeat(63), 'a-b-c'])('accepts %s', (slug) => {
    expect(validateSubdomain(slug)).toBeNull();
  });

  it('refuses an empty subdomain', () => {
    expect(validateSubdomain('')).toMatch(/enter a subdomain/i);
  });

  it('refuses more than 63 characters', () => {
    expect(validateSubdomain('a'.repeat(64))).toMatch(/63 characters/);
  });

  it('refuses uppercase letters', () => {
    expect(validateSubdomain('Acme')).toMatch(/lowercase/i);
  });

  it.each(['acme_shop', 'acme.shop', 'acme shop', 'café', 'acme!'])('refuses characters outside [a-z0-9-] in %s', (slug) => {
    expect(validateSubdomain(slug)).toMatch(/only lowercase letters/i);
  });

  it.each(['-acme', 'acme-', '-'])('refuses a leading or trailing hyphen in %s', (slug) => {
    expect(validateSubdomain(slug)).toMatch(/hyphen/i);
  });

  it('refuses every reserved word', () => {
    for (const word of ['www', 'admin', 'api', 'app', 'static', 'assets', 'mail', 'platform', 'localhost'])
      expect(RESERVED_LABELS.has(word)).toBe(true);
    for (const word of RESERVED_LABELS) expect(validateSubdomain(word)).toMatch(/reserved/i);
  });

  it('refuses “--” in third and fourth position, as IDNA reserves it', () => {
    expect(validateSubdomain('xn--acme')).toMatch(/--/);
    expect(validateSubdomain('ab--cd')).toMatch(/--/);
    expect(validateSubdomain('a--b')).toBeNull();
  });

  it('accepts words that merely contain a reserved word', () => {
    expect(validateSubdomain('admins')).toBeNull();
    expect(validateSubdomain('my-api')).toBeNull();
  });
});

describe('subdomainFromName', () => {
  it('turns a name into a valid subdomain', () => {
    expect(subdomainFromName('Café Müller & Co')).toBe('cafe-muller-co');
    expect(subdomainFromName('  --ACME  Trading--  ')).toBe('acme-trading');
    const long = subdomainFromName(`${'a'.repeat(62)} b`);
    expect(long).toBe('a'.repeat(62));
    expect(validateSubdomain(long)).toBeNull();
  });
});

describe('validateEmail', () => {
  it.each(['owner@acme.example', 'a.b+c@sub.example.co.uk'])('accepts %s', (email) => {
    expect(validateEmail(email)).toBeNull();
  });
  it.each(['', 'owner', 'owner@', '@acme.example', 'owner@acme', 'own er@acme.example', 'owner@acme..example'])('refuses %j', (email) => {
    expect(validateEmail(email)).not.toBeNull();
  });
});

describe('validatePassword', () => {
  it('needs at least 12 characters', () => {
    expect(validatePassword('')).toMatch(/enter a password/i);
    expect(validatePassword('elevenchars')).toMatch(/at least 12 characters \(1 more\)/);
    expect(validatePassword('twelve chars')).toBeNull();
    expect(validatePassword('x'.repeat(257))).toMatch(/at most 256/);
  });
});

describe('validateInteger', () => {
  const rule = { required: true, min: 1, max: 100 };
  it('checks presence, wholeness and range', () => {
    expect(validateInteger('', rule)).toMatch(/enter a number/i);
    expect(validateInteger('', { ...rule, required: false })).toBeNull();
    expect(validateInteger('1.5', rule)).toMatch(/whole number/i);
    expect(validateInteger('abc', rule)).toMatch(/whole number/i);
    expect(validateInteger('0', rule)).toMatch(/from 1 to 100/);
    expect(validateInteger('101', rule)).toMatch(/from 1 to 100/);
    expect(validateInteger(' 50 ', rule)).toBeNull();
  });
});

describe('validateDatabaseUrl', () => {
  it('accepts URLs of the chosen engine', () => {
    expect(validateDatabaseUrl('postgres', 'postgres://u:p@db.example.com:5432/sales_acme')).toBeNull();
    expect(validateDatabaseUrl('postgres', 'postgresql://db.example.com/sales_acme')).toBeNull();
    expect(validateDatabaseUrl('mysql', 'mysql://root@127.0.0.1:3306/sales_acme')).toBeNull();
    expect(validateDatabaseUrl('sqlite', 'sqlite:///var/lib/salesfleet/acme.sqlite')).toBeNull();
  });
  it('refuses another engine’s scheme, a missing host or database name, and non-URLs', () => {
    expect(validateDatabaseUrl('postgres', 'mysql://db.example.com/sales')).toMatch(/postgres:\/\//);
    expect(validateDatabaseUrl('mysql', 'postgres://db.example.com/sales')).toMatch(/mysql:\/\//);
    expect(validateDatabaseUrl('postgres', 'postgres://db.example.com')).toMatch(/database name/);
    expect(validateDatabaseUrl('postgres', 'not a url')).toMatch(/Enter a URL/);
    expect(validateDatabaseUrl('postgres', '')).toMatch(/Enter the database URL/);
  });
});

describe('validateDomain', () => {
  it('accepts host names and refuses the rest', () => {
    expect(validateDomain('shop.example.com')).toBeNull();
    expect(validateDomain('Shop.Example.com.')).toBeNull();
    expect(validateDomain('example')).toMatch(/fully qualified/);
    expect(validateDomain('https://shop.example.com')).toMatch(/without http/);
    expect(validateDomain('-shop.example.com')).not.toBeNull();
    expect(validateDomain('shop..example.com')).not.toBeNull();
    expect(validateDomain('')).not.toBeNull();
  });
});

describe('validateCreateTenant', () => {
  it('finds nothing wrong in a complete managed-database form', () => {
    expect(validateCreateTenant(validForm)).toEqual({});
  });

  it('reports every required field of an empty form under the API’s field paths', () => {
    const errors = validateCreateTenant(emptyCreateTenantForm);
    expect(Object.keys(errors).sort()).toEqual(['adminEmail', 'name', 'subdomain']);
  });

  it('requires the password only when the admin chooses to set one', () => {
    expect(validateCreateTenant({ ...validForm, passwordMode: 'set', adminPassword: 'short' }).adminPassword).toMatch(/12/);
    expect(validateCreateTenant({ ...validForm, passwordMode: 'generate', adminPassword: 'short' }).adminPassword).toBeUndefined();
  });

  it('requires the URL in URL mode', () => {
    const errors = validateCreateTenant({ ...validForm, engine: 'postgres', databaseMode: 'url' });
    expect(errors['database.url']).toMatch(/Enter the database URL/);
  });

  it('requires host, user and name in host/port mode and checks the port', () => {
    const errors = validateCreateTenant({ ...validForm, engine: 'mysql', databaseMode: 'fields', databasePort: '70000' });
    expect(errors['database.host']).toMatch(/host/i);
    expect(errors['database.user']).toMatch(/user/i);
    expect(errors['database.name']).toMatch(/name/i);
    expect(errors['database.port']).toMatch(/1 to 65535/);
    expect(errors['database.password']).toBeUndefined();
  });

  it('ignores the host/port fields for SQLite, which has no such mode', () => {
    expect(validateCreateTenant({ ...validForm, engine: 'sqlite', databaseMode: 'fields' })).toEqual({});
  });

  it('checks the numeric limits', () => {
    const errors = validateCreateTenant({ ...validForm, maxUsers: '0', trialDays: '-3' });
    expect(errors.maxUsers).toMatch(/from 1/);
    expect(errors.trialDays).toMatch(/from 0 to 3650/);
    expect(validateCreateTenant({ ...validForm, trialDays: '0' }).trialDays).toBeUndefined();
    expect(validateCreateTenant({ ...validForm, trialDays: '3651' }).trialDays).toMatch(/from 0 to 3650/);
    expect(validateCreateTenant({ ...validForm, maxUsers: '1000001' }).maxUsers).toMatch(/1 to 1000000/);
  });
});

describe('buildCreateTenantInput', () => {
  it('leaves optional fields out so the server’s defaults apply (managed SQLite)', () => {
    expect(buildCreateTenantInput(validForm)).toEqual({
      name: 'Acme Trading',
      subdomain: 'acme',
      adminEmail: 'owner@acme.example',
      maxUsers: 50,
      multiLocation: false,
      demoData: false,
    });
  });

  it('sends the database spec of the chosen mode and the dry-run flag', () => {
    const input = buildCreateTenantInput(
      {
        ...validForm,
        engine: 'postgres',
        databaseMode: 'fields',
        databaseHost: 'db.example.com',
        databasePort: '6432',
        databaseUser: 'sales',
        databasePassword: 'pw',
        databaseName: 'sales_acme',
        passwordMode: 'set',
        adminPassword: 'a long password',
        adminUsername: 'boss',
        trialDays: '30',
        multiLocation: true,
        demoData: true,
      },
      true,
    );
    expect(input).toEqual({
      name: 'Acme Trading',
      subdomain: 'acme',
      adminEmail: 'owner@acme.example',
      adminUsername: 'boss',
      adminPassword: 'a long password',
      maxUsers: 50,
      multiLocation: true,
      demoData: true,
      trialDays: 30,
      database: { engine: 'postgres', host: 'db.example.com', port: 6432, user: 'sales', password: 'pw', name: 'sales_acme' },
      dryRun: true,
    });
    expect(buildCreateTenantInput({ ...validForm, engine: 'mysql', databaseMode: 'url', databaseUrl: ' mysql://h/db ' }).database).toEqual({
      engine: 'mysql',
      url: 'mysql://h/db',
    });
    expect(buildCreateTenantInput({ ...validForm, engine: 'postgres' }).database).toEqual({ engine: 'postgres' });
  });
});

describe('validateChangePassword', () => {
  it('needs the current password, a strong new one that differs, and a matching repeat', () => {
    expect(validateChangePassword({ currentPassword: '', newPassword: 'short', confirmPassword: 'x' })).toEqual({
      currentPassword: expect.any(String),
      newPassword: expect.stringMatching(/12/),
      confirmPassword: expect.stringMatching(/do not match/),
    });
    expect(
      validateChangePassword({ currentPassword: 'same password!', newPassword: 'same password!', confirmPassword: 'same password!' })
        .newPassword,
    ).toMatch(/different/);
    expect(validateChangePassword({ currentPassword: 'otp', newPassword: 'a new long one', confirmPassword: 'a new long one' })).toEqual(
      {},
    );
  });
});

describe('validateTenantSettings', () => {
  it('checks name, limit and dates', () => {
    expect(validateTenantSettings({ name: 'A', maxUsers: '10', multiLocation: false, trialEndsAt: '', paidUntil: '2026-01-31' })).toEqual(
      {},
    );
    expect(validateTenantSettings({ name: ' ', maxUsers: 'x', multiLocation: false, trialEndsAt: '31/01/2026', paidUntil: '' })).toEqual({
      name: expect.any(String),
      maxUsers: expect.any(String),
      trialEndsAt: expect.any(String),
    });
  });
});

describe('deleteConfirmationMatches', () => {
  it('matches only the exact subdomain', () => {
    expect(deleteConfirmationMatches('acme', 'acme')).toBe(true);
    expect(deleteConfirmationMatches('acm', 'acme')).toBe(false);
    expect(deleteConfirmationMatches('ACME', 'acme')).toBe(false);
    expect(deleteConfirmationMatches(' acme', 'acme')).toBe(false);
    expect(deleteConfirmationMatches('acme ', 'acme')).toBe(false);
    expect(deleteConfirmationMatches('', '')).toBe(false);
  });
});
