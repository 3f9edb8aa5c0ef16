/**
 * The floor: bare `node:http` + the driver — `pg` (a pool of 3, like a tenant handle) or `sqlite3`
 * (one connection, like Sequelize's per file) — replaying, for every request, the SQL statements the
 * baseline app sent for one warm request of the same route (captured from Sequelize's logging, so
 * "the same query" holds by construction), then serialising the rows as JSON. No framework, no ORM, no
 * middleware, no log line.
 *
 * Env: BENCH_SQL (JSON array of statements; the rows of all of them are sent back) and either
 * BENCH_PG_URL (the PostgreSQL database) or BENCH_SQLITE_FILE (the SQLite file).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import { serveRequests } from '../lib/child';

const statements = JSON.parse(process.env.BENCH_SQL ?? '[]') as string[];
const sqliteFile = process.env.BENCH_SQLITE_FILE;

type Rows = Record<string, unknown>[];
let query: (sql: string) => Promise<Rows>;
let end: () => Promise<void>;
if (sqliteFile) {
  const db = new sqlite3.Database(sqliteFile);
  db.configure('busyTimeout', 5000);
  query = (sql) => new Promise((resolve, reject) => db.all(sql, (err, rows) => (err ? reject(err) : resolve(rows as Rows))));
  end = () => new Promise((resolve) => db.close(() => resolve()));
} else {
  const pool = new pg.Pool({ connectionString: process.env.BENCH_PG_URL, max: 3, application_name: 'salesfleet' });
  // BIGINT counts as numbers, as the tenant handles parse them.
  pg.types.setTypeParser(20, (v) => Number(v));
  query = async (sql) => (await pool.query(sql)).rows as Rows;
  end = () => pool.end();
}

const server = http.createServer((req, res) => {
  if (!req.headers.authorization) {
    res.writeHead(401).end();
    return;
  }
  void (async () => {
    try {
      const results: Rows[] = [];
      for (const sql of statements) results.push(await query(sql));
      const body = JSON.stringify({ results });
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
  await end();
});
server.listen(0, '127.0.0.1', () => child.ready({ port: (server.address() as AddressInfo).port, pid: process.pid }));
