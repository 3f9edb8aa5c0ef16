import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, isAbsolute } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeConfig, loadConfig, trustedProxyMatcher } from './config';
import { ConfigError } from '@salesfleet/contracts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'salesfleet-config-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function expectConfigError(env: NodeJS.ProcessEnv, variable: string) {
  try {
    loadConfig(env);
    expect.unreachable(`expected a ConfigError for ${variable}`);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(variable);
    expect((err as ConfigError).message).toContain(variable);
    expect((err as ConfigError).code).toBe('ConfigError');
  }
}

describe('loadConfig', () => {
  it("takes the old system's DATABASE_URL as the registry when SALESFLEET_REGISTRY_URL is unset, and says so", () => {
    const dataDir = tempDir();
    const old = loadConfig({ SALESFLEET_DATA_DIR: dataDir, DATABASE_URL: 'postgres://u:p@db:5432/salesfleet' });
    expect(old).toMatchObject({ registryUrl: 'postgres://u:p@db:5432/salesfleet', registryUrlFrom: 'DATABASE_URL' });
    expect(describeConfig(old)).toMatchObject({ registryFrom: 'DATABASE_URL' });
    const both = loadConfig({
      SALESFLEET_DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://u:p@db:5432/old',
      SALESFLEET_REGISTRY_URL: 'postgres://u:p@db:5432/new',
    });
    expect(both).toMatchObject({ registryUrl: 'postgres://u:p@db:5432/new', registryUrlFrom: 'SALESFLEET_REGISTRY_URL' });
    expect(loadConfig({ SALESFLEET_DATA_DIR: dataDir })).toMatchObject({ registryUrl: null, registryUrlFrom: null });
    expectConfigError({ SALESFLEET_DATA_DIR: dataDir, DATABASE_URL: 'sqlite:///db.sqlite3' }, 'DATABASE_URL');
  });

  it('has working defaults and resolves the data dir', () => {
    const dataDir = tempDir();
    const config = loadConfig({ SALESFLEET_DATA_DIR: dataDir });
    expect(isAbsolute(config.dataDir)).toBe(true);
    expect(config).toMatchObject({
      dataDir,
      registryUrl: null,
      tenantServerUrl: null,
      baseDomains: ['localhost'],
      maxTenants: null,
      maxOpenTenants: 100,
      tenantPoolMax: 3,
      port: 8000,
      nodeEnv: 'development',
      trustedProxies: [],
    });
  });

  it('defaults the data dir to ./data under the working directory', () => {
    const cwd = process.cwd();
    const dir = tempDir();
    process.chdir(dir);
    try {
      expect(loadConfig({ SALESFLEET_SECRET_KEY: 'k'.repeat(32) }).dataDir).toBe(join(dir, 'data'));
    } finally {
      process.chdir(cwd);
    }
  });

  it('parses every variable', () => {
    const config = loadConfig({
      SALESFLEET_DATA_DIR: tempDir(),
      SALESFLEET_REGISTRY_URL: 'postgres://u:p@db:5432/registry',
      SALESFLEET_TENANT_SERVER_URL: 'mysql://root@127.0.0.1:3306/mysql',
      SALESFLEET_BASE_DOMAINS: 'Example.COM, localhost., bücher.de',
      SALESFLEET_SECRET_KEY: 'x'.repeat(40),
      SALESFLEET_MAX_TENANTS: '500',
      SALESFLEET_MAX_OPEN_TENANTS: '20',
      SALESFLEET_TENANT_IDLE_MS: '60000',
      SALESFLEET_TENANT_POOL_MAX: '1',
      SALESFLEET_TRUSTED_PROXIES: '10.0.0.0/8, ::1',
      PORT: '9000',
      NODE_ENV: 'production',
    });
    expect(config).toMatchObject({
      registryUrl: 'postgres://u:p@db:5432/registry',
      tenantServerUrl: 'mysql://root@127.0.0.1:3306/mysql',
      baseDomains: ['example.com', 'localhost', 'xn--bcher-kva.de'],
      secretKeySource: 'env',
      maxTenants: 500,
      maxOpenTenants: 20,
      tenantIdleMs: 60000,
      tenantPoolMax: 1,
      trustedProxies: ['10.0.0.0/8', '::1'],
      port: 9000,
      nodeEnv: 'production',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ SALESFLEET_MAX_TENANTS: '0' }, 'SALESFLEET_MAX_TENANTS'],
    [{ SALESFLEET_MAX_TENANTS: '-5' }, 'SALESFLEET_MAX_TENANTS'],
    [{ SALESFLEET_MAX_OPEN_TENANTS: '1.5' }, 'SALESFLEET_MAX_OPEN_TENANTS'],
    [{ SALESFLEET_TENANT_IDLE_MS: '10' }, 'SALESFLEET_TENANT_IDLE_MS'],
    [{ SALESFLEET_TENANT_POOL_MAX: '0' }, 'SALESFLEET_TENANT_POOL_MAX'],
    [{ SALESFLEET_REGISTRY_URL: 'ftp://x' }, 'SALESFLEET_REGISTRY_URL'],
    [{ SALESFLEET_REGISTRY_URL: 'not a url' }, 'SALESFLEET_REGISTRY_URL'],
    [{ SALESFLEET_TENANT_SERVER_URL: 'sqlite:x.db' }, 'SALESFLEET_TENANT_SERVER_URL'],
    [{ SALESFLEET_TENANT_POOLER_URL: 'postgres://pgbouncer:6432/postgres' }, 'SALESFLEET_TENANT_POOLER_URL'],
    [
      { SALESFLEET_TENANT_SERVER_URL: 'mysql://root@db:3306/mysql', SALESFLEET_TENANT_POOLER_URL: 'postgres://pgbouncer:6432/postgres' },
      'SALESFLEET_TENANT_POOLER_URL',
    ],
    [
      { SALESFLEET_TENANT_SERVER_URL: 'postgres://db:5432/postgres', SALESFLEET_TENANT_POOLER_URL: 'mysql://pooler:3306/mysql' },
      'SALESFLEET_TENANT_POOLER_URL',
    ],
    [{ SALESFLEET_BASE_DOMAINS: 'localhost:8000' }, 'SALESFLEET_BASE_DOMAINS'],
    [{ SALESFLEET_BASE_DOMAINS: 'exa mple.com' }, 'SALESFLEET_BASE_DOMAINS'],
    [{ SALESFLEET_BASE_DOMAINS: ' , ' }, 'SALESFLEET_BASE_DOMAINS'],
    [{ SALESFLEET_SECRET_KEY: 'short' }, 'SALESFLEET_SECRET_KEY'],
    [{ SALESFLEET_TRUSTED_PROXIES: '10.0.0.0/33' }, 'SALESFLEET_TRUSTED_PROXIES'],
    [{ SALESFLEET_TRUSTED_PROXIES: 'proxy.local' }, 'SALESFLEET_TRUSTED_PROXIES'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
  ])('refuses %j naming the variable', (env, variable) => {
    expectConfigError({ SALESFLEET_DATA_DIR: tempDir(), ...env }, variable);
  });

  it('never prints a registry password in its error or description', () => {
    const dataDir = tempDir();
    try {
      loadConfig({ SALESFLEET_DATA_DIR: dataDir, SALESFLEET_REGISTRY_URL: 'ftp://u:Sup3rS3cret@x' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain('Sup3rS3cret');
    }
    const config = loadConfig({
      SALESFLEET_DATA_DIR: dataDir,
      SALESFLEET_REGISTRY_URL: 'postgres://u:Sup3rS3cret@db/reg',
      SALESFLEET_SECRET_KEY: 'TheSecretKeyValue-0123456789abcdef',
    });
    const shown = JSON.stringify(describeConfig(config)) + JSON.stringify(config);
    expect(shown).not.toContain('Sup3rS3cret');
    expect(shown).not.toContain('TheSecretKeyValue');
    expect(config.secretKey).toBe('TheSecretKeyValue-0123456789abcdef');
  });

  it('generates a development secret key once, mode 0600, and reuses it', () => {
    const dataDir = tempDir();
    const first = loadConfig({ SALESFLEET_DATA_DIR: dataDir });
    expect(first.secretKeySource).toBe('generated');
    expect(first.secretKey.length).toBeGreaterThanOrEqual(32);
    const file = join(dataDir, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.secretKey);
    const second = loadConfig({ SALESFLEET_DATA_DIR: dataDir });
    expect(second.secretKeySource).toBe('file');
    expect(second.secretKey).toBe(first.secretKey);
  });

  it('tightens a key file readable by others and refuses an unusable one', () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'secret.key');
    writeFileSync(file, 'k'.repeat(40));
    chmodSync(file, 0o644);
    expect(loadConfig({ SALESFLEET_DATA_DIR: dataDir }).secretKey).toBe('k'.repeat(40));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, 'short');
    expectConfigError({ SALESFLEET_DATA_DIR: dataDir }, 'SALESFLEET_SECRET_KEY');
  });

  it('requires SALESFLEET_SECRET_KEY in production and writes no key file', () => {
    const dataDir = tempDir();
    expectConfigError({ SALESFLEET_DATA_DIR: dataDir, NODE_ENV: 'production' }, 'SALESFLEET_SECRET_KEY');
    expect(() => statSync(join(dataDir, 'secret.key'))).toThrow();
  });
});

describe('trustedProxyMatcher', () => {
  it('matches IPs and ranges, including IPv4-mapped IPv6 peers', () => {
    const trusted = trustedProxyMatcher(['10.0.0.0/8', '192.168.1.7', '::1']);
    expect(trusted('10.1.2.3')).toBe(true);
    expect(trusted('::ffff:10.1.2.3')).toBe(true);
    expect(trusted('192.168.1.7')).toBe(true);
    expect(trusted('192.168.1.8')).toBe(false);
    expect(trusted('::1')).toBe(true);
    expect(trusted('11.0.0.1')).toBe(false);
    expect(trusted(undefined)).toBe(false);
    expect(trusted('garbage')).toBe(false);
    expect(trustedProxyMatcher([])('10.0.0.1')).toBe(false);
  });
});
