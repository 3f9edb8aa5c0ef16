import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Harness, RunningServer } from '../lib/harness';
import { ROUTE_PATH } from '../lib/harness';
import { PG_URL, pgAvailable, pgUrlFor } from '../lib/pg';
import type { BenchmarkResult, ResultRow } from '../lib/report';
import { round } from '../lib/stats';
import { assertServes } from './routing';

/** Issue 15's target for the warm authenticated read: this share of the bare server's req/s, at most this p99 ratio. */
const TARGET_RPS_RATIO = 0.7;
const TARGET_P99_RATIO = 1.5;

/**
 * 2. Framework floor, on PostgreSQL and SQLite: the baseline server (the whole app — session check,
 * permission, the product page and its stock, log line, headers — over one fixed database) against a
 * bare node:http + driver server replaying, per request, the SQL statements the baseline sent for
 * one request whose session was not cached (session lookup, product page, stock — what this benchmark
 * always compared); the app skips the session lookup while it holds the session (for a second).
 */
export async function floorBenchmark(h: Harness): Promise<BenchmarkResult> {
  const started = performance.now();
  const rows: ResultRow[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  const template = await h.fixtures.sqliteTemplate();
  const sqliteDir = h.ctx.subdir('floor-sqlite');
  copyFileSync(template.source, join(sqliteDir, 'baseline.sqlite'));
  const sqlite = await floorPair(h, 'SQLite', template.token, {
    baselineEnv: h.fixtures.env(sqliteDir, { BENCH_DB_ENGINE: 'sqlite', BENCH_DB_NAME: 'baseline.sqlite' }),
    bareEnv: { BENCH_SQLITE_FILE: join(sqliteDir, 'baseline.sqlite') },
  });
  rows.push(...sqlite.rows);
  notes.push(...sqlite.notes);
  details.sqlite = sqlite.details;
  if (await pgAvailable()) {
    const pgTemplate = await h.fixtures.pgTemplate();
    const baseDb = await h.fixtures.pgBaseline();
    const pgSide = await floorPair(h, 'PostgreSQL', pgTemplate.token, {
      baselineEnv: h.fixtures.env(h.ctx.subdir('floor-pg'), { BENCH_DB_ENGINE: 'postgres', BENCH_DB_NAME: baseDb, BENCH_PG_URL: PG_URL }),
      bareEnv: { BENCH_PG_URL: pgUrlFor(baseDb) },
    });
    rows.push(...pgSide.rows);
    notes.push(...pgSide.notes);
    details.postgres = pgSide.details;
  } else {
    notes.push(`PostgreSQL not reachable at ${new URL(PG_URL).host}: its pair skipped.`);
  }
  return {
    name: 'floor',
    title: '2. Framework floor (warm authenticated read)',
    rows,
    notes,
    details,
    durationSeconds: (performance.now() - started) / 1000,
  };
}

async function floorPair(
  h: Harness,
  engine: 'SQLite' | 'PostgreSQL',
  token: string,
  env: { baselineEnv: Record<string, string>; bareEnv: Record<string, string> },
): Promise<{ rows: ResultRow[]; notes: string[]; details: Record<string, unknown> }> {
  const tag = engine === 'SQLite' ? 'sqlite' : 'pg';
  const auth = { authorization: `Bearer ${token}` };
  const host = 'floor.localhost';
  const baseline = await h.server('baseline', `floor-baseline-${tag}`, env.baselineEnv);
  let bare: RunningServer | null = null;
  try {
    // The bare server replays what the app sends for a warm request: its session and the user's
    // permissions are cached (the session cache keeps them while the change feed confirms them; the
    // baseline's feed always does), so the page and its stock. Until 7c5c30d a session expired after
    // 1 s and the replay also carried its lookup.
    await assertServes(h, baseline, host, token);
    await baseline.child.request('capture-start');
    const [captured] = await h.sequential(baseline.port, [{ host, path: ROUTE_PATH, headers: auth, label: 'capture' }]);
    if (captured?.status !== 200) throw new Error(`${baseline.name} answered ${captured?.status ?? 'nothing'} to the captured request`);
    const sql = await baseline.child.request<string[]>('capture-stop');
    const steady = await countSteadyStatements(h, baseline, host, auth);
    h.log(`floor/${engine}: the bare server replays ${sql.length} SQL statements per request; the app's warm request sent ${steady}`);
    bare = await h.server('bare', `floor-bare-${tag}`, { ...env.bareEnv, BENCH_SQL: JSON.stringify(sql) });
    const r = await h.interleaved([bare, baseline], {
      path: ROUTE_PATH,
      hosts: [host],
      headers: auth,
      connections: h.ctx.scale.connections,
    });
    const b = r[baseline.name]!;
    const f = r[bare.name]!;
    const label = `2 floor (${engine})`;
    const rpsRatio = round(b.rps / f.rps, 3);
    const p99Ratio = round(b.p99 / f.p99, 3);
    return {
      rows: [
        {
          benchmark: label,
          metric: `req/s, app vs bare node:http + ${engine === 'SQLite' ? 'sqlite3' : 'pg'}, same SQL`,
          value: `${b.rps}`,
          baseline: `${f.rps}`,
          ratio: rpsRatio,
          target: `≥ ${TARGET_RPS_RATIO.toFixed(2)}×`,
          met: rpsRatio >= TARGET_RPS_RATIO,
        },
        {
          benchmark: label,
          metric: 'p99 latency',
          value: `${b.p99} ms`,
          baseline: `${f.p99} ms`,
          ratio: p99Ratio,
          target: `≤ ${TARGET_P99_RATIO.toFixed(1)}×`,
          met: p99Ratio <= TARGET_P99_RATIO,
        },
        {
          benchmark: label,
          metric: 'server CPU µs per request (user + system, all rounds; load-independent)',
          value: `${b.cpuUsPerRequest}`,
          baseline: `${f.cpuUsPerRequest}`,
          ratio: round(b.cpuUsPerRequest / f.cpuUsPerRequest, 3),
        },
        {
          benchmark: label,
          metric: 'SQL statements per request: replayed by the bare server / the app’s warm request',
          value: `${sql.length} / ${steady}`,
        },
      ],
      notes: [
        `${engine}: the bare server replays, per request, the ${sql.length} statements captured from the app's Sequelize log for its first ` +
          `request and sends their rows as JSON; no framework, ORM, middleware or log line. Captured SQL: ${sql
            .map((s) => `\`${s.length > 120 ? `${s.slice(0, 117)}…` : s}\``)
            .join('; ')}`,
      ],
      details: { baseline: b, bare: f, sql, steadyStatements: steady },
    };
  } finally {
    await Promise.all([baseline.child.stop(), bare?.child.stop()]);
  }
}

/** Statements of one request after a few (the session and permissions cached). */
async function countSteadyStatements(h: Harness, server: RunningServer, host: string, headers: Record<string, string>): Promise<number> {
  await h.sequential(server.port, [{ host, path: ROUTE_PATH, headers, label: 'warm' }]);
  await server.child.request('capture-start');
  await h.sequential(server.port, [{ host, path: ROUTE_PATH, headers, label: 'capture' }]);
  return (await server.child.request<string[]>('capture-stop')).length;
}
