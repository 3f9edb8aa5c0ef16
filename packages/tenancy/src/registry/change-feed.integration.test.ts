import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, type TestDialect, testDialects } from '@salesfleet/models/testing';
import { createTestTenancy, memoryLogger, TcpProxy, testSlug, type TestTenancy, until } from '../testing/index';

const dialects = await testDialects();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What process `t` would do with a request for `slug` right now. */
async function routed(t: TestTenancy, slug: string): Promise<string> {
  const r = await t.router.resolveHost(`${slug}.localhost`);
  return r.kind === 'unavailable' ? `unavailable:${r.reason}` : r.kind;
}

describe('registry changes reach the other API processes', () => {
  const made: TestTenancy[] = [];
  const databases: TestDatabase[] = [];
  const proxies: TcpProxy[] = [];
  afterAll(async () => {
    for (const p of proxies) await p.down();
    for (const t of made.reverse()) await t.cleanup();
    for (const d of databases) await d.drop();
  });

  /** Two processes on one registry of `engine`: `a` serves requests (listens), `b` is where changes are made. */
  async function twoProcesses(
    engine: TestDialect,
    a: { routerTtlMs: number; viaProxy?: boolean; logger?: ReturnType<typeof memoryLogger> },
  ) {
    const secretKey = `test-secret-${randomBytes(16).toString('hex')}`;
    let registryUrl: string | null = null;
    let aRegistryUrl: string | null = null;
    let proxy: TcpProxy | undefined;
    if (engine !== 'sqlite') {
      const db = await createTestDatabase(engine);
      databases.push(db);
      registryUrl = db.url;
      aRegistryUrl = db.url;
      if (a.viaProxy) {
        const real = new URL(db.url);
        proxy = await TcpProxy.start({ host: real.hostname, port: Number(real.port) });
        proxies.push(proxy);
        real.port = String(proxy.port);
        aRegistryUrl = real.toString();
      }
    }
    const b = await createTestTenancy({ secretKey, config: { registryUrl } });
    made.push(b);
    const procA = await createTestTenancy({
      secretKey,
      config: { registryUrl: aRegistryUrl, dbConnectTimeoutMs: 1000 },
      dataDir: b.dataDir,
      listen: true,
      routerTtlMs: a.routerTtlMs,
      ...(a.logger ? { logger: a.logger } : {}),
    });
    made.push(procA);
    return { a: procA, b, proxy };
  }

  for (const engine of dialects) {
    it(`${engine} registry: suspend, resume and delete made in one process are seen by the other long before its router TTL`, async () => {
      // A minute of TTL: only the change feed can explain what `a` sees within seconds.
      const { a, b } = await twoProcesses(engine, { routerTtlMs: 60_000 });
      const { tenant } = await b.provisioner.createTenant(
        { name: 'Feed', subdomain: testSlug('feed'), adminEmail: 'a@feed.test' },
        { actor: 'test' },
      );
      expect(await routed(a, tenant.slug)).toBe('tenant');
      await b.provisioner.suspendTenant(tenant.slug, { actor: 'test' });
      await until(async () => (await routed(a, tenant.slug)) === 'unavailable:suspended', 'suspend seen');
      await b.provisioner.resumeTenant(tenant.slug, { actor: 'test' });
      await until(async () => (await routed(a, tenant.slug)) === 'tenant', 'resume seen');
      await b.provisioner.deleteTenant(tenant.slug, { actor: 'test' });
      await until(async () => (await routed(a, tenant.slug)) === 'unknown', 'delete seen');
    });
  }

  it.runIf(dialects.includes('sqlite'))('sqlite registry: changes of many tenants made in one turn arrive, each once', async () => {
    const { a, b } = await twoProcesses('sqlite', { routerTtlMs: 60_000 });
    const seen: string[] = [];
    a.registry.onChange((c) => c.remote && seen.push(`${c.kind}:${c.slug}`));
    const slugs = Array.from({ length: 30 }, () => testSlug('bulk'));
    // Bulk schema-version writes emit one change per tenant in one turn: recorded in one insert.
    await b.registry.setSchemaVersions(slugs.map((slug, i) => ({ tenantId: 10_000 + i, slug, schemaVersion: null })));
    await until(() => seen.length >= 30, 'bulk changes seen');
    await sleep(700); // one more poll: nothing is delivered twice
    expect(seen.sort()).toEqual(slugs.map((s) => `tenant-changed:${s}`).sort());
  });

  it.runIf(dialects.includes('sqlite'))(
    'sqlite registry: processes sharing an origin (one cluster, relayed over IPC) do not poll each other’s changes; other processes get them once',
    async () => {
      const origin = randomUUID();
      const secretKey = `test-secret-${randomBytes(16).toString('hex')}`;
      const b = await createTestTenancy({ secretKey, changeOrigin: origin });
      made.push(b);
      const open = async (changeOrigin?: string) => {
        const t = await createTestTenancy({ secretKey, dataDir: b.dataDir, listen: true, ...(changeOrigin ? { changeOrigin } : {}) });
        made.push(t);
        return t;
      };
      const sibling = await open(origin);
      const other = await open();
      const seen = { sibling: [] as string[], other: [] as string[] };
      sibling.registry.onChange((c) => c.remote && seen.sibling.push(c.slug));
      other.registry.onChange((c) => c.remote && seen.other.push(c.slug));
      const slug = testSlug('sib');
      b.registry.emit({ kind: 'tenant-changed', tenantId: 88_001, slug });
      await until(() => seen.other.length >= 1, 'change seen by the other process');
      await sleep(1200); // two more polls of each: nothing more arrives
      expect(seen).toEqual({ sibling: [], other: [slug] });
    },
  );

  it.runIf(dialects.includes('sqlite'))(
    'sqlite registry: a sign-out (tenant-users-changed) reaches the other process, so its session cache drops',
    async () => {
      const { a, b } = await twoProcesses('sqlite', { routerTtlMs: 60_000 });
      const seen: string[] = [];
      a.registry.onChange((c) => c.remote && seen.push(`${c.kind}:${c.slug}`));
      const slug = testSlug('users');
      b.registry.emit({ kind: 'tenant-users-changed', tenantId: 77_001, slug, userId: 5 });
      await until(() => seen.length >= 1, 'users change seen');
      expect(seen).toEqual([`tenant-users-changed:${slug}`]);
    },
  );

  it.runIf(dialects.includes('postgres'))(
    'postgres registry: with the registry out of reach a cached tenant is refused past its TTL, not served stale; back, the listener reconnects and catches up',
    async () => {
      const { a, b, proxy } = await twoProcesses('postgres', { routerTtlMs: 1000, viaProxy: true });
      if (!proxy) throw new Error('no proxy');
      const { tenant } = await b.provisioner.createTenant(
        { name: 'Cut', subdomain: testSlug('cut'), adminEmail: 'a@cut.test' },
        { actor: 'test' },
      );
      expect(await routed(a, tenant.slug)).toBe('tenant');
      await proxy.down();
      // 1.5 s: past the TTL, inside the old stale window (3 × TTL) in which it used to be served.
      await sleep(1500);
      await expect(a.router.resolveHost(`${tenant.slug}.localhost`)).rejects.toThrow();
      // Meanwhile it is suspended elsewhere; `a` cannot hear of it until its connection is back.
      await b.provisioner.suspendTenant(tenant.slug, { actor: 'test' });
      await proxy.up();
      await until(
        async () => (await routed(a, tenant.slug).catch(() => 'error')) === 'unavailable:suspended',
        'suspend seen after reconnect',
      );
    },
  );

  it.runIf(dialects.includes('postgres'))(
    'postgres registry: the listening process’s feed stays confirmed to within a fraction of a second (the session cache needs < 1 s)',
    async () => {
      const { a } = await twoProcesses('postgres', { routerTtlMs: 5000 });
      const feed = a.changeFeed;
      if (!feed) throw new Error('a listening tenancy has a change feed');
      let worst = 0;
      for (let i = 0; i < 40; i++) {
        await sleep(50);
        worst = Math.max(worst, Date.now() - feed.confirmedAt());
      }
      // Heartbeats every quarter of the 1 s timeout: one a second would leave it up to a second behind.
      expect(worst).toBeLessThan(750);
    },
  );

  it.runIf(dialects.includes('postgres'))(
    'postgres registry: a listening connection that goes silent is noticed by its heartbeat and replaced',
    async () => {
      const logger = memoryLogger();
      const { a, proxy } = await twoProcesses('postgres', { routerTtlMs: 60_000, viaProxy: true, logger });
      if (!proxy) throw new Error('no proxy');
      proxy.stall();
      await until(() => logger.entries.some((e) => e.level === 'warn' && /listener lost/.test(e.msg)), 'silent listener noticed');
      expect(logger.entries.find((e) => /listener lost/.test(e.msg))?.fields.err).toMatch(/heartbeat/);
      // The replacement connects once the path is back, and changes flow again.
      await proxy.down();
      await proxy.up();
      await until(() => logger.entries.filter((e) => /listener lost/.test(e.msg)).length >= 1, 'lost logged');
      await until(
        async () =>
          await a.registry
            .ping()
            .then(() => true)
            .catch(() => false),
        'registry reachable again',
      );
    },
  );
});
