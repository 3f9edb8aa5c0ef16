import { QueryTypes, type Sequelize } from 'sequelize';

export interface LoginThrottleOptions {
  maxFailures: number;
  windowMs: number;
  /** Where attempts are counted; default this process's memory. */
  store: AttemptStore;
}

/**
 * Counts of sign-in attempts per key (an account, a client address) in a window that opens at a key's
 * first attempt and lasts `windowMs`. Every method is atomic per key: two callers never both see the
 * last free attempt.
 */
export interface AttemptStore {
  /** Counts one attempt on each key and returns each key's count in its window and when that window opened. */
  hit(keys: readonly string[], now: number, windowMs: number): Promise<{ count: number; startedAt: number }[]>;
  /** Takes one attempt back from each key (the attempt was not a failure). */
  giveBack(keys: readonly string[]): Promise<void>;
  /** Forgets a key (a successful sign-in clears the account). */
  clear(key: string): Promise<void>;
}

/** Attempts in this process's memory: right for one API process; several processes each count their own. */
export class MemoryAttemptStore implements AttemptStore {
  readonly #windows = new Map<string, { count: number; startedAt: number }>();
  readonly #maxKeys: number;

  /** `maxKeys` bounds memory against a flood of made-up logins (least recently hit keys go first). */
  constructor(maxKeys = 100_000) {
    this.#maxKeys = maxKeys;
  }

  async hit(keys: readonly string[], now: number, windowMs: number) {
    const out = keys.map((key) => {
      const current = this.#windows.get(key);
      const next =
        current && current.startedAt > now - windowMs
          ? { count: current.count + 1, startedAt: current.startedAt }
          : { count: 1, startedAt: now };
      this.#windows.delete(key); // re-insert: Map order doubles as least recently hit first
      this.#windows.set(key, next);
      return next;
    });
    while (this.#windows.size > this.#maxKeys) {
      const oldest = this.#windows.keys().next().value;
      if (oldest === undefined) break;
      this.#windows.delete(oldest);
    }
    return out;
  }

  async giveBack(keys: readonly string[]) {
    for (const key of keys) {
      const current = this.#windows.get(key);
      if (current && current.count > 0) current.count--;
    }
  }

  async clear(key: string) {
    this.#windows.delete(key);
  }
}

/**
 * Attempts in the registry's `sign_in_attempts` table, so every API process on the registry counts
 * together. Each hit is one `INSERT … ON CONFLICT DO UPDATE … RETURNING` (atomic per row on PostgreSQL
 * and SQLite); keys are taken in a fixed order so two hits on the same pair cannot deadlock.
 */
export class RegistryAttemptStore implements AttemptStore {
  readonly #sequelize: Sequelize;
  #hits = 0;

  constructor(sequelize: Sequelize) {
    const dialect = sequelize.getDialect();
    if (dialect !== 'postgres' && dialect !== 'sqlite') throw new Error(`RegistryAttemptStore needs PostgreSQL or SQLite, not ${dialect}`);
    this.#sequelize = sequelize;
  }

  async hit(keys: readonly string[], now: number, windowMs: number) {
    const byKey = new Map<string, { count: number; startedAt: number }>();
    for (const key of [...new Set(keys)].sort()) {
      const [row] = await this.#sequelize.query<{ failures: number | string; window_started_at: number | string }>(
        // The leading comment keeps Sequelize's SQLite dialect from treating this as a plain INSERT
        // (run without rows); it must return the row.
        `/* upsert returning */ INSERT INTO sign_in_attempts (throttle_key, window_started_at, failures) VALUES (:key, :now, 1)
         ON CONFLICT (throttle_key) DO UPDATE SET
           window_started_at = CASE WHEN sign_in_attempts.window_started_at <= :cutoff THEN :now ELSE sign_in_attempts.window_started_at END,
           failures = CASE WHEN sign_in_attempts.window_started_at <= :cutoff THEN 1 ELSE sign_in_attempts.failures + 1 END
         RETURNING failures, window_started_at`,
        { replacements: { key, now, cutoff: now - windowMs }, type: QueryTypes.SELECT },
      );
      byKey.set(key, { count: Number(row!.failures), startedAt: Number(row!.window_started_at) });
    }
    // Keys whose window has closed are worth nothing: sweep them now and then, so a flood of made-up
    // logins cannot grow the table without bound.
    if (++this.#hits % 200 === 0) {
      await this.#sequelize.query('DELETE FROM sign_in_attempts WHERE window_started_at <= :cutoff', {
        replacements: { cutoff: now - windowMs },
      });
    }
    return keys.map((key) => byKey.get(key)!);
  }

  async giveBack(keys: readonly string[]) {
    await this.#sequelize.query('UPDATE sign_in_attempts SET failures = failures - 1 WHERE throttle_key IN (:keys) AND failures > 0', {
      replacements: { keys: [...keys] },
    });
  }

  async clear(key: string) {
    await this.#sequelize.query('DELETE FROM sign_in_attempts WHERE throttle_key = :key', { replacements: { key } });
  }
}

/**
 * The sign-in throttle: at most `maxFailures` attempts per key per window. An attempt is counted
 * *before* its password is checked, so parallel requests cannot all slip past the check (59 of 60
 * once reached the hash); a success clears the account and gives the attempt back to the client.
 */
export class LoginThrottle {
  readonly #options: LoginThrottleOptions;

  constructor(options: Partial<LoginThrottleOptions> = {}) {
    this.#options = { maxFailures: 5, windowMs: 15 * 60_000, store: options.store ?? new MemoryAttemptStore(), ...options };
  }

  /** Counts an attempt on every key; returns 0 when it may go ahead, else the seconds until it may. */
  async begin(keys: readonly string[], now = Date.now()): Promise<number> {
    const { maxFailures, windowMs, store } = this.#options;
    const windows = await store.hit(keys, now, windowMs);
    let waitMs = 0;
    for (const w of windows) if (w.count > maxFailures) waitMs = Math.max(waitMs, w.startedAt + windowMs - now);
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
  }

  /** The attempt succeeded: the account starts afresh and the client gets its attempt back. */
  async succeeded(keys: readonly [accountKey: string, clientKey: string]): Promise<void> {
    await this.#options.store.clear(keys[0]);
    await this.#options.store.giveBack([keys[1]]);
  }

  /** The attempt was never judged (shed, or refused before the check): give it back on every key. */
  async notJudged(keys: readonly string[]): Promise<void> {
    await this.#options.store.giveBack(keys);
  }
}

/** The throttle keys of one sign-in attempt: the account (or the login name when unknown) and the client. */
export function signInKeys(realm: string, account: string, clientAddress: string | null): [string, string] {
  return [`${realm}|account|${account}`, `${realm}|client|${clientAddress ?? 'unknown'}`];
}
