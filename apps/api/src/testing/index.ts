/**
 * Test helpers of @salesfleet/api: the whole app on a temporary tenancy (SQLite files, or managed
 * tenant databases on the test PostgreSQL/MariaDB server), requests by host through `app.request()`,
 * captured log lines, and shortcuts to make tenants and sign in.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { TestDialect } from '@salesfleet/models/testing';
import type { Config } from '@salesfleet/tenancy';
import { createTestTenancy, testSlug, type TestTenancy, type TestTenancyOptions } from '@salesfleet/tenancy/testing';
import { createApp, defaultLoginThrottle, type App } from '../app';
import type { AppBindings } from '../app-env';
import type { LoginThrottle } from '../auth/login-throttle';
import { checkResponse } from './contract';

export { testSlug };
export { TcpProxy } from '@salesfleet/tenancy/testing';
export { checkResponse, ContractDrift, findOperation, parseResponse } from './contract';
export { freePort, spawnApiProcess, startApiProcess, type ApiProcess } from './api-process';
export { callWithHost, untilStatus } from './http-calls';

/** A strong password for tests (passes the shared password policy). */
export const TEST_PASSWORD = 'correct horse battery staple 42';

export interface TestApp extends App {
  tenancy: TestTenancy;
  config: Config;
  /** Every log line written by the app, parsed. */
  logs: Record<string, unknown>[];
  /** The raw log output, to grep for secrets. */
  rawLogs(): string;
  throttle: LoginThrottle;
  /**
   * `app.request()` addressed to a host (`acme.localhost`, `localhost`…). `peer` plays the socket's
   * remote address (there is no socket under app.request): it is what throttling and the trusted
   * proxy check see. A JSON answer is checked against its route's response schema (ContractDrift).
   */
  request(host: string, path: string, init?: RequestInit & { json?: unknown; token?: string; peer?: string }): Promise<Response>;
  /** Creates an active tenant through the provisioner; its admin `admin` has TEST_PASSWORD unless told otherwise. */
  createTenant(options?: {
    slug?: string;
    multiLocation?: boolean;
    maxUsers?: number;
    adminPassword?: string | null;
  }): Promise<{ slug: string; host: string; oneTimePassword?: string }>;
  /** Signs in on a tenant host; returns the bearer token. */
  tenantLogin(host: string, login?: string, password?: string): Promise<string>;
  /** Creates a platform admin (no forced change) and signs in; returns the bearer token. */
  platformLogin(options?: { username?: string; mustChangePassword?: boolean }): Promise<string>;
  cleanup(): Promise<void>;
}

/** A response body; tests check it field by field. */
// biome-ignore lint/suspicious/noExplicitAny: a response body is read field by field in tests
export type Json = Record<string, any>;

/**
 * JSON calls to `/api…`, addressed by default to `target().host` as `target().token` (read at call
 * time, so the target can be filled in by `beforeAll`); `token: null` calls without a session.
 */
export function jsonApi(target: () => { t: TestApp; host: string; token: string }) {
  const call = async (method: string, path: string, options: { json?: unknown; token?: string | null; on?: string } = {}) => {
    const { t, host, token: asUser } = target();
    const token = options.token === undefined ? asUser : options.token;
    const res = await t.request(options.on ?? host, `/api${path}`, {
      method,
      ...(options.json === undefined ? {} : { json: options.json }),
      ...(token ? { token } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
  };
  return {
    call,
    get: (path: string, token?: string | null) => call('GET', path, { token }),
    post: (path: string, json: unknown, token?: string | null) => call('POST', path, { json, token }),
    patch: (path: string, json: unknown, token?: string | null) => call('PATCH', path, { json, token }),
    del: (path: string, token?: string | null) => call('DELETE', path, { token }),
  };
}

/** Two tenants: the first with sessions of its admin and of a cashier, the second with its admin's. */
export async function twoTenantsWithCashier(t: TestApp, first: { multiLocation?: boolean } = {}) {
  const [a, b] = await Promise.all([t.createTenant(first), t.createTenant()]);
  const [admin, other] = await Promise.all([t.tenantLogin(a.host), t.tenantLogin(b.host)]);
  const created = await t.request(a.host, '/api/users', {
    method: 'POST',
    token: admin,
    json: { username: 'cashier', email: 'cashier@example.com', password: TEST_PASSWORD, groups: ['Cashiers'] },
  });
  if (created.status !== 201) throw new Error(`creating the cashier answered ${created.status}: ${await created.text()}`);
  return { host: a.host, otherHost: b.host, admin, other, cashier: await t.tenantLogin(a.host, 'cashier') };
}

export interface TestAppOptions extends Pick<TestTenancyOptions, 'failAt' | 'registryEngine'> {
  /** Where managed tenant databases live. */
  engine?: TestDialect;
  config?: TestTenancyOptions['config'];
  adminDistDir?: string;
  /** Built workspace app; default: a directory with a bare index.html (titled, like the real one, with the workspace's name). */
  workspaceDistDir?: string;
  bodyLimitBytes?: number;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const tenancy = await createTestTenancy({
    engine: options.engine ?? 'sqlite',
    ...(options.registryEngine ? { registryEngine: options.registryEngine } : {}),
    ...(options.failAt ? { failAt: options.failAt } : {}),
    config: { port: 8000, ...options.config },
  });
  const chunks: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void chunks.push(line) });
  // The store the app would pick: the registry's table (PostgreSQL/SQLite registries), else memory.
  const throttle = defaultLoginThrottle(tenancy);
  const distDir = options.adminDistDir ?? mkdtempSync(join(tmpdir(), 'salesfleet-no-console-'));
  const workspaceDir = options.workspaceDistDir ?? mkdtempSync(join(tmpdir(), 'salesfleet-workspace-'));
  if (!options.workspaceDistDir)
    writeFileSync(join(workspaceDir, 'index.html'), '<!doctype html><title>Salesfleet</title><div id="root"></div>');
  const built = createApp(tenancy.config, {
    tenancy,
    logger,
    loginThrottle: throttle,
    adminDistDir: distDir,
    workspaceDistDir: workspaceDir,
    ...(options.bodyLimitBytes ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
  });
  let platformAdmins = 0;

  const request: TestApp['request'] = async (host, path, init = {}) => {
    const { json, token, peer, ...rest } = init;
    const env = peer ? ({ incoming: { socket: { remoteAddress: peer } } } as unknown as AppBindings) : undefined;
    const headers = new Headers(rest.headers);
    if (json !== undefined) {
      headers.set('content-type', 'application/json');
      rest.body = JSON.stringify(json);
    }
    if (token) headers.set('authorization', `Bearer ${token}`);
    const url = `http://${host}${path}`;
    const res = await built.app.request(url, { ...rest, headers }, env);
    await checkResponse(built.docs, rest.method ?? 'GET', url, res);
    return res;
  };

  const testApp: TestApp = {
    ...built,
    tenancy,
    config: tenancy.config,
    get logs() {
      return chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    rawLogs: () => chunks.join(''),
    throttle,
    request,
    async createTenant(o = {}) {
      const slug = o.slug ?? testSlug();
      const created = await tenancy.provisioner.createTenant(
        {
          name: `Tenant ${slug}`,
          subdomain: slug,
          adminEmail: `admin@${slug}.example.com`,
          adminUsername: 'admin',
          ...(o.adminPassword === null ? {} : { adminPassword: o.adminPassword ?? TEST_PASSWORD }),
          ...(o.multiLocation !== undefined ? { multiLocation: o.multiLocation } : {}),
          ...(o.maxUsers !== undefined ? { maxUsers: o.maxUsers } : {}),
        },
        { actor: 'test' },
      );
      return {
        slug,
        host: `${slug}.localhost`,
        ...(created.admin.oneTimePassword ? { oneTimePassword: created.admin.oneTimePassword } : {}),
      };
    },
    async tenantLogin(host, login = 'admin', password = TEST_PASSWORD) {
      const res = await request(host, '/api/auth/login', { method: 'POST', json: { login, password } });
      if (res.status !== 200) throw new Error(`tenant login on ${host} answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    async platformLogin(o = {}) {
      const username = o.username ?? `root${++platformAdmins}`;
      await tenancy.registry.createPlatformAdmin({
        username,
        email: `${username}@platform.example.com`,
        password: TEST_PASSWORD,
        mustChangePassword: o.mustChangePassword ?? false,
      });
      const res = await request('localhost', '/api/platform/auth/login', {
        method: 'POST',
        json: { login: username, password: TEST_PASSWORD },
      });
      if (res.status !== 200) throw new Error(`platform login answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    async cleanup() {
      await tenancy.cleanup();
      if (!options.adminDistDir) rmSync(distDir, { recursive: true, force: true });
      if (!options.workspaceDistDir) rmSync(workspaceDir, { recursive: true, force: true });
    },
  };
  return testApp;
}
