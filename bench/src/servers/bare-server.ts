/**
 * The floor: bare `node:http` + `pg` (a pool of 3, like a tenant handle) replaying, for every
 * request, the SQL statements the baseline app sent for one warm request of the same route
 * (captured from Sequelize's logging, so "the same query" holds by construction), then serialising
 * the rows as JSON. No framework, no ORM, no middleware, no log line.
 *
 * Env: BENCH_PG_URL (the database), BENCH_SQL (JSON array of statements; the last two are the
 * count and the page of the list route).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { serveRequests } from '../lib/child';

const statements = JSON.parse(process.env.BENCH_SQL ?? '[]') as string[];
const pool = new pg.Pool({ connectionString: process.env.BENCH_PG_URL, max: 3, application_name: 'salesfleet' });
// BIGINT counts as numbers, as the tenant handles parse them.
pg.types.setTypeParser(20, (v) => Number(v));

const server = http.createServer((req, res) => {
  if (!req.headers.authorization) {
    res.writeHead(401).end();
    return;
  }
  void (async () => {
    try {
      const results: pg.QueryResult[] = [];
      for (const sql of statements) results.push(await pool.query(sql));
      const page = results.at(-1)!.rows;
      const total = Number((results.at(-2)?.rows[0] as { count?: number } | undefined)?.count ?? page.length);
      const body = JSON.stringify({ items: page, total, limit: 20, offset: 0 });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
    } catch (err) {
      process.stderr.write(`${(err as Error).message}\n`);
      res.writeHead(500).end();
    }
  })();
});

const child = serveRequests({}, async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await pool.end();
});
server.listen(0, '127.0.0.1', () => child.ready({ port: (server.address() as AddressInfo).port, pid: process.pid }));
