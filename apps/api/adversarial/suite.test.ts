/**
 * The adversarial run of issue 10, kept: the real server (`src/main.ts`, a child process) with tenants
 * on every engine this machine has (SQLite always; PostgreSQL and MariaDB where reachable, required in
 * CI), attacked the ways that once found defects. Every check prints its figure as
 * `adversarial: <what> <figure>` and fails when the figure is wrong.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TestDialect, testDialects, testServerUrls } from '@salesfleet/models/testing';
import { driverFor, loadConfig, openTenancy, parseDatabaseUrl, type Tenancy } from '@salesfleet/tenancy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, startApiProcess, TcpProxy } from '../src/testing';
import { type Answer, json, pool, report, send } from './http';

const PASSWORD = 'adversarial horse battery 42';
const engines = await testDialects();
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface Tenant {
  slug: string;
  engine: TestDialect;
  host: string;
  token: string;
  /** Ids of this tenant's own customers (named after its slug). */
  customerIds: number[];
  proxy?: TcpProxy;
  /** A postgres-schema tenant: its schema in the suite's shared database (issue 17). */
  schema?: boolean;
}

/** The shared database of the suite's schema tenants (dropped at the end). */
const sharedSchemaDatabase = `sales_adv${randomBytes(4).toString('hex')}`;

/** A server URL without a database name: the provisioner creates `sales_<slug>` on it. */
function serverUrl(engine: 'postgres' | 'mysql', port?: number): string {
  const u = new URL(testServerUrls[engine]);
  if (port) u.port = String(port);
  u.pathname = '/';
  return u.toString();
}

function slug(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

let dataDir: string;
let tenancy: Tenancy;
let server: ApiProcess;
let port: number;
const tenants: Tenant[] = [];
const proxies: TcpProxy[] = [];
let platformToken: string;

const hostOf = (t: Tenant) => `${t.slug}.localhost:${port}`;
const marker = (t: Tenant) => `own-${t.slug}`;

async function createTenant(engine: TestDialect, viaProxy = false): Promise<Tenant> {
  const s = slug(engine.slice(0, 2));
  let database: { url: string } | undefined;
  let proxy: TcpProxy | undefined;
  if (engine !== 'sqlite') {
    if (viaProxy) {
      const real = new URL(testServerUrls[engine]);
      proxy = await TcpProxy.start({ host: real.hostname, port: Number(real.port) });
      proxies.push(proxy);
    }
    database = { url: serverUrl(engine, proxy?.port) };
  }
  await tenancy.provisioner.createTenant(
    {
      name: `Adversarial ${s}`,
      subdomain: s,
      adminEmail: `admin@${s}.example`,
      adminPassword: PASSWORD,
      ...(database ? { database } : {}),
    },
    { actor: 'test:adversarial' },
  );
  return { slug: s, engine, host: '', token: '', customerIds: [], ...(proxy ? { proxy } : {}) };
}

/** A schema tenant (`postgres-schema`): the schema t_<slug> of the suite's shared database, served from one pool. */
async function createSchemaTenant(): Promise<Tenant> {
  const s = slug('sc');
  await tenancy.provisioner.createTenant(
    {
      name: `Adversarial ${s}`,
      subdomain: s,
      adminEmail: `admin@${s}.example`,
      adminPassword: PASSWORD,
      database: { engine: 'postgres-schema', url: serverUrl('postgres'), name: sharedSchemaDatabase },
    },
    { actor: 'test:adversarial' },
  );
  return { slug: s, engine: 'postgres', host: '', token: '', customerIds: [], schema: true };
}

async function api(t: Tenant, method: string, path: string, body?: unknown, token = t.token): Promise<Answer> {
  return send(port, { method, host: hostOf(t), path: `/api${path}`, token, ...(body === undefined ? {} : { json: body }) });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'salesfleet-adversarial-'));
  tenancy = await openTenancy(loadConfig({ SALESFLEET_DATA_DIR: dataDir }), { migrateRegistry: true });
  for (const engine of engines) {
    tenants.push(await createTenant(engine), await createTenant(engine));
    if (engine !== 'sqlite') tenants.push(await createTenant(engine, true));
  }
  // Three schema tenants of one shared database: one pool, one set of model classes for all three.
  if (engines.includes('postgres')) for (let i = 0; i < 3; i++) tenants.push(await createSchemaTenant());
  await tenancy.registry.createPlatformAdmin({
    username: 'operator',
    email: 'operator@platform.example',
    password: PASSWORD,
    mustChangePassword: false,
  });
  await tenancy.registry.createPlatformAdmin({
    username: 'victim',
    email: 'victim@platform.example',
    password: PASSWORD,
    mustChangePassword: false,
  });

  server = await startApiProcess({ dataDir });
  port = server.port;
  // Every sign-in the suite needs happens now: the storms below block this client address per realm.
  for (const t of tenants) {
    t.host = hostOf(t);
    const login = await send(port, { host: t.host, path: '/api/auth/login', json: { login: 'admin', password: PASSWORD } });
    expect(login.status, login.body).toBe(200);
    t.token = json(login).token;
    for (let i = 0; i < 3; i++) {
      const c = await api(t, 'POST', '/customers', { name: `${marker(t)} customer ${i}`, email: `c${i}@${t.slug}.example` });
      expect(c.status, c.body).toBe(201);
      t.customerIds.push(json(c).customer.id);
    }
    const victim = await api(t, 'POST', '/users', {
      username: 'victim',
      email: `victim@${t.slug}.example`,
      password: PASSWORD,
      groups: ['Cashiers'],
    });
    expect(victim.status, victim.body).toBe(201);
  }
  const platform = await send(port, {
    host: `localhost:${port}`,
    path: '/api/platform/auth/login',
    json: { login: 'operator', password: PASSWORD },
  });
  expect(platform.status, platform.body).toBe(200);
  platformToken = json(platform).token;
});

afterAll(async () => {
  server?.kill();
  for (const p of proxies) await p.up();
  for (const t of await tenancy.registry.listTenants().catch(() => [])) {
    await tenancy.provisioner.deleteTenant(t.slug, { actor: 'test:adversarial' }).catch(() => undefined);
  }
  await tenancy?.close();
  if (engines.includes('postgres')) {
    await driverFor('postgres')
      .drop(
        { ...parseDatabaseUrl(testServerUrls.postgres), database: sharedSchemaDatabase, schema: null },
        { dataDir, connectTimeoutMs: 5000 },
      )
      .catch(() => undefined);
  }
  for (const p of proxies) await p.down();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('adversarial', () => {
  it('isolation: forged hosts, foreign credentials and foreign ids reach no other tenant', async () => {
    const rng = () => Math.floor(Math.random() * tenants.length);
    const forgeries = (target: Tenant, other: Tenant): (() => Promise<Answer>)[] => [
      // Another tenant's token on this host.
      () => api(target, 'GET', '/customers', undefined, other.token),
      () => api(target, 'GET', `/customers/${other.customerIds[0]}`, undefined, other.token),
      // Another tenant's session as a cookie.
      () => send(port, { host: target.host, path: '/api/customers', headers: { cookie: `sf_session=${other.token}` } }),
      // A forged X-Forwarded-Host from an untrusted peer, and odd Host spellings.
      () => send(port, { host: target.host, path: '/api/customers', token: other.token, headers: { 'x-forwarded-host': other.host } }),
      () => send(port, { host: `${other.slug}.localhost.evil.example`, path: '/api/customers', token: other.token }),
      () => send(port, { host: `${other.slug.toUpperCase()}.LOCALHOST.:${port}`, path: '/api/customers', token: target.token }),
      () => send(port, { host: `${target.slug}.localhost@${other.slug}.localhost`, path: '/api/customers', token: other.token }),
      // Own credentials, the other tenant's ids (ids overlap; only own rows may come back).
      () => api(target, 'GET', `/customers/${other.customerIds[2]}`),
      () => api(target, 'GET', '/customers?limit=200'),
      // A write with foreign credentials.
      () => api(target, 'POST', '/customers', { name: `${marker(other)} smuggled` }, other.token),
    ];
    const tasks: (() => Promise<Answer>)[] = [];
    for (let i = 0; i < 2000; i++) {
      const target = tenants[rng()]!;
      let other = tenants[rng()]!;
      if (other === target) other = tenants[(tenants.indexOf(target) + 1) % tenants.length]!;
      const options = forgeries(target, other);
      const task = options[i % options.length]!;
      tasks.push(async () => {
        const a = await task();
        // A foreign row is another tenant's marker in an answer addressed to this one.
        const foreignRow = tenants.some((t) => t !== target && a.body.includes(marker(t)));
        if (target.schema) schemaAnswers.push(foreignRow);
        return { ...a, body: foreignRow ? 'FOREIGN' : a.body };
      });
    }
    const schemaAnswers: boolean[] = [];
    const answers = await pool(16, tasks);
    const foreign = answers.filter((a) => a.body === 'FOREIGN').length;
    const errors = answers.filter((a) => a.status >= 500).length;
    // Misplaced writes: each tenant's customers carry only its own marker.
    let misplaced = 0;
    for (const t of tenants) {
      const list = json(await api(t, 'GET', '/customers?limit=200')).customers as { name: string }[];
      misplaced += list.filter((c) => !c.name.startsWith(marker(t))).length;
    }
    const schemaForeign = schemaAnswers.filter(Boolean).length;
    report(
      `foreign rows ${foreign} / ${answers.length} requests (schema tenants: ${schemaForeign} / ${schemaAnswers.length}); misplaced writes ${misplaced}; 5xx ${errors}`,
    );
    expect(foreign).toBe(0);
    if (engines.includes('postgres')) expect(schemaAnswers.length).toBeGreaterThan(0);
    expect(misplaced).toBe(0);
    expect(errors).toBe(0);
  });

  it('fuzz: every route of the OpenAPI document with malformed and extreme input answers below 500', async () => {
    const doc = json(await send(port, { host: `localhost:${port}`, path: '/api/openapi.json' })) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown }>>;
    };
    const badIds = ['0', '-1', 'abc', '99999999999999999999', '1e3', '%00', '..%2f..%2fetc', 'x'.repeat(600), '%F0%9F%92%A9'];
    const badValues = ['', '-1', 'abc', '1e308', '%00a', 'x'.repeat(3000), '2026-13-45', '[]', 'null', '%27%20OR%201%3D1--', 'NaN'];
    const badBodies: string[] = [
      '',
      'null',
      '[]',
      '"text"',
      '{',
      '{"a":',
      JSON.stringify({ lines: 'x', amount: -1, quantity: 1e308, name: 5, email: [], password: {} }),
      JSON.stringify({ name: 'x'.repeat(100_000) }),
      JSON.stringify({ name: 'a\u0000b', login: 'a\u0000b', password: 'p\u0000', q: '\u0000' }),
      JSON.stringify({
        amount: Number.MAX_SAFE_INTEGER,
        quantity: Number.MAX_SAFE_INTEGER,
        unitPrice: 1e15,
        lines: [{ quantity: 9000, unitPrice: 1e12, description: 'x' }],
      }),
      JSON.stringify({ __proto__: { admin: true }, constructor: { prototype: { x: 1 } } }),
      JSON.stringify(JSON.parse(`${'['.repeat(2000)}${']'.repeat(2000)}`)),
      JSON.stringify({
        subdomain: 'xn--secs01',
        name: '\u001b[2J',
        adminEmail: 'a@b',
        database: { url: 'postgres://evil@169.254.169.254/x' },
      }),
    ];
    const tasks: (() => Promise<{ a: Answer; what: string }>)[] = [];
    const targets = [...new Map(tenants.map((t) => [t.engine, t])).values()];
    let operations = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (/logout/.test(path)) continue; // would end the session the rest of the suite uses
        operations++;
        const platform = path.startsWith('/api/platform');
        const hosts = platform
          ? [{ host: `localhost:${port}`, token: platformToken }]
          : targets.map((t) => ({ host: t.host, token: t.token }));
        const hasParams = /\{[^}]+\}/.test(path);
        const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        for (const { host, token } of hosts) {
          const paths = hasParams ? badIds.map((v) => path.replace(/\{[^}]+\}/g, v)) : [path];
          for (const p of paths) {
            const bodies = method === 'get' || method === 'delete' ? [undefined] : hasParams ? badBodies.slice(0, 3) : badBodies;
            for (const raw of bodies) {
              tasks.push(async () => ({
                a: await send(port, { method: method.toUpperCase(), host, path: p, token, ...(raw === undefined ? {} : { raw }) }),
                what: `${method} ${p.slice(0, 80)}`,
              }));
            }
          }
          for (const name of query) {
            for (const v of badValues) {
              tasks.push(async () => ({
                a: await send(port, { method: 'GET', host, path: `${path.replace(/\{[^}]+\}/g, '1')}?${name}=${v}`, token }),
                what: `${method} ${path}?${name}`,
              }));
            }
          }
        }
      }
    }
    const results = await pool(12, tasks);
    const fivexx = results.filter((r) => r.a.status >= 500);
    report(`5xx ${fivexx.length} / ${results.length} fuzz requests over ${operations} operations`);
    expect(fivexx.map((r) => `${r.what} → ${r.a.status} ${r.a.body.slice(0, 200)}`)).toEqual([]);
  });

  it('money races: last units, parallel payments, pay against void, issue twice; the books stay right', async () => {
    for (const engine of engines) {
      const t = tenants.find((x) => x.engine === engine && !x.proxy)!;
      const product = await api(t, 'POST', '/products', {
        sku: `RACE-${engine}`,
        name: 'Last units',
        unitPrice: 1000,
        costPrice: 400,
        taxRateId: null,
      });
      expect(product.status, product.body).toBe(201);
      const productId = json(product).product.id as number;
      expect((await api(t, 'POST', '/stock/adjustments', { productId, locationId: 1, quantity: 5, reason: 'receipt' })).status).toBe(201);
      const sales = await Promise.all(
        Array.from({ length: 20 }, () => api(t, 'POST', '/invoices', { lines: [{ productId, quantity: 1 }], payment: { method: 'cash' } })),
      );
      const sold = sales.filter((s) => s.status === 201).length;
      const stock = (json(await api(t, 'GET', `/products/${productId}`)).product.stock as { quantity: number }[]).reduce(
        (n, s) => n + s.quantity,
        0,
      );

      const customerId = t.customerIds[0]!;
      const open = json(
        await api(t, 'POST', '/invoices', { customerId, lines: [{ description: 'Owed', quantity: 1, unitPrice: 1000 }] }),
      ).invoice;
      const payments = await Promise.all(
        Array.from({ length: 10 }, () => api(t, 'POST', `/invoices/${open.id}/payments`, { amount: 300, method: 'card' })),
      );
      const paid = json(await api(t, 'GET', `/invoices/${open.id}`)).invoice;

      const racing = await Promise.all(
        Array.from(
          { length: 5 },
          async () =>
            json(await api(t, 'POST', '/invoices', { customerId, lines: [{ description: 'Race', quantity: 1, unitPrice: 700 }] })).invoice,
        ),
      );
      const payVoid = await Promise.all(
        racing.flatMap((inv) => [
          api(t, 'POST', `/invoices/${inv.id}/payments`, { amount: 700, method: 'cash' }),
          api(t, 'POST', `/invoices/${inv.id}/void`, {}),
        ]),
      );

      const draft = json(
        await api(t, 'POST', '/invoices', { draft: true, customerId, lines: [{ description: 'Twice', quantity: 1, unitPrice: 500 }] }),
      ).invoice;
      const issues = await Promise.all([
        api(t, 'POST', `/invoices/${draft.id}/issue`, {}),
        api(t, 'POST', `/invoices/${draft.id}/issue`, {}),
      ]);

      // The books: balanced, and the receivable is exactly what issued invoices still owe.
      const tb = json(await api(t, 'GET', '/reports/trial-balance')).report;
      const receivable =
        (tb.accounts as { code: string; name: string; balance: number }[]).find((a) => /receivable/i.test(a.name))?.balance ?? 0;
      let owed = 0;
      for (let offset = 0; ; offset += 200) {
        const page = json(await api(t, 'GET', `/invoices?limit=200&offset=${offset}`)).invoices as {
          status: string;
          total: number;
          amountPaid: number;
        }[];
        for (const inv of page) if (inv.status === 'issued') owed += inv.total - inv.amountPaid;
        if (page.length < 200) break;
      }
      const errors = [...sales, ...payments, ...payVoid, ...issues].filter((a) => a.status >= 500).length;
      const issuedTwice = issues.filter((a) => a.status === 200).length;
      report(
        `money races on ${engine}: sold ${sold}/5 last units (stock ${stock}), paid ${paid.amountPaid}/${paid.total} in 300s, ` +
          `issue-twice successes ${issuedTwice}, trial balance ${tb.balanced ? 'balanced' : 'UNBALANCED'}, receivable ${receivable} vs owed ${owed}, 5xx ${errors}`,
      );
      expect(sold).toBe(5);
      expect(stock).toBe(0);
      expect(paid.amountPaid).toBeLessThanOrEqual(paid.total);
      expect(paid.amountPaid).toBe(900);
      expect(issuedTwice).toBe(1);
      expect(tb.balanced).toBe(true);
      expect(receivable).toBe(owed);
      expect(errors).toBe(0);
    }
  });

  it('wrong-password storms: at most 5 of 60 parallel attempts reach the hash, on every engine and the platform', async () => {
    const targets: { what: string; host: string; path: string }[] = [
      ...engines.map((engine) => {
        const t = tenants.find((x) => x.engine === engine)!;
        return { what: engine, host: t.host, path: '/api/auth/login' };
      }),
      { what: 'platform', host: `localhost:${port}`, path: '/api/platform/auth/login' },
    ];
    for (const target of targets) {
      const answers = await Promise.all(
        Array.from({ length: 60 }, () =>
          send(port, { host: target.host, path: target.path, json: { login: 'victim', password: 'not the password at all' } }),
        ),
      );
      // A 401 is an attempt that got past the throttle and was checked against the hash.
      const hashed = answers.filter((a) => a.status === 401).length;
      const other = answers.filter((a) => a.status !== 401 && a.status !== 429 && a.status !== 503).length;
      report(`wrong-password storm on ${target.what}: hashes reached ${hashed} / 60 (limit 5), other answers ${other}`);
      expect(hashed).toBeLessThanOrEqual(5);
      expect(other).toBe(0);
    }
  });

  it('a tenant database taken away mid-load: that tenant 503 within 1 s, the others unaffected, back within 5 s', async () => {
    for (const victim of tenants.filter((t) => t.proxy)) {
      const others = tenants.filter((t) => t !== victim);
      let running = true;
      let othersErrors = 0;
      let othersRequests = 0;
      const seen: { at: number; status: number }[] = [];
      const load = [
        (async () => {
          while (running) {
            const a = await api(victim, 'GET', '/customers?limit=5').catch(() => ({ status: 0 }) as Answer);
            seen.push({ at: performance.now(), status: a.status });
          }
        })(),
        ...others.map(async (t) => {
          while (running) {
            othersRequests++;
            const a = await api(t, 'GET', '/customers?limit=5').catch(() => ({ status: 0 }) as Answer);
            if (a.status !== 200) othersErrors++;
          }
        }),
      ];
      await new Promise((r) => setTimeout(r, 1000));
      const downAt = performance.now();
      await victim.proxy!.down();
      await new Promise((r) => setTimeout(r, 3000));
      const upAt = performance.now();
      await victim.proxy!.up();
      const deadline = upAt + 10_000;
      while (performance.now() < deadline && !seen.some((s) => s.at > upAt && s.status === 200))
        await new Promise((r) => setTimeout(r, 50));
      running = false;
      await Promise.all(load);
      const first503 = seen.find((s) => s.at > downAt && s.status === 503);
      const during = seen.filter((s) => s.at > downAt && s.at < upAt);
      const badDuring = during.filter((s) => s.status !== 503 && s.status !== 200).length;
      const back = seen.find((s) => s.at > upAt && s.status === 200);
      const to503 = first503 ? Math.round(first503.at - downAt) : Number.POSITIVE_INFINITY;
      const toBack = back ? Math.round(back.at - upAt) : Number.POSITIVE_INFINITY;
      report(
        `${victim.engine} database taken away: first 503 after ${to503} ms, non-503 errors while away ${badDuring}, ` +
          `other tenants' errors ${othersErrors} / ${othersRequests}, back after ${toBack} ms`,
      );
      expect(to503).toBeLessThanOrEqual(1000);
      expect(badDuring).toBe(0);
      expect(othersErrors).toBe(0);
      expect(toBack).toBeLessThanOrEqual(5000);
    }
  });

  it('kill -9 of create-tenant at each step, then a retry, succeeds', async () => {
    const engine: TestDialect = engines.includes('postgres') ? 'postgres' : 'sqlite';
    // Killed after each of these, i.e. while the next one runs (the last, activate, ends the command).
    const steps = ['validate', 'register', 'create_database', 'migrate', 'seed'];
    const failures: string[] = [];
    const run = (s: string, killAfter: string | null) =>
      new Promise<{ code: number | null; out: string; killed: boolean }>((resolve) => {
        const args = ['apps/cli/bin/salesfleet.js', 'create-tenant', `Crash ${s}`, s, `admin@${s}.example`];
        if (engine !== 'sqlite') args.push('--database-url', serverUrl(engine));
        const child = spawn(process.execPath, args, {
          cwd: repoRoot,
          env: { ...process.env, SALESFLEET_DATA_DIR: dataDir, SALESFLEET_ADMIN_PASSWORD: PASSWORD, NO_COLOR: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let killed = false;
        const watch = (d: Buffer) => {
          out += d.toString();
          // The CLI prints one line per finished step; kill it as the next one starts.
          if (killAfter && !killed && out.split('\n').filter((l) => /^ok /.test(l)).length > steps.indexOf(killAfter)) {
            killed = true;
            child.kill('SIGKILL');
          }
        };
        child.stdout.on('data', watch);
        child.stderr.on('data', watch);
        child.on('exit', (code) => resolve({ code, out, killed }));
      });
    let killedRuns = 0;
    for (const step of steps) {
      const s = slug('k');
      const crashed = await run(s, step);
      if (crashed.killed) killedRuns++;
      const retry = await run(s, null);
      if (retry.code !== 0)
        failures.push(`killed after ${step}: retry exited ${retry.code}: ${retry.out.split('\n').slice(-3).join(' | ')}`);
    }
    report(
      `kill -9 of provisioning on ${engine}: ${steps.length - failures.length} / ${steps.length} retries succeeded (${killedRuns} runs killed mid-way)`,
    );
    expect(failures).toEqual([]);
  });

  it('SIGTERM under load: no reset, no acknowledged write lost', async () => {
    const t = tenants.find((x) => x.engine === 'sqlite')!;
    const acknowledged: string[] = [];
    const resets: string[] = [];
    const loops = Array.from({ length: 8 }, async (_, w) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; ; i++) {
        const name = `${marker(t)} drain ${w}-${i}`;
        try {
          const a = await send(port, { host: t.host, path: '/api/customers', token: t.token, json: { name }, agent });
          if (a.status === 201) acknowledged.push(name);
        } catch (err) {
          const code = (err as { code?: string }).code ?? (err as Error).message;
          if (code === 'ECONNREFUSED') break;
          resets.push(code);
          if (resets.length > 50) break;
        }
      }
      agent.destroy();
    });
    await new Promise((r) => setTimeout(r, 1500));
    server.child.kill('SIGTERM');
    await Promise.all(loops);
    const exitCode = await server.exited;
    const tenant = await tenancy.registry.getTenant(t.slug);
    const stored = await tenancy.connections.withTenant(tenant, ({ models }) =>
      models.Customer.findAll({ attributes: ['name'], raw: true }),
    );
    const names = new Set(stored.map((c) => c.name));
    const lost = acknowledged.filter((n) => !names.has(n)).length;
    report(`SIGTERM under load: resets ${resets.length}, acknowledged writes lost ${lost} / ${acknowledged.length}, exit code ${exitCode}`);
    expect(resets).toEqual([]);
    expect(lost).toBe(0);
    expect(exitCode).toBe(0);
  });
});
