/**
 * `tsx src/profile/pg-connect.ts [n]` — what opening a PostgreSQL tenant handle costs, step by step,
 * with raw pg: connect, Sequelize's per-connection SETs, Sequelize's pg_type OID query (run once per
 * Sequelize instance), SELECT 1+1 — on databases never connected to, then again on the same ones.
 */
import pg from 'pg';
import { Fixtures } from '../lib/fixtures';
import { pgUrlFor } from '../lib/pg';
import { RunContext, runScale } from '../lib/run-context';
import { median, round } from '../lib/stats';

const OIDS =
  "WITH ranges AS (  SELECT pg_range.rngtypid, pg_type.typname AS rngtypname,         pg_type.typarray AS rngtyparray, pg_range.rngsubtype    FROM pg_range LEFT OUTER JOIN pg_type ON pg_type.oid = pg_range.rngtypid)SELECT pg_type.typname, pg_type.typtype, pg_type.oid, pg_type.typarray,       ranges.rngtypname, ranges.rngtypid, ranges.rngtyparray  FROM pg_type LEFT OUTER JOIN ranges ON pg_type.oid = ranges.rngsubtype WHERE (pg_type.typtype IN('b', 'e'));";
const n = Number(process.argv[2] ?? 10);
const ctx = new RunContext(runScale(true));
ctx.cleanup.installSignalHandlers();
try {
  const names = await new Fixtures(ctx).pgDatabases(n);
  for (const pass of ['first connection', 'reconnect']) {
    const t: Record<string, number[]> = {};
    for (const name of names) {
      const c = new pg.Client({ connectionString: pgUrlFor(name) });
      let t0 = performance.now();
      const step = (k: string) => {
        const now = performance.now();
        (t[k] ??= []).push(now - t0);
        t0 = now;
      };
      await c.connect();
      step('connect');
      await c.query("SET client_min_messages TO warning;SET TIME ZONE '+00:00';");
      step('SETs');
      const r = await c.query(OIDS);
      step(`pg_type OIDs (${r.rowCount} rows)`);
      await c.query('SELECT 1+1 AS result');
      step('SELECT 1+1');
      await c.query('SELECT count(*) FROM products');
      step('first table query');
      await c.end();
    }
    process.stdout.write(`${pass} (median of ${names.length}):\n`);
    for (const [k, xs] of Object.entries(t)) process.stdout.write(`  ${k.padEnd(28)} ${round(median(xs), 2)} ms\n`);
  }
} finally {
  await ctx.cleanup.run();
}
