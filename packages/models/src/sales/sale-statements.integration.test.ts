import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookViolations, testDialects } from '../testing';
import { writeInvoice } from './invoicing';
import { units } from './quantity';
import { openTestTenant, type TestTenant } from './test-tenant';

// Issue 15.3: the write path. A walk-in cash sale of three products is one transaction of a fixed,
// small number of statements: rows of one kind are written in one statement (invoice lines, stock
// movements, journal lines), the three products' valuation in one UPDATE — not one per line.

const dialects = await testDialects();

describe.each(dialects)('statements of a three-line cash sale on %s', (dialect) => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await openTestTenant(dialect);
  });
  afterAll(() => t?.cleanup());

  it('writes each kind of row in one statement, and the books hold', async () => {
    const products = [
      await t.product({ costPrice: 400 }, 50),
      await t.product({ costPrice: 250 }, 50),
      await t.product({ costPrice: 100 }, 50),
    ];
    const sale = () =>
      writeInvoice(t.models, {
        locationId: t.locationId,
        userId: t.userId,
        lines: products.map((p, i) => ({ productId: p.id, quantity: units(i + 1) })),
        payment: { method: 'cash' },
      });
    await sale(); // settings and models read once

    const statements: string[] = [];
    const sequelize = t.models.sequelize;
    const count = (sql: unknown) => {
      if (typeof sql === 'string') statements.push(sql);
    };
    const query = sequelize.query.bind(sequelize);
    sequelize.query = ((sql: unknown, options: unknown) => {
      count(typeof sql === 'string' ? sql : (sql as { query?: string }).query);
      return query(sql as never, options as never);
    }) as typeof sequelize.query;
    try {
      await sale();
    } finally {
      sequelize.query = query;
    }
    const matching = (pattern: RegExp) => statements.filter((s) => pattern.test(s)).length;
    expect(matching(/^UPDATE\s+\W?products\W?\s/i)).toBe(1);
    expect(matching(/^INSERT INTO\s+\W?invoice_lines\W?\s/i)).toBe(1);
    expect(matching(/^INSERT INTO\s+\W?stock_movements\W?\s/i)).toBe(1);
    expect(matching(/^INSERT INTO\s+\W?journal_lines\W?\s/i)).toBe(1);
    // Transaction control, the reads (settings, location, products, their lock, the last number, the
    // accounts), one UPDATE per stock level taken, the inserts: 20 at most on every dialect.
    expect(statements.length).toBeLessThanOrEqual(20);
    expect(await bookViolations(t.models)).toEqual([]);
  });
});
