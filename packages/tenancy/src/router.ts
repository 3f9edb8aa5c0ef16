import { errorText, silentLogger, type Logger } from './logger';
import { isIpHost, normalizeHost } from './host';
import type { TenantRecord } from './registry/records';
import type { RegistryChange } from './registry/registry';
import { isValidSlug, RESERVED_LABELS, type UnavailableReason } from '@salesfleet/contracts';

export { normalizeHost } from './host';

/**
 * Where a request goes, from its host:
 * - `platform`: a base domain itself, or `www.<base>`;
 * - `tenant`: `<slug>.<base>` (exactly one label) or a registered custom domain, tenant usable;
 * - `unavailable`: that tenant exists but cannot serve (suspended → 403, trial_expired/unpaid → 402,
 *   provisioning/failed/deleting → 503);
 * - `unknown`: everything else — `invalid` host, `nested` (`a.b.<base>`), `reserved` label
 *   (`admin.<base>`, `api.<base>` …), `not_found` (no such tenant or domain), `ip` (an IP literal that
 *   is not itself a base domain).
 */
export type HostResolution =
  | { kind: 'platform'; host: string }
  | { kind: 'tenant'; host: string; tenant: TenantRecord; via: 'subdomain' | 'domain' }
  | { kind: 'unavailable'; host: string; tenant: TenantRecord; reason: UnavailableReason; via: 'subdomain' | 'domain' }
  | { kind: 'unknown'; host: string | null; reason: 'invalid' | 'nested' | 'reserved' | 'not_found' | 'ip' };

/** The pure part of routing: what a normalised host names, before any registry lookup. */
export type HostMatch =
  | { kind: 'platform' }
  | { kind: 'subdomain'; slug: string }
  | { kind: 'domain'; domain: string }
  | { kind: 'unknown'; reason: 'nested' | 'reserved' | 'ip' | 'invalid' };

/** Registry lookups the router needs (the `Registry` class satisfies it). */
export interface TenantLookup {
  findTenant(slug: string): Promise<TenantRecord | null>;
  findTenantByDomain(domain: string): Promise<TenantRecord | null>;
  /** The tenants of these slugs that exist, in one read (optional: without it each refresh reads one). */
  findTenants?(slugs: readonly string[]): Promise<TenantRecord[]>;
}

/**
 * Classifies a normalised host against the base domains (pure). The longest matching base domain
 * wins, so `example.com` and `eu.example.com` can both be bases.
 */
export function matchHost(host: string, baseDomains: readonly string[]): HostMatch {
  for (const base of baseDomains) {
    if (host === base) return { kind: 'platform' };
  }
  let best: string | undefined;
  for (const base of baseDomains) {
    if (host.length > base.length + 1 && host.endsWith(base) && host.charCodeAt(host.length - base.length - 1) === 46 /* . */) {
      if (best === undefined || base.length > best.length) best = base;
    }
  }
  if (best !== undefined) {
    const label = host.slice(0, host.length - best.length - 1);
    if (label.includes('.')) return { kind: 'unknown', reason: 'nested' };
    if (label === 'www') return { kind: 'platform' };
    if (RESERVED_LABELS.has(label)) return { kind: 'unknown', reason: 'reserved' };
    if (!isValidSlug(label)) return { kind: 'unknown', reason: 'invalid' };
    return { kind: 'subdomain', slug: label };
  }
  if (isIpHost(host)) return { kind: 'unknown', reason: 'ip' };
  if (!host.includes('.')) return { kind: 'unknown', reason: 'invalid' };
  return { kind: 'domain', domain: host };
}

/**
 * Why a tenant cannot serve requests right now, or null when it can. Billing: a trial that ended
 * without a paid period covering now → `trial_expired`; a paid period that ended without a running
 * trial → `unpaid`; tenants with neither date are never blocked by billing.
 */
export function tenantAvailability(tenant: TenantRecord, now: number = Date.now()): UnavailableReason | null {
  switch (tenant.status) {
    case 'active':
      break;
    case 'suspended':
      return 'suspended';
    case 'provisioning':
      return 'provisioning';
    case 'failed':
      return 'failed';
    case 'deleting':
      return 'deleting';
    case 'maintenance':
      return 'maintenance';
  }
  const trialRunning = tenant.trialEndsAt !== null && tenant.trialEndsAt.getTime() > now;
  const paid = tenant.paidUntil !== null && tenant.paidUntil.getTime() > now;
  if (trialRunning || paid) return null;
  if (tenant.paidUntil !== null) return 'unpaid';
  if (tenant.trialEndsAt !== null) return 'trial_expired';
  return null;
}

/**
 * The host to route by: `X-Forwarded-Host` when the socket peer is a trusted proxy (its last,
 * proxy-added value), else `Host`.
 */
export function effectiveHost(
  hostHeader: string | null | undefined,
  forwardedHost: string | null | undefined,
  peerAddress: string | null | undefined,
  isTrustedProxy: (peer: string | null | undefined) => boolean,
): string | null {
  if (forwardedHost && isTrustedProxy(peerAddress)) {
    const parts = forwardedHost.split(',');
    const last = parts[parts.length - 1]!.trim();
    if (last) return last;
  }
  return hostHeader ?? null;
}

export interface HostRouterOptions {
  baseDomains: readonly string[];
  /** Where failed background refreshes are reported. */
  logger?: Logger;
  lookup: TenantLookup;
  /** How long a lookup (found or not) is trusted without an invalidation; default 5000 ms. */
  ttlMs?: number;
  /**
   * How long past its TTL a found tenant is still served while one background lookup refreshes it
   * (also the grace for a registry that fails to answer); after that the entry is dropped and the next
   * request waits for the registry. Default 3 × `ttlMs`. Unknown hosts are never served stale, so a
   * tenant created by another process is found by the first request after the TTL.
   */
  staleMs?: number;
  /** Cache bound (hosts); the oldest entries go first. Default 50,000. */
  maxEntries?: number;
  /**
   * Up to when every registry change made by other processes is known to have arrived (epoch ms; the
   * change feed's `confirmedAt`). A found tenant past its TTL is served stale only while this is
   * within the TTL; otherwise the request waits for the registry, and fails (503) if it cannot answer,
   * rather than serve a tenant that may have been suspended or deleted meanwhile. Absent: always.
   */
  changesConfirmedAt?: () => number;
  now?: () => number;
}

interface ParsedHost {
  host: string;
  match: HostMatch;
}

interface CacheEntry {
  tenant: TenantRecord | null;
  /** Until then the entry is served without asking the registry. */
  expires: number;
  /** Until then an expired entry is served while a refresh runs; at it the entry is dropped. */
  staleUntil: number;
  /** After a failed background refresh, the next one waits until then. */
  refreshAfter: number;
  /** The slug a subdomain host names (a domain host's entry has none). */
  slug?: string;
}

export interface HostRouterStats {
  /** Served from a fresh entry. */
  hits: number;
  /** Waited for the registry (no entry, an unknown host past its TTL, past the stale window, or unconfirmed). */
  misses: number;
  /** Served from an expired entry while a background refresh ran. */
  staleServed: number;
  /** Background refreshes started / failed. */
  refreshes: number;
  refreshErrors: number;
  cached: number;
}

/** After a failed background refresh, the next try waits this long. */
const REFRESH_RETRY_MS = 1000;

/** Most hosts one background refresh reads together. */
const REFRESH_BATCH_MAX = 500;

const RAW_CACHE_MAX = 4096;

/**
 * `resolveHost` with cached registry lookups: each host's tenant record (or its absence) is kept for
 * `ttlMs`, concurrent misses share one lookup, and `invalidate` / registry change events drop entries
 * at once. A found tenant past its TTL is served at once while a single background lookup refreshes it
 * (stale-while-revalidate, for at most `staleMs`), so a tenant seen less often than the TTL does not
 * put a registry query in its requests' path. Availability (status, trial, payment) is evaluated on
 * every call, never cached.
 */
export class HostRouter {
  readonly baseDomains: readonly string[];
  readonly #lookup: TenantLookup;
  readonly #ttlMs: number;
  readonly #staleMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #changesConfirmedAt: (() => number) | undefined;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #inflight = new Map<string, Promise<TenantRecord | null>>();
  /** Raw Host header → parsed host; bounded, cleared when full. */
  readonly #raw = new Map<string, ParsedHost | null>();
  /** Bumped on every invalidation, so a lookup that started before it is not cached. */
  #generation = 0;
  #hits = 0;
  #misses = 0;
  #staleServed = 0;
  #refreshes = 0;
  #refreshErrors = 0;

  constructor(options: HostRouterOptions) {
    this.baseDomains = [...options.baseDomains];
    this.#lookup = options.lookup;
    this.#ttlMs = options.ttlMs ?? 5000;
    this.#staleMs = options.staleMs ?? 3 * this.#ttlMs;
    this.#maxEntries = options.maxEntries ?? 50_000;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger ?? silentLogger;
    this.#changesConfirmedAt = options.changesConfirmedAt;
  }

  async resolveHost(rawHost: string | null | undefined): Promise<HostResolution> {
    const parsed = this.#parse(rawHost);
    if (parsed === null) return { kind: 'unknown', host: null, reason: 'invalid' };
    const { host, match } = parsed;
    switch (match.kind) {
      case 'platform':
        return { kind: 'platform', host };
      case 'unknown':
        return { kind: 'unknown', host, reason: match.reason };
    }
    const via = match.kind === 'subdomain' ? 'subdomain' : 'domain';
    const now = this.#now();
    let tenant: TenantRecord | null;
    const cached = this.#cache.get(host);
    if (cached !== undefined && cached.expires > now) {
      this.#hits++;
      tenant = cached.tenant;
    } else if (cached !== undefined && cached.staleUntil > now && this.#confirmed(now)) {
      this.#staleServed++;
      tenant = cached.tenant;
      if (cached.refreshAfter <= now) this.#refresh(host, match, cached);
    } else {
      this.#misses++;
      // Past its stale window (or unconfirmed) an entry is gone, even if the registry cannot answer now.
      if (cached !== undefined) this.#cache.delete(host);
      tenant = await this.#load(host, match);
    }
    if (tenant === null) return { kind: 'unknown', host, reason: 'not_found' };
    const reason = tenantAvailability(tenant, now);
    if (reason !== null) return { kind: 'unavailable', host, tenant, reason, via };
    return { kind: 'tenant', host, tenant, via };
  }

  /** Drops what is cached for a tenant (by slug and/or id) and for a domain. */
  invalidate(target: { slug?: string; tenantId?: number; domain?: string }): void {
    this.#generation++;
    if (target.slug) for (const base of this.baseDomains) this.#cache.delete(`${target.slug}.${base}`);
    if (target.domain) {
      const host = normalizeHost(target.domain);
      if (host) this.#cache.delete(host);
    }
    if (target.tenantId !== undefined || target.slug) {
      for (const [host, entry] of this.#cache) {
        if (entry.tenant !== null && (entry.tenant.id === target.tenantId || entry.tenant.slug === target.slug)) this.#cache.delete(host);
      }
    }
  }

  /** Applies a registry change event. */
  applyChange(change: RegistryChange): void {
    this.invalidate({ slug: change.slug, tenantId: change.tenantId, domain: change.domain });
  }

  clear(): void {
    this.#generation++;
    this.#cache.clear();
  }

  stats(): HostRouterStats {
    return {
      hits: this.#hits,
      misses: this.#misses,
      staleServed: this.#staleServed,
      refreshes: this.#refreshes,
      refreshErrors: this.#refreshErrors,
      cached: this.#cache.size,
    };
  }

  /** Whether every change other processes made up to a TTL ago has arrived (see `changesConfirmedAt`). */
  #confirmed(now: number): boolean {
    return this.#changesConfirmedAt === undefined || now - this.#changesConfirmedAt() <= this.#ttlMs;
  }

  /** Raw Host header → normalised host and its match; memoised (the hot path is one Map lookup). */
  #parse(raw: string | null | undefined): ParsedHost | null {
    if (typeof raw !== 'string') return null;
    let parsed = this.#raw.get(raw);
    if (parsed === undefined) {
      const host = normalizeHost(raw);
      parsed = host === null ? null : { host, match: matchHost(host, this.baseDomains) };
      if (this.#raw.size >= RAW_CACHE_MAX) this.#raw.clear();
      this.#raw.set(raw, parsed);
    }
    return parsed;
  }

  /**
   * One background lookup per host (shared with a concurrent miss); a failure keeps the stale entry.
   * With `findTenants`, a subdomain's refresh also takes every other cached tenant host that is past
   * or within half a TTL of its expiry, in the same read: refreshed early, never later, so nothing is
   * served staler than before, and hundreds of warm tenants cost a read every few seconds instead of
   * one per tenant per TTL.
   */
  #refresh(host: string, match: HostMatch, entry: CacheEntry): void {
    if (this.#inflight.has(host)) return;
    this.#refreshes++;
    const batch = match.kind === 'subdomain' && this.#lookup.findTenants ? this.#dueSubdomains(host, match.slug) : null;
    const failed = (hosts: readonly string[]) => (err: unknown) => {
      this.#refreshErrors++;
      this.#logger.warn(
        { err: errorText(err), host, hosts: hosts.length },
        'tenant lookup failed; serving the cached entry a little longer',
      );
      // The stale entries stay (within their stale window, while changes are confirmed); retry a little later.
      const retryAt = this.#now() + Math.min(this.#ttlMs, REFRESH_RETRY_MS);
      for (const h of hosts) {
        const cached = this.#cache.get(h);
        if (cached !== undefined && (h !== host || cached === entry)) cached.refreshAfter = retryAt;
      }
    };
    if (batch === null || batch.length === 1) {
      this.#load(host, match).catch(failed([host]));
      return;
    }
    this.#loadMany(batch).catch(failed(batch.map((b) => b.host)));
  }

  /** `host` first, then the other cached tenant subdomains due within half a TTL that no lookup is reading. */
  #dueSubdomains(host: string, slug: string): { host: string; slug: string }[] {
    const due = [{ host, slug }];
    const horizon = this.#now() + this.#ttlMs / 2;
    for (const [other, cached] of this.#cache) {
      if (due.length >= REFRESH_BATCH_MAX) break;
      if (other === host || cached.tenant === null || cached.slug === undefined || cached.expires > horizon) continue;
      if (this.#inflight.has(other)) continue;
      due.push({ host: other, slug: cached.slug });
    }
    return due;
  }

  /** One read of several subdomains' tenants; each host's answer is also its in-flight lookup. */
  #loadMany(hosts: readonly { host: string; slug: string }[]): Promise<void> {
    const generation = this.#generation;
    const answers = new Map<string, Promise<TenantRecord | null>>();
    const read = (async () => {
      const found = await this.#lookup.findTenants!([...new Set(hosts.map((h) => h.slug))]);
      const bySlug = new Map(found.map((t) => [t.slug, t]));
      if (generation === this.#generation) for (const h of hosts) this.#store(h.host, bySlug.get(h.slug) ?? null, h.slug);
      return bySlug;
    })();
    for (const h of hosts) {
      const answer = read.then((bySlug) => bySlug.get(h.slug) ?? null);
      // A concurrent miss awaits it and sees a failure; nobody else has to.
      answer.catch(() => undefined);
      answers.set(h.host, answer);
      this.#inflight.set(h.host, answer);
    }
    return read
      .finally(() => {
        for (const h of hosts) if (this.#inflight.get(h.host) === answers.get(h.host)) this.#inflight.delete(h.host);
      })
      .then(() => undefined);
  }

  #load(host: string, match: HostMatch): Promise<TenantRecord | null> {
    let pending = this.#inflight.get(host);
    if (pending) return pending;
    const generation = this.#generation;
    pending = (async () => {
      try {
        const tenant = match.kind === 'subdomain' ? await this.#lookup.findTenant(match.slug) : await this.#lookup.findTenantByDomain(host);
        if (generation === this.#generation) this.#store(host, tenant, match.kind === 'subdomain' ? match.slug : undefined);
        return tenant;
      } finally {
        this.#inflight.delete(host);
      }
    })();
    this.#inflight.set(host, pending);
    return pending;
  }

  #store(host: string, tenant: TenantRecord | null, slug: string | undefined): void {
    if (!this.#cache.delete(host) && this.#cache.size >= this.#maxEntries) {
      const oldest = this.#cache.keys().next();
      if (!oldest.done) this.#cache.delete(oldest.value);
    }
    const expires = this.#now() + this.#ttlMs;
    this.#cache.set(host, {
      tenant,
      expires,
      staleUntil: tenant === null ? expires : expires + this.#staleMs,
      refreshAfter: 0,
      ...(slug !== undefined ? { slug } : {}),
    });
  }
}
