import { describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects } from './databases';

const dialects = await testDialects();

describe.each(dialects)('createTestDatabase on %s', (dialect) => {
  it('creates a usable database and drops it', async () => {
    const db = await createTestDatabase(dialect);
    const s = db.connect();
    await s.query('CREATE TABLE probe (id INTEGER PRIMARY KEY)');
    await s.query('INSERT INTO probe (id) VALUES (7)');
    const [rows] = await s.query('SELECT id FROM probe');
    expect(rows).toEqual([{ id: 7 }]);
    await db.drop();
    // after drop, a fresh connection cannot see the table any more
    if (dialect === 'sqlite') {
      const { existsSync } = await import('node:fs');
      expect(existsSync(db.name)).toBe(false);
    } else {
      const again = await createTestDatabase(dialect);
      const t = again.connect();
      const [dbs] = await t.query(dialect === 'postgres' ? 'SELECT datname AS name FROM pg_database' : 'SHOW DATABASES');
      const names = (dbs as Record<string, string>[]).map((r) => r.name ?? r.Database);
      expect(names).not.toContain(db.name);
      await again.drop();
    }
  });
});
