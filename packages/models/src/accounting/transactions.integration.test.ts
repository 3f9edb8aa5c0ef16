import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawReads } from '../raw-select';
import { openTestTenant, type TestTenant } from '../sales/test-tenant';
import { testDialects } from '../testing';
import { commitWithLastQuery, RetryableConflict, writeTransaction } from './transactions';

// PostgreSQL's write transactions (the patched Sequelize, patches/sequelize@6.37.8.patch): the START
// TRANSACTION goes with the first query, and the last query may carry the COMMIT — with Sequelize's
// bookkeeping (afterCommit hooks, the connection back in the pool) as with its own COMMIT.
const dialects = (await testDialects()).filter((d) => d === 'postgres');

describe.each(dialects)('write transactions on %s', (dialect) => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await openTestTenant(dialect);
  });
  afterAll(() => t?.cleanup());

  /** The queries sent to the server while `fn` runs, as Sequelize logs them (one per round trip). */
  async function sent(fn: () => Promise<unknown>): Promise<string[]> {
    const lines: string[] = [];
    const options = (t.models.sequelize as unknown as { options: { logging: unknown } }).options;
    const logging = options.logging;
    options.logging = (line: string) => lines.push(line.replace(/^Executing \([^)]*\): /, ''));
    try {
      await fn();
    } finally {
      options.logging = logging;
    }
    return lines;
  }

  const pool = () => (t.models.sequelize.connectionManager as unknown as { pool: { using: number } }).pool;
  const read = (sql: string) => ({ sql, read: (rows: Record<string, unknown>[]) => rows });

  it('sends nothing for a transaction that sends nothing, whether it commits or throws', async () => {
    expect(await sent(() => writeTransaction(t.models.sequelize, async () => 42))).toEqual([]);
    const failing = writeTransaction(t.models.sequelize, async () => {
      throw new Error('before any query');
    });
    expect(await sent(() => failing.catch(() => undefined))).toEqual([]);
    expect(pool().using).toBe(0);
  });

  it('starts the transaction in its first query, or just before one with bound parameters', async () => {
    const plain = await sent(() =>
      writeTransaction(t.models.sequelize, (transaction) => rawReads(t.models.sequelize, [read('SELECT 1 AS one')], transaction)),
    );
    expect(plain).toEqual(['START TRANSACTION ISOLATION LEVEL READ COMMITTED;\n/* statements: 1 */ SELECT 1 AS one', 'COMMIT;']);
    const bound = await sent(() =>
      writeTransaction(t.models.sequelize, (transaction) =>
        t.models.Customer.create({ name: 'Bound', email: null } as never, { transaction }),
      ),
    );
    expect(bound[0]).toBe('START TRANSACTION ISOLATION LEVEL READ COMMITTED;');
    expect(bound[1]).toMatch(/^INSERT INTO "customers"/);
    expect(bound.at(-1)).toBe('COMMIT;');
  });

  it('commits with the last query: the afterCommit hooks run once, no COMMIT follows, the work never runs again', async () => {
    let hooks = 0;
    let runs = 0;
    const lines = await sent(() =>
      writeTransaction(t.models.sequelize, async (transaction) => {
        runs++;
        transaction.afterCommit(() => {
          hooks++;
        });
        const [rows] = await rawReads<[Record<string, unknown>[]]>(
          t.models.sequelize,
          [read('SELECT 2 AS two')],
          transaction,
          commitWithLastQuery(transaction),
        );
        expect(rows).toEqual([{ two: 2 }]);
      }),
    );
    expect(lines).toEqual(['START TRANSACTION ISOLATION LEVEL READ COMMITTED;\n/* statements: 1 */ SELECT 2 AS two;\nCOMMIT']);
    expect([hooks, runs, pool().using]).toEqual([1, 1, 0]);

    // Committed, then a "retry" error: not run again (the work is done), and the error still reaches the caller.
    runs = 0;
    const after = writeTransaction(t.models.sequelize, async (transaction) => {
      runs++;
      await rawReads(t.models.sequelize, [read('SELECT 3 AS three')], transaction, commitWithLastQuery(transaction));
      throw new RetryableConflict('after the commit');
    });
    await expect(after).rejects.toThrow('after the commit');
    expect([runs, pool().using]).toEqual([1, 0]);
  });

  it('never commits with a query of work that joined a transaction: its opener goes on after it', async () => {
    const outer = await sent(() =>
      writeTransaction(t.models.sequelize, async (transaction) => {
        expect(commitWithLastQuery(transaction)).toEqual({ commitsTransaction: true });
        await writeTransaction(
          t.models.sequelize,
          async (joinedTransaction) => {
            expect(commitWithLastQuery(joinedTransaction)).toEqual({});
          },
          { transaction },
        );
        // Joined once: the opener's own last query may not commit either (it cannot know it is last).
        expect(commitWithLastQuery(transaction)).toEqual({});
        await rawReads(t.models.sequelize, [read('SELECT 1 AS "one"')], transaction);
      }),
    );
    expect(outer.at(-1)).toBe('COMMIT;');
  });

  it('rolls back a query that failed before its COMMIT', async () => {
    const before = await t.models.Customer.count();
    const failing = writeTransaction(t.models.sequelize, async (transaction) => {
      const c = await t.models.Customer.create({ name: 'Rolled back', email: null } as never, { transaction });
      await rawReads(t.models.sequelize, [read(`SELECT ${c.id} / 0 AS boom`)], transaction, commitWithLastQuery(transaction));
    });
    await expect(failing).rejects.toThrow(/division by zero/);
    expect(await t.models.Customer.count()).toBe(before);
    expect(pool().using).toBe(0);
  });
});
