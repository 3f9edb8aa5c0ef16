import { constants, existsSync, copyFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createPrivateFile, makePrivate, makePrivateDir } from '../private-files';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import sqlite3 from 'sqlite3';
import { describeSpec, resolveSqlitePath, type DatabaseSpec } from './spec';
import { MIGRATIONS_TABLE, type DatabaseDriver, type DriverContext } from './types';
import { DatabaseExists, DatabaseUnreachable } from '@salesfleet/contracts';

function open(path: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolvePromise, reject) => {
    const db = new sqlite3.Database(path, mode, (err) => (err ? reject(err) : resolvePromise(db)));
  });
}

function all<T>(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((resolvePromise, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolvePromise(rows as T[]))));
}

function close(db: sqlite3.Database): Promise<void> {
  return new Promise((resolvePromise) => db.close(() => resolvePromise()));
}

/** Opens an existing SQLite file read-only (never creates one), runs `fn`, closes. */
async function withExisting<T>(spec: DatabaseSpec, ctx: DriverContext, fn: (db: sqlite3.Database) => Promise<T>): Promise<T> {
  const path = resolveSqlitePath(ctx.dataDir, spec.database);
  if (!existsSync(path)) throw new DatabaseUnreachable(describeSpec(spec), 'the file does not exist');
  let db: sqlite3.Database;
  try {
    db = await open(path, sqlite3.OPEN_READONLY);
  } catch (err) {
    throw new DatabaseUnreachable(describeSpec(spec), (err as Error).message, { cause: err });
  }
  try {
    db.configure('busyTimeout', 5000);
    return await fn(db);
  } finally {
    await close(db);
  }
}

const SIDE_FILES = ['-wal', '-shm', '-journal'];

export const sqliteDriver: DatabaseDriver = {
  engine: 'sqlite',

  async list(_server, prefix, ctx) {
    const folder = prefix.replace(/\/+$/, '');
    const dir = resolveSqlitePath(ctx.dataDir, folder);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((file) => file.endsWith('.sqlite'))
      .sort()
      .map((file) => `${folder}/${file}`);
  },

  async exists(spec, ctx) {
    return existsSync(resolveSqlitePath(ctx.dataDir, spec.database));
  },

  async inspect(spec, ctx) {
    const path = resolveSqlitePath(ctx.dataDir, spec.database);
    if (!existsSync(path)) return { exists: false, tables: [], migrationRows: null };
    return withExisting(spec, ctx, async (db) => {
      const rows = await all<{ name: string }>(
        db,
        "SELECT name FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' ORDER BY name",
      );
      const tables = rows.map((r) => r.name);
      let migrationRows: number | null = null;
      if (tables.includes(MIGRATIONS_TABLE)) {
        const [row] = await all<{ n: number }>(db, `SELECT COUNT(*) AS n FROM "${MIGRATIONS_TABLE}"`);
        migrationRows = row?.n ?? 0;
      }
      return { exists: true, tables, migrationRows };
    });
  },

  async create(spec, ctx, options = {}) {
    const path = resolveSqlitePath(ctx.dataDir, spec.database);
    makePrivateDir(dirname(path));
    if (options.template) {
      const template = resolveSqlitePath(ctx.dataDir, options.template);
      try {
        copyFileSync(template, path, constants.COPYFILE_EXCL);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new DatabaseExists(describeSpec(spec));
        throw err;
      }
      makePrivate(path);
      return;
    }
    // Created 0600 here, exclusively: of two creators one wins, and SQLite opens the empty file.
    try {
      createPrivateFile(path, { exclusive: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new DatabaseExists(describeSpec(spec));
      throw err;
    }
    const db = await open(path, sqlite3.OPEN_READWRITE);
    try {
      await all(db, 'PRAGMA journal_mode=WAL');
    } finally {
      await close(db);
    }
  },

  async drop(spec, ctx) {
    const path = resolveSqlitePath(ctx.dataDir, spec.database);
    // Take the write lock first: a write transaction another process has begun on the file commits
    // before the file goes (it completes rather than landing in an unlinked file). Held while removing.
    let db: sqlite3.Database | null = null;
    if (existsSync(path)) {
      try {
        db = await open(path, sqlite3.OPEN_READWRITE);
        db.configure('busyTimeout', 10_000);
        await all(db, 'BEGIN IMMEDIATE');
      } catch {
        // Not a database we can lock (corrupt, or not SQLite): removed all the same.
      }
    }
    try {
      for (const suffix of ['', ...SIDE_FILES]) rmSync(`${path}${suffix}`, { force: true });
    } finally {
      if (db) await close(db).catch(() => undefined);
    }
  },

  async ping(spec, ctx) {
    const started = performance.now();
    await withExisting(spec, ctx, async (db) => {
      try {
        await all(db, 'SELECT 1');
      } catch (err) {
        throw new DatabaseUnreachable(describeSpec(spec), (err as Error).message, { cause: err });
      }
    });
    return performance.now() - started;
  },

  async sizeBytes(spec, ctx) {
    const path = resolveSqlitePath(ctx.dataDir, spec.database);
    let total = 0;
    for (const suffix of ['', '-wal']) {
      try {
        total += statSync(`${path}${suffix}`).size;
      } catch {
        if (suffix === '') return null;
      }
    }
    return total;
  },
};
