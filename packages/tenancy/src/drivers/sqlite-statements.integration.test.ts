import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataTypes, Model, QueryTypes, Transaction, type Sequelize } from 'sequelize';
import sqlite3 from 'sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { closeSequelize, openSequelize, SQLITE_STATEMENT_CACHE_SIZE, type DatabaseSpec } from './index';

const dataDir = mkdtempSync(join(tmpdir(), 'salesfleet-sqlite-statements-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
let n = 0;

async function freshDatabase(): Promise<{ sequelize: Sequelize; path: string }> {
  const name = `tenants/t${++n}.sqlite`;
  const spec: DatabaseSpec = { engine: 'sqlite', database: name, host: null, port: null, user: null, password: null };
  const sequelize = openSequelize(spec, { dataDir, create: true });
  await sequelize.query('CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  await sequelize.query("INSERT INTO things (name) VALUES ('a'), ('b')");
  return { sequelize, path: join(dataDir, name) };
}

/** This process's open file descriptors on the database file (and its -wal and -shm). */
function openFilesOf(path: string): string[] {
  return readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((target) => target.startsWith(path));
}

const select = <R extends object>(sequelize: Sequelize, sql: string) => sequelize.query<R>(sql, { type: QueryTypes.SELECT, raw: true });

/** What another process sees: a checkpoint that must wait for no reader of this connection. */
function checkpointFromElsewhere(path: string): Promise<{ busy: number }> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(path, (err) => {
      if (err) return reject(err);
      db.get('PRAGMA wal_checkpoint(TRUNCATE)', (e, row: { busy: number }) => db.close(() => (e ? reject(e) : resolve(row))));
    });
  });
}

describe('SQLite reads run again on prepared statements', () => {
  it('answer what the database holds now, after writes and a schema change', async () => {
    const { sequelize } = await freshDatabase();
    try {
      const sql = 'SELECT * FROM things ORDER BY id';
      expect(await select(sequelize, sql)).toEqual([
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
      ]);
      await sequelize.query("INSERT INTO things (name) VALUES ('c')");
      expect((await select(sequelize, sql)).map((r) => (r as { name: string }).name)).toEqual(['a', 'b', 'c']);
      await sequelize.query("ALTER TABLE things ADD COLUMN note TEXT NOT NULL DEFAULT 'n'");
      expect(await select(sequelize, sql)).toEqual([
        { id: 1, name: 'a', note: 'n' },
        { id: 2, name: 'b', note: 'n' },
        { id: 3, name: 'c', note: 'n' },
      ]);
      // Bound values are bound again on every run.
      const byName = 'SELECT id FROM things WHERE name = $name';
      expect(await sequelize.query(byName, { type: QueryTypes.SELECT, bind: { name: 'b' } })).toEqual([{ id: 2 }]);
      expect(await sequelize.query(byName, { type: QueryTypes.SELECT, bind: { name: 'c' } })).toEqual([{ id: 3 }]);
      // A statement that does not prepare fails like any other query, every time.
      for (let i = 0; i < 2; i++) await expect(select(sequelize, 'SELECT nope FROM things')).rejects.toThrow(/no such column/);
    } finally {
      await closeSequelize(sequelize);
    }
  });

  it('serve model reads with an include (their column-type lookups go through the same cache)', async () => {
    const { sequelize } = await freshDatabase();
    try {
      class Owner extends Model {
        declare id: number;
        declare name: string;
      }
      Owner.init({ name: DataTypes.STRING }, { sequelize, tableName: 'owners', timestamps: false });
      class Pet extends Model {
        declare id: number;
        declare owner?: Owner;
      }
      Pet.init({ name: DataTypes.STRING }, { sequelize, tableName: 'pets', timestamps: false });
      Pet.belongsTo(Owner, { as: 'owner', foreignKey: 'ownerId' });
      await sequelize.sync();
      const owner = await Owner.create({ name: 'Ann' });
      await Pet.create({ name: 'Rex', ownerId: owner.id });
      const ownerOfRex = async () =>
        (await Pet.findOne({ where: { name: 'Rex' }, include: [{ association: 'owner', required: true }] }))?.owner?.name;
      expect(await ownerOfRex()).toBe('Ann');
      expect(await ownerOfRex()).toBe('Ann');
      await owner.update({ name: 'Bea' });
      expect(await ownerOfRex()).toBe('Bea');
    } finally {
      await closeSequelize(sequelize);
    }
  });

  it('hold no lock once answered, and close with the connection (the file can then go)', async () => {
    const { sequelize, path } = await freshDatabase();
    // More distinct reads than the cache keeps: the oldest are finalized on the way.
    for (let i = 0; i < SQLITE_STATEMENT_CACHE_SIZE + 8; i++) {
      expect(await select(sequelize, `SELECT ${i} AS i, count(*) AS c FROM things`)).toEqual([{ i, c: 2 }]);
      expect(await select(sequelize, 'SELECT count(*) AS c FROM things')).toEqual([{ c: 2 }]);
    }
    await sequelize.query("INSERT INTO things (name) VALUES ('c')");
    expect(await checkpointFromElsewhere(path)).toMatchObject({ busy: 0 });
    // Reads inside a transaction run on the transaction's own connection, closed at its end.
    const inside = await sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, async (transaction) => {
      await sequelize.query("INSERT INTO things (name) VALUES ('d')", { transaction });
      return sequelize.query('SELECT count(*) AS c FROM things', { type: QueryTypes.SELECT, transaction });
    });
    expect(inside).toEqual([{ c: 4 }]);
    expect(await select(sequelize, 'SELECT count(*) AS c FROM things')).toEqual([{ c: 4 }]);
    // SQLite refuses to close a connection with statements left unfinalized (SQLITE_BUSY).
    await expect(sequelize.close()).resolves.toBeUndefined();
    expect(openFilesOf(path)).toEqual([]);
  });
});
