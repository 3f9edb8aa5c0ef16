import { describe, expect, it } from 'vitest';
import type { TenantRecord } from './registry/records';
import { HostRouter, effectiveHost, matchHost, tenantAvailability, type TenantLookup } from './router';
import { trustedProxyMatcher } from './config';
import { tenantRecord } from './testing/index';

const tenant = tenantRecord;

/** An in-memory stand-in for the registry's two lookups, counting calls. */
class Lookup implements TenantLookup {
  bySlug = new Map<string, TenantRecord>();
  byDomain = new Map<string, TenantRecord>();
  calls = 0;
  async findTenant(slug: string) {
    this.calls++;
    return this.bySlug.get(slug) ?? null;
  }
  async findTenantByDomain(domain: string) {
    this.calls++;
    return this.byDomain.get(domain) ?? null;
  }
}

const bases = ['localhost', 'example.com', 'eu.example.com'];

describe('matchHost', () => {
  it.each([
    ['localhost', { kind: 'platform' }],
    ['example.com', { kind: 'platform' }],
    ['www.localhost', { kind: 'platform' }],
    ['www.example.com', { kind: 'platform' }],
    ['acme.localhost', { kind: 'subdomain', slug: 'acme' }],
    ['acme.example.com', { kind: 'subdomain', slug: 'acme' }],
    ['acme.eu.example.com', { kind: 'subdomain', slug: 'acme' }],
    ['eu.example.com', { kind: 'platform' }],
    ['a.b.localhost', { kind: 'unknown', reason: 'nested' }],
    ['www.acme.localhost', { kind: 'unknown', reason: 'nested' }],
    ['admin.localhost', { kind: 'unknown', reason: 'reserved' }],
    ['api.example.com', { kind: 'unknown', reason: 'reserved' }],
    ['xn--bcher-kva.localhost', { kind: 'unknown', reason: 'invalid' }],
    ['127.0.0.1', { kind: 'unknown', reason: 'ip' }],
    ['::1', { kind: 'unknown', reason: 'ip' }],
    ['intranet', { kind: 'unknown', reason: 'invalid' }],
    ['shop.acme.org', { kind: 'domain', domain: 'shop.acme.org' }],
    ['notexample.com', { kind: 'domain', domain: 'notexample.com' }],
    ['acmelocalhost', { kind: 'unknown', reason: 'invalid' }],
  ])('%s', (host, expected) => {
    expect(matchHost(host, bases)).toEqual(expected);
  });

  it('treats an IP base domain as the platform only for itself', () => {
    expect(matchHost('10.0.0.5', ['localhost', '10.0.0.5'])).toEqual({ kind: 'platform' });
    expect(matchHost('10.0.0.6', ['localhost', '10.0.0.5'])).toEqual({ kind: 'unknown', reason: 'ip' });
  });
});

describe('tenantAvailability', () => {
  const now = Date.parse('2026-06-01T00:00:00Z');
  const past = new Date(now - 1000);
  const future = new Date(now + 1000);
  it.each([
    [{}, null],
    [{ status: 'suspended' }, 'suspended'],
    [{ status: 'provisioning' }, 'provisioning'],
    [{ status: 'failed' }, 'failed'],
    [{ status: 'deleting' }, 'deleting'],
    [{ trialEndsAt: future }, null],
    [{ trialEndsAt: past }, 'trial_expired'],
    [{ trialEndsAt: past, paidUntil: future }, null],
    [{ paidUntil: past }, 'unpaid'],
    [{ paidUntil: past, trialEndsAt: future }, null],
    [{ paidUntil: past, trialEndsAt: past }, 'unpaid'],
    [{ status: 'suspended', paidUntil: past }, 'suspended'],
  ] as [Partial<TenantRecord>, string | null][])('%j → %s', (overrides, reason) => {
    expect(tenantAvailability(tenant('acme', overrides), now)).toBe(reason);
  });
});

describe('HostRouter', () => {
  function setup(ttlMs = 5000) {
    const lookup = new Lookup();
    let now = Date.now();
    const router = new HostRouter({ baseDomains: bases, lookup, ttlMs, now: () => now });
    return { lookup, router, advance: (ms: number) => (now += ms) };
  }

  it('resolves platform, tenants, custom domains and unknown hosts', async () => {
    const { lookup, router } = setup();
    lookup.bySlug.set('acme', tenant('acme'));
    lookup.byDomain.set('shop.acme.org', tenant('acme'));
    expect(await router.resolveHost('LOCALHOST:8000')).toEqual({ kind: 'platform', host: 'localhost' });
    expect(await router.resolveHost('www.example.com.')).toEqual({ kind: 'platform', host: 'www.example.com' });
    expect(await router.resolveHost('Acme.LocalHost:8000')).toMatchObject({ kind: 'tenant', via: 'subdomain', tenant: { slug: 'acme' } });
    expect(await router.resolveHost('acme.example.com')).toMatchObject({ kind: 'tenant', tenant: { slug: 'acme' } });
    expect(await router.resolveHost('SHOP.acme.org.')).toMatchObject({ kind: 'tenant', via: 'domain', tenant: { slug: 'acme' } });
    expect(await router.resolveHost('nope.localhost')).toEqual({ kind: 'unknown', host: 'nope.localhost', reason: 'not_found' });
    expect(await router.resolveHost('other.org')).toEqual({ kind: 'unknown', host: 'other.org', reason: 'not_found' });
    expect(await router.resolveHost('a.acme.localhost')).toEqual({ kind: 'unknown', host: 'a.acme.localhost', reason: 'nested' });
    expect(await router.resolveHost('admin.localhost')).toEqual({ kind: 'unknown', host: 'admin.localhost', reason: 'reserved' });
    expect(await router.resolveHost('')).toEqual({ kind: 'unknown', host: null, reason: 'invalid' });
    expect(await router.resolveHost(undefined)).toEqual({ kind: 'unknown', host: null, reason: 'invalid' });
    expect(await router.resolveHost('acme.localhost/../x')).toEqual({ kind: 'unknown', host: null, reason: 'invalid' });
    expect(await router.resolveHost('[::1]:8000')).toEqual({ kind: 'unknown', host: '::1', reason: 'ip' });
    expect(await router.resolveHost('bücher.localhost')).toEqual({ kind: 'unknown', host: 'xn--bcher-kva.localhost', reason: 'invalid' });
  });

  it('reports unavailable tenants with their reason', async () => {
    const { lookup, router } = setup();
    lookup.bySlug.set('paused', tenant('paused', { status: 'suspended', suspendedReason: 'unpaid invoice' }));
    lookup.bySlug.set('late', tenant('late', { paidUntil: new Date(Date.now() - 86_400_000) }));
    expect(await router.resolveHost('paused.localhost')).toMatchObject({ kind: 'unavailable', reason: 'suspended' });
    expect(await router.resolveHost('late.localhost')).toMatchObject({ kind: 'unavailable', reason: 'unpaid' });
  });

  it('caches lookups for the TTL, shares concurrent misses, and forgets on invalidation', async () => {
    const { lookup, router, advance } = setup(5000);
    lookup.bySlug.set('acme', tenant('acme'));
    await Promise.all([
      router.resolveHost('acme.localhost'),
      router.resolveHost('acme.localhost:8000'),
      router.resolveHost('ACME.localhost'),
    ]);
    expect(lookup.calls).toBe(1);
    await router.resolveHost('acme.localhost');
    expect(lookup.calls).toBe(1);
    // unknown hosts are cached too (no registry query per request for garbage subdomains)
    await router.resolveHost('ghost.localhost');
    await router.resolveHost('ghost.localhost');
    expect(lookup.calls).toBe(2);

    lookup.bySlug.set('acme', tenant('acme', { status: 'suspended', version: 2 }));
    expect(await router.resolveHost('acme.localhost')).toMatchObject({ kind: 'tenant' }); // still cached
    router.invalidate({ slug: 'acme' });
    expect(await router.resolveHost('acme.localhost')).toMatchObject({ kind: 'unavailable', reason: 'suspended' });
    expect(lookup.calls).toBe(3);

    lookup.bySlug.set('ghost', tenant('ghost'));
    advance(5001);
    expect(await router.resolveHost('ghost.localhost')).toMatchObject({ kind: 'tenant' });
  });

  it('drops custom-domain entries of a tenant and the domain named in a change', async () => {
    const { lookup, router } = setup();
    lookup.byDomain.set('shop.acme.org', tenant('acme'));
    await router.resolveHost('shop.acme.org');
    await router.resolveHost('new.acme.org');
    lookup.byDomain.delete('shop.acme.org');
    lookup.byDomain.set('new.acme.org', tenant('acme'));
    router.applyChange({ kind: 'domain-changed', tenantId: 4, slug: 'acme', domain: 'new.acme.org' });
    expect(await router.resolveHost('shop.acme.org')).toMatchObject({ kind: 'unknown', reason: 'not_found' });
    expect(await router.resolveHost('new.acme.org')).toMatchObject({ kind: 'tenant' });
  });

  it('does not cache a lookup that raced with an invalidation', async () => {
    const lookup = new Lookup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    lookup.findTenant = async (slug) => {
      lookup.calls++;
      await gate;
      return tenant(slug);
    };
    const router = new HostRouter({ baseDomains: bases, lookup });
    const pending = router.resolveHost('acme.localhost');
    router.invalidate({ slug: 'acme' });
    release();
    await pending;
    await router.resolveHost('acme.localhost');
    expect(lookup.calls).toBe(2);
  });

  /** A lookup whose answers after the first wait for `release()`, or fail with `fail()`. */
  function gatedSetup() {
    const { lookup, router, advance } = setup(5000);
    let gate: { promise: Promise<void>; release: () => void; fail: (err: Error) => void } | null = null;
    lookup.findTenant = async (slug) => {
      lookup.calls++;
      const current = gate;
      if (current) await current.promise;
      return lookup.bySlug.get(slug) ?? null;
    };
    const hold = () => {
      let release!: () => void;
      let fail!: (err: Error) => void;
      const promise = new Promise<void>((resolve, reject) => {
        release = resolve;
        fail = reject;
      });
      gate = { promise, release, fail };
      return gate;
    };
    const open = () => (gate = null);
    return { lookup, router, advance, hold, open };
  }

  it('serves an expired tenant at once while one background lookup refreshes it', async () => {
    const { lookup, router, advance, hold } = gatedSetup();
    lookup.bySlug.set('acme', tenant('acme', { name: 'Old name' }));
    await router.resolveHost('acme.localhost');
    expect(lookup.calls).toBe(1);

    lookup.bySlug.set('acme', tenant('acme', { name: 'New name', version: 2 }));
    const gate = hold();
    advance(5001);
    // The registry has not answered (the gate is closed), yet every request is served from the stale entry.
    const stale = await Promise.all([
      router.resolveHost('acme.localhost'),
      router.resolveHost('acme.localhost'),
      router.resolveHost('acme.localhost'),
    ]);
    for (const r of stale) expect(r).toMatchObject({ kind: 'tenant', tenant: { name: 'Old name' } });
    expect(lookup.calls).toBe(2); // one refresh for the three requests
    gate.release();
    await new Promise((r) => setImmediate(r));
    expect(await router.resolveHost('acme.localhost')).toMatchObject({ kind: 'tenant', tenant: { name: 'New name' } });
    expect(lookup.calls).toBe(2);
    expect(router.stats()).toMatchObject({ hits: 1, misses: 1, staleServed: 3, refreshes: 1, refreshErrors: 0 });
  });

  it('keeps a stale tenant through registry errors for its stale window, then drops it', async () => {
    const lookup = new Lookup();
    let now = 1_000_000;
    const router = new HostRouter({ baseDomains: bases, lookup, ttlMs: 5000, staleMs: 15_000, now: () => now });
    lookup.bySlug.set('acme', tenant('acme'));
    await router.resolveHost('acme.localhost');
    lookup.findTenant = async () => {
      lookup.calls++;
      throw new Error('registry down');
    };
    now += 6000;
    expect(await router.resolveHost('acme.localhost')).toMatchObject({ kind: 'tenant' });
    await new Promise((r) => setImmediate(r));
    expect(router.stats()).toMatchObject({ refreshes: 1, refreshErrors: 1 });
    // right after a failure the stale entry is served without hammering the registry
    expect(await router.resolveHost('acme.localhost')).toMatchObject({ kind: 'tenant' });
    expect(lookup.calls).toBe(2);
    now += 13_000; // 19 s after the lookup: still inside TTL + stale window
    expect(await router.resolveHost('acme.localhost')).toMatchObject({ kind: 'tenant' });
    await new Promise((r) => setImmediate(r));
    expect(lookup.calls).toBe(3);
    now += 2000; // 21 s: past the window, the entry is gone and the request sees the registry's error
    await expect(router.resolveHost('acme.localhost')).rejects.toThrow('registry down');
    expect(router.stats().cached).toBe(0);
  });

  it("serves a tenant past its TTL only while other processes' changes are confirmed; unconfirmed, it asks the registry and fails with it", async () => {
    const lookup = new Lookup();
    let now = 1_000_000;
    let confirmedAt = now;
    const router = new HostRouter({
      baseDomains: bases,
      lookup,
      ttlMs: 5000,
      staleMs: 15_000,
      now: () => now,
      changesConfirmedAt: () => confirmedAt,
    });
    lookup.bySlug.set('acme', tenant('acme'));
    await router.resolveHost('acme.localhost');
    lookup.findTenant = async () => {
      lookup.calls++;
      throw new Error('registry down');
    };
    // Confirmed a moment ago: served stale while one refresh tries.
    now += 6000;
    confirmedAt = now - 1000;
    expect(await router.resolveHost('acme.localhost')).toMatchObject({ kind: 'tenant' });
    // The feed went quiet more than a TTL ago: the stale entry is not trusted, the registry's error surfaces.
    now += 1000;
    confirmedAt = now - 5001;
    await expect(router.resolveHost('acme.localhost')).rejects.toThrow('registry down');
    expect(router.stats().cached).toBe(0);
    // Inside its TTL an entry needs no confirmation.
    lookup.findTenant = async (slug) => {
      lookup.calls++;
      return lookup.bySlug.get(slug) ?? null;
    };
    expect(await router.resolveHost('acme.localhost')).toMatchObject({ kind: 'tenant' });
    now += 4000;
    const calls = lookup.calls;
    expect(await router.resolveHost('acme.localhost')).toMatchObject({ kind: 'tenant' });
    expect(lookup.calls).toBe(calls);
  });

  it('drops a stale entry at once on invalidation and never caches a refresh that raced it', async () => {
    const { lookup, router, advance, hold } = gatedSetup();
    lookup.bySlug.set('acme', tenant('acme'));
    await router.resolveHost('acme.localhost');
    advance(5001);
    const gate = hold();
    expect(await router.resolveHost('acme.localhost')).toMatchObject({ kind: 'tenant' }); // starts a refresh, which waits
    // suspended meanwhile: the change event drops the entry, the next request waits for the registry
    lookup.bySlug.set('acme', tenant('acme', { status: 'suspended', version: 2 }));
    router.applyChange({ kind: 'tenant-changed', tenantId: 4, slug: 'acme' });
    const next = router.resolveHost('acme.localhost');
    gate.release();
    expect(await next).toMatchObject({ kind: 'unavailable', reason: 'suspended' });
  });

  it('never serves an unknown host stale, so a tenant created elsewhere is found right after the TTL', async () => {
    const { lookup, router, advance } = setup(5000);
    expect(await router.resolveHost('newco.localhost')).toMatchObject({ kind: 'unknown', reason: 'not_found' });
    lookup.bySlug.set('newco', tenant('newco'));
    advance(5001);
    expect(await router.resolveHost('newco.localhost')).toMatchObject({ kind: 'tenant', tenant: { slug: 'newco' } });
    expect(router.stats()).toMatchObject({ misses: 2, staleServed: 0 });
  });

  it('refreshes a found tenant that was deleted into an unknown host', async () => {
    const { lookup, router, advance } = setup(5000);
    lookup.bySlug.set('gone', tenant('gone'));
    await router.resolveHost('gone.localhost');
    lookup.bySlug.delete('gone');
    advance(5001);
    expect(await router.resolveHost('gone.localhost')).toMatchObject({ kind: 'tenant' }); // stale, refresh started
    await new Promise((r) => setImmediate(r));
    expect(await router.resolveHost('gone.localhost')).toMatchObject({ kind: 'unknown', reason: 'not_found' });
  });

  /** A lookup that also reads many slugs at once, counting those reads and the slugs in each. */
  function batchSetup() {
    const { lookup, router, advance } = setup(5000);
    const batches: string[][] = [];
    let gate: Promise<void> | null = null;
    const batched = Object.assign(lookup, {
      async findTenants(slugs: readonly string[]) {
        batches.push([...slugs].sort());
        if (gate) await gate;
        return slugs.flatMap((slug) => lookup.bySlug.get(slug) ?? []);
      },
    });
    const hold = (): { release: () => void; fail: (err: Error) => void } => {
      let release!: () => void;
      let fail!: (err: Error) => void;
      gate = new Promise<void>((resolve, reject) => {
        release = resolve;
        fail = reject;
      });
      return { release, fail };
    };
    return { lookup: batched, router, advance, batches, hold };
  }

  it('refreshes every cached tenant within half a TTL of expiry in one read, and none of the others', async () => {
    const { lookup, router, advance, batches } = batchSetup();
    for (const slug of ['a1', 'a2', 'b1', 'c1']) lookup.bySlug.set(slug, tenant(slug, { name: `${slug} v1` }));
    await router.resolveHost('a1.localhost');
    await router.resolveHost('a2.example.com');
    advance(1000);
    await router.resolveHost('b1.localhost'); // expires 1 s after the a's: inside half a TTL of them
    advance(2000);
    await router.resolveHost('c1.localhost'); // expires 3 s after the a's: outside
    await router.resolveHost('gone.localhost'); // unknown hosts are never refreshed in the background
    expect(lookup.calls).toBe(5);
    for (const slug of ['a1', 'a2', 'b1', 'c1']) lookup.bySlug.set(slug, tenant(slug, { name: `${slug} v2`, version: 2 }));
    lookup.bySlug.delete('b1');

    advance(2001); // a1 and a2 are past their TTL, b1 1 s from it, c1 3 s
    expect(await router.resolveHost('a1.localhost')).toMatchObject({ kind: 'tenant', tenant: { name: 'a1 v1' } }); // stale
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([['a1', 'a2', 'b1']]);
    expect(lookup.calls).toBe(5); // no single lookups
    expect(await router.resolveHost('a1.localhost')).toMatchObject({ kind: 'tenant', tenant: { name: 'a1 v2' } });
    expect(await router.resolveHost('a2.example.com')).toMatchObject({ kind: 'tenant', tenant: { name: 'a2 v2' } });
    // Refreshed before its TTL ran out: it was deleted meanwhile, so the host is unknown now.
    expect(await router.resolveHost('b1.localhost')).toMatchObject({ kind: 'unknown', reason: 'not_found' });
    expect(await router.resolveHost('c1.localhost')).toMatchObject({ kind: 'tenant', tenant: { name: 'c1 v1' } }); // inside its TTL
    expect(router.stats()).toMatchObject({ refreshes: 1, refreshErrors: 0 });
  });

  it('keeps nothing of a batched refresh that an invalidation overtook, and keeps serving stale entries when it fails', async () => {
    const { lookup, router, advance, batches, hold } = batchSetup();
    lookup.bySlug.set('a1', tenant('a1', { id: 1 }));
    lookup.bySlug.set('a2', tenant('a2', { id: 2 }));
    await router.resolveHost('a1.localhost');
    await router.resolveHost('a2.localhost');
    advance(5001);
    let gate = hold();
    await router.resolveHost('a1.localhost'); // starts the batch, which waits
    lookup.bySlug.set('a2', tenant('a2', { id: 2, status: 'suspended', version: 2 }));
    router.applyChange({ kind: 'tenant-changed', tenantId: 2, slug: 'a2' });
    const next = router.resolveHost('a2.localhost'); // dropped: waits for the registry
    gate.release();
    expect(await next).toMatchObject({ kind: 'unavailable', reason: 'suspended' });
    await new Promise((r) => setImmediate(r));
    expect(batches).toHaveLength(1);
    // The batch raced the invalidation: nothing was stored from it, a1 is still its stale entry.
    expect(router.stats()).toMatchObject({ refreshes: 1, staleServed: 1 });
    expect(await router.resolveHost('a1.localhost')).toMatchObject({ kind: 'tenant' });
    expect(router.stats()).toMatchObject({ staleServed: 2 });

    // A failed batch: both stale entries are still served, and not read again at once.
    await router.resolveHost('a2.localhost'); // cached again (the miss above shared the overtaken read)
    advance(5001);
    gate = hold();
    expect(await router.resolveHost('a1.localhost')).toMatchObject({ kind: 'tenant' });
    gate.fail(new Error('registry down'));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([
      ['a1', 'a2'],
      ['a1', 'a2'],
    ]);
    expect(router.stats()).toMatchObject({ refreshErrors: 1 });
    expect(await router.resolveHost('a2.localhost')).toMatchObject({ kind: 'unavailable', reason: 'suspended' }); // its stale entry
    expect(await router.resolveHost('a1.localhost')).toMatchObject({ kind: 'tenant' });
    expect(batches).toHaveLength(2);
  });

  it('bounds its cache', async () => {
    const lookup = new Lookup();
    const router = new HostRouter({ baseDomains: bases, lookup, maxEntries: 10 });
    for (let i = 0; i < 50; i++) await router.resolveHost(`t${i}.localhost`);
    expect(router.stats().cached).toBeLessThanOrEqual(10);
  });
});

describe('effectiveHost', () => {
  const trusted = trustedProxyMatcher(['10.0.0.1']);
  it('believes X-Forwarded-Host only from a trusted proxy, using the value it added', () => {
    expect(effectiveHost('proxy.internal', 'acme.example.com', '10.0.0.1', trusted)).toBe('acme.example.com');
    expect(effectiveHost('proxy.internal', 'evil.example.com, acme.example.com', '10.0.0.1', trusted)).toBe('acme.example.com');
    expect(effectiveHost('acme.example.com', 'victim.example.com', '203.0.113.9', trusted)).toBe('acme.example.com');
    expect(effectiveHost('acme.example.com', undefined, '10.0.0.1', trusted)).toBe('acme.example.com');
    expect(effectiveHost(undefined, undefined, '10.0.0.1', trusted)).toBeNull();
  });
});
