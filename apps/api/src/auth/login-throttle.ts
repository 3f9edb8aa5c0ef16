export interface LoginThrottleOptions {
  maxFailures: number;
  windowMs: number;
  /** Bound on remembered keys, so a flood of made-up logins cannot grow memory without limit. */
  maxKeys: number;
}

/**
 * Failed sign-ins per key (an account, a client address) in a sliding window: after `maxFailures`
 * failures within `windowMs` the key is blocked until the oldest of them leaves the window.
 *
 * State lives in this process's memory: each API process counts on its own, and a restart forgets.
 * Behind a load balancer with N processes an attacker gets at most N × maxFailures tries per window;
 * a shared store (the registry, Redis) is the upgrade path if that is ever too generous.
 */
export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();
  readonly #options: LoginThrottleOptions;

  constructor(options: Partial<LoginThrottleOptions> = {}) {
    this.#options = { maxFailures: 5, windowMs: 15 * 60_000, maxKeys: 100_000, ...options };
  }

  /** Seconds until every key may try again; 0 when none is blocked. */
  retryAfterSeconds(keys: readonly string[], now = Date.now()): number {
    let waitMs = 0;
    for (const key of keys) {
      const recent = this.#recent(key, now);
      if (recent.length >= this.#options.maxFailures) {
        const oldest = recent[recent.length - this.#options.maxFailures]!;
        waitMs = Math.max(waitMs, oldest + this.#options.windowMs - now);
      }
    }
    return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
  }

  recordFailure(keys: readonly string[], now = Date.now()): void {
    for (const key of keys) {
      const recent = this.#recent(key, now);
      recent.push(now);
      // Only the last maxFailures timestamps matter.
      if (recent.length > this.#options.maxFailures) recent.splice(0, recent.length - this.#options.maxFailures);
      this.#failures.delete(key); // re-insert: Map order doubles as least-recently-failed first
      this.#failures.set(key, recent);
    }
    while (this.#failures.size > this.#options.maxKeys) {
      const oldest = this.#failures.keys().next().value;
      if (oldest === undefined) break;
      this.#failures.delete(oldest);
    }
  }

  /** A successful sign-in clears the account's failures (not the client address's). */
  reset(key: string): void {
    this.#failures.delete(key);
  }

  #recent(key: string, now: number): number[] {
    const list = this.#failures.get(key);
    if (!list) return [];
    const from = now - this.#options.windowMs;
    const kept = list.filter((t) => t > from);
    if (kept.length === 0) this.#failures.delete(key);
    else if (kept.length !== list.length) this.#failures.set(key, kept);
    return kept;
  }
}

/** The throttle keys of one sign-in attempt: the account (or the login name when unknown) and the client. */
export function signInKeys(realm: string, account: string, clientAddress: string | null): [string, string] {
  return [`${realm}|account|${account}`, `${realm}|client|${clientAddress ?? 'unknown'}`];
}
