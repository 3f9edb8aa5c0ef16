import pg from 'pg';
import { ownCpuMicros } from './process-cpu';

/** The PostgreSQL server tenant databases go to (same default and override as the test suite). */
export const PG_URL =
  process.env.SALESFLEET_BENCH_POSTGRES_URL ?? process.env.SALESFLEET_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function pgUrlFor(database: string): string {
  const u = new URL(PG_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

export function pgServer(): { host: string; port: number; user: string | null } {
  const u = new URL(PG_URL);
  return { host: u.hostname, port: Number(u.port || 5432), user: u.username ? decodeURIComponent(u.username) : null };
}

async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000, application_name: 'salesfleet-bench' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function pgAvailable(): Promise<boolean> {
  try {
    await withClient((c) => c.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

export async function pgServerInfo(): Promise<{ version: string; maxConnections: number; reserved: number }> {
  return withClient(async (c) => {
    const r = await c.query<{ v: string; m: string; r: string }>(
      "SELECT current_setting('server_version') AS v, current_setting('max_connections') AS m, current_setting('superuser_reserved_connections') AS r",
    );
    const row = r.rows[0]!;
    return { version: row.v, maxConnections: Number(row.m), reserved: Number(row.r) };
  });
}

const SAFE_NAME = /^[a-z0-9_]+$/;

function quoted(name: string): string {
  if (!SAFE_NAME.test(name)) throw new Error(`unsafe database name ${name}`);
  return `"${name}"`;
}

/** CREATE DATABASE … TEMPLATE, a few at a time (parallel creates share WAL flushes). */
export async function cloneDatabases(template: string, names: readonly string[], concurrency = 4): Promise<void> {
  const clients = await Promise.all(
    Array.from({ length: Math.min(concurrency, names.length) }, async () => {
      const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000, application_name: 'salesfleet-bench' });
      await client.connect();
      return client;
    }),
  );
  try {
    let next = 0;
    await Promise.all(
      clients.map(async (client) => {
        while (next < names.length) {
          const name = names[next++]!;
          await client.query(`CREATE DATABASE ${quoted(name)} TEMPLATE ${quoted(template)}`);
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}

/** Names of the databases starting with one of `prefixes`. */
export async function databasesWithPrefix(prefixes: readonly string[]): Promise<string[]> {
  return withClient(async (c) => {
    const patterns = prefixes.map((p) => `${p.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
    const r = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE ANY($1::text[]) ORDER BY datname', [
      patterns,
    ]);
    return r.rows.map((row) => row.datname);
  });
}

/**
 * Drops every database whose name starts with one of `prefixes` (the run's own). Each DROP DATABASE
 * forces a checkpoint on PostgreSQL 15, ~1 s on this machine's disk, and concurrent drops queue
 * behind each other, so they go one at a time with progress.
 */
export async function dropDatabasesWithPrefix(
  prefixes: readonly string[],
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const names = await databasesWithPrefix(prefixes);
  await withClient(async (c) => {
    let done = 0;
    for (const name of names) {
      await c.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`);
      onProgress?.(++done, names.length);
    }
  });
  return names.length;
}

/**
 * Samples `pg_stat_activity` every `everyMs`: backends connected to databases whose names start with
 * `prefix` (this run's tenants only — other users of the server are not counted).
 */
export class BackendSampler {
  readonly #prefix: string;
  readonly #everyMs: number;
  #client: pg.Client | null = null;
  #timer: NodeJS.Timeout | null = null;
  #busy = false;
  samples: number[] = [];

  constructor(prefix: string, everyMs = 100) {
    this.#prefix = prefix;
    this.#everyMs = everyMs;
  }

  async start(): Promise<void> {
    this.#client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000, application_name: 'salesfleet-bench' });
    await this.#client.connect();
    this.samples = [];
    this.#timer = setInterval(() => void this.#sample(), this.#everyMs);
  }

  async #sample(): Promise<void> {
    if (this.#busy || !this.#client) return;
    this.#busy = true;
    try {
      const r = await this.#client.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE starts_with(datname, $1)', [
        this.#prefix,
      ]);
      this.samples.push(Number(r.rows[0]!.n));
    } catch {
      // A failed sample is skipped; the run's verdict uses the ones taken.
    } finally {
      this.#busy = false;
    }
  }

  async stop(): Promise<{ max: number; median: number; samples: number }> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#sample();
    await this.#client?.end().catch(() => undefined);
    this.#client = null;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return { max: sorted.at(-1) ?? 0, median: sorted[Math.floor(sorted.length / 2)] ?? 0, samples: sorted.length };
  }
}

/** Connections still free on the server now (max_connections minus every backend in use). */
export async function pgFreeConnections(): Promise<number> {
  return withClient(async (c) => {
    const r = await c.query<{ m: string; n: string }>(
      "SELECT current_setting('max_connections') AS m, (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS n",
    );
    return Number(r.rows[0]!.m) - Number(r.rows[0]!.n);
  });
}

/** Median time (ms) of a bare pg connect + SELECT 1 + end to `databases` in turn: this machine's floor for a new connection. */
export async function pgConnectFloor(databases: readonly string[], samples = 20): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    const client = new pg.Client({ connectionString: pgUrlFor(databases[i % databases.length]!), connectionTimeoutMillis: 5000 });
    await client.connect();
    await client.query('SELECT 1');
    times.push(performance.now() - t0);
    await client.end();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Samples what the run's backends (databases starting with `prefix`) are doing, every `everyMs`:
 * one count per backend and sample under `state` + `wait_event_type:wait_event` (`active CPU` when
 * active without a wait; `idle in transaction Client:ClientRead` is a transaction waiting for the
 * application, `Lock:transactionid`/`Lock:tuple` a row lock held by another transaction, `IO:WALSync`
 * a commit's flush), plus the row/relation locks not granted.
 */
export class WaitSampler {
  readonly #prefix: string;
  readonly #everyMs: number;
  #client: pg.Client | null = null;
  #timer: NodeJS.Timeout | null = null;
  #busy = false;
  #samples = 0;
  readonly counts: Record<string, number> = {};
  lockWaits = 0;

  constructor(prefix: string, everyMs = 20) {
    this.#prefix = prefix;
    this.#everyMs = everyMs;
  }

  async start(): Promise<void> {
    this.#client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000, application_name: 'salesfleet-bench' });
    await this.#client.connect();
    this.#timer = setInterval(() => void this.#sample(), this.#everyMs);
  }

  async #sample(): Promise<void> {
    if (this.#busy || !this.#client) return;
    this.#busy = true;
    try {
      const r = await this.#client.query<{ what: string; n: string; waiting: string }>(
        `SELECT a.state || ' ' || COALESCE(a.wait_event_type || ':' || a.wait_event, 'CPU') AS what, count(*) AS n,
                (SELECT count(*) FROM pg_locks l JOIN pg_stat_activity b ON b.pid = l.pid
                  WHERE NOT l.granted AND starts_with(b.datname, $1)) AS waiting
           FROM pg_stat_activity a
          WHERE starts_with(a.datname, $1) AND a.state <> 'idle' AND a.pid <> pg_backend_pid()
          GROUP BY 1`,
        [this.#prefix],
      );
      this.#samples++;
      for (const row of r.rows) this.counts[row.what] = (this.counts[row.what] ?? 0) + Number(row.n);
      this.lockWaits += Number(r.rows[0]?.waiting ?? 0);
    } catch {
      // A failed sample is skipped.
    } finally {
      this.#busy = false;
    }
  }

  /** Per state/wait: backends in it on average over the samples (0.5 = half a backend all along). */
  async stop(): Promise<{ samples: number; average: Record<string, number>; lockWaitsAverage: number }> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#client?.end().catch(() => undefined);
    this.#client = null;
    const n = Math.max(1, this.#samples);
    const average = Object.fromEntries(
      Object.entries(this.counts)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, Math.round((v / n) * 100) / 100]),
    );
    return { samples: this.#samples, average, lockWaitsAverage: Math.round((this.lockWaits / n) * 100) / 100 };
  }
}

/**
 * CPU time (user + system, µs, from /proc) of the run's backends — databases starting with `prefix`,
 * other users of the server not counted — between `start` and `stop`, sampled every `everyMs` so that
 * backends opened and closed meanwhile count too (from 0: their start-up is part of their cost; one
 * that lived less than a sample is missed — `sessions` counts every backend opened, from
 * pg_stat_database). Backends run on the database server's host: this must be the same machine.
 */
export class BackendCpuSampler {
  readonly #prefix: string;
  readonly #everyMs: number;
  #client: pg.Client | null = null;
  #timer: NodeJS.Timeout | null = null;
  #busy: Promise<void> | null = null;
  /** Per backend pid: CPU when first seen in this window (0 if it started in it) and when last seen. */
  #seen = new Map<number, { from: number; last: number }>();
  #sessionsBefore = 0;

  constructor(prefix: string, everyMs = 200) {
    this.#prefix = prefix;
    this.#everyMs = everyMs;
  }

  async #pids(): Promise<number[]> {
    const r = await this.#client!.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE starts_with(datname, $1) AND backend_type = 'client backend'",
      [this.#prefix],
    );
    return r.rows.map((row) => row.pid);
  }

  async #sessions(): Promise<number> {
    const r = await this.#client!.query<{ n: string | null }>(
      'SELECT sum(sessions) AS n FROM pg_stat_database WHERE starts_with(datname, $1)',
      [this.#prefix],
    );
    return Number(r.rows[0]!.n ?? 0);
  }

  async #sample(first: boolean): Promise<void> {
    for (const pid of await this.#pids()) {
      const cpu = await ownCpuMicros(pid);
      if (cpu === 0 && !this.#seen.has(pid)) continue;
      const entry = this.#seen.get(pid);
      if (entry) entry.last = Math.max(entry.last, cpu);
      else this.#seen.set(pid, { from: first ? cpu : 0, last: cpu });
    }
  }

  #tick(): void {
    if (this.#busy) return;
    this.#busy = this.#sample(false)
      .catch(() => undefined)
      .finally(() => {
        this.#busy = null;
      });
  }

  async start(): Promise<void> {
    if (!this.#client) {
      const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000, application_name: 'salesfleet-bench' });
      await client.connect();
      this.#client = client;
    }
    this.#seen = new Map();
    this.#sessionsBefore = await this.#sessions();
    await this.#sample(true);
    this.#timer = setInterval(() => this.#tick(), this.#everyMs);
  }

  /** Backends' CPU (µs) since `start`, and the backends opened meanwhile. */
  async stop(): Promise<{ cpuMicros: number; sessions: number }> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#busy;
    await this.#sample(false);
    let cpuMicros = 0;
    for (const { from, last } of this.#seen.values()) cpuMicros += last - from;
    return { cpuMicros, sessions: (await this.#sessions()) - this.#sessionsBefore };
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#client?.end().catch(() => undefined);
    this.#client = null;
  }
}
