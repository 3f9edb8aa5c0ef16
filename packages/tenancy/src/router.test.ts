import { describe, expect, it } from 'vitest';
import type { TenantRecord } from './registry/records';
import { HostRouter, effectiveHost, matchHost, tenantAvailability, type TenantLookup } from './router';
import { trustedProxyMatcher } from './config';

function tenant(slug: string, overrides: Partial<TenantRecord> = {}): TenantRecord {
  return {
    id: slug.length,
    slug,
    name: slug,
    adminEmail: `admin@${slug}.test`,
    status: 'active',
    suspendedReason: null,
    maxUsers: 50,
    multiLocation: false,
    trialEndsAt: null,
    paidUntil: null,
    db: { engine: 'sqlite', host: null, port: null, name: `tenants/${slug}.sqlite`, user: null, passwordEncrypted: null, managed: true },
    schemaVersion: null,
    version: 1,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...overrides,
  };
}

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
    await Promise.all([router.resolveHost('acme.localhost'), router.resolveHost('acme.localhost:8000'), router.resolveHost('ACME.localhost')]);
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
