import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookViolations, testDialects } from '../testing';
import { getInvoice, writeInvoice } from './invoicing';
import { units } from './quantity';
import { openTestTenant, type TestTenant } from './test-tenant';

// Issue 15.3: the write path. A walk-in cash sale of three products is one transaction of a fixed,
// small number of statements: rows of one kind are written in one statement (invoice lines, stock
// movements, journal lines), the three stock levels in one UPDATE and the three products' valuation in
// one UPDATE — not one per line; the settings, location and accounts in one read, the products' prices
// and their lock in another.

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
    // PostgreSQL sends the sale's writes as one query of several statements (sale-rows.ts): count both.
    const roundTrips = statements.length;
    const sql = statements.flatMap((s) => s.replace(/^\/\*.*?\*\/\s*/, '').split(/;\n/));
    const matching = (pattern: RegExp) => sql.filter((s) => pattern.test(s)).length;
    expect(matching(/^UPDATE\s+\W?products\W?\s/i)).toBe(1);
    expect(matching(/^UPDATE\s+\W?stock_levels\W?\s/i)).toBe(1);
    expect(matching(/\W?products\W? AS \W?Product\W?/i)).toBe(1);
    expect(matching(/^INSERT INTO\s+\W?invoice_lines\W?\s/i)).toBe(1);
    expect(matching(/^INSERT INTO\s+\W?stock_movements\W?\s/i)).toBe(1);
    expect(matching(/^INSERT INTO\s+\W?journal_lines\W?\s/i)).toBe(1);
    // Transaction control (1 statement to start on PostgreSQL, 2 on MySQL), the settings with the
    // location and the accounts, the locked products, the last number, the stock levels (and, without
    // UPDATE … RETURNING, their read), the valuation, six inserts, COMMIT: 13, 14 and 15 statements. On
    // PostgreSQL, 4 round trips: START TRANSACTION with its isolation level; the settings, products
    // and last number as one query; the stock levels, the valuation and the inserts as one query; COMMIT.
    expect(sql.length).toBe({ postgres: 13, sqlite: 14, mysql: 15 }[dialect]);
    expect(roundTrips).toBe(dialect === 'postgres' ? 4 : sql.length);
    if (dialect === 'postgres') expect(statements[0]).toMatch(/^START TRANSACTION ISOLATION LEVEL READ COMMITTED;?$/);
    expect(await bookViolations(t.models)).toEqual([]);
  });

  it('answers the sale as written: what a read-back of the invoice, its lines and payments finds', async () => {
    const product = await t.product({ costPrice: 300, unitPrice: 1250 }, 10);
    const written = await writeInvoice(t.models, {
      locationId: t.locationId,
      userId: t.userId,
      lines: [
        { productId: product.id, quantity: units(2) },
        { description: 'Gift wrap', quantity: units(1), unitPrice: 199 },
      ],
      payment: { method: 'cash', tendered: 5000 },
    });
    const read = await getInvoice(t.models, written.id);
    const invoiceFields = [
      'id',
      'number',
      'status',
      'locationId',
      'issueDate',
      'subtotal',
      'tax',
      'total',
      'amountPaid',
      'createdBy',
    ] as const;
    for (const f of invoiceFields) expect([f, written[f]]).toEqual([f, read[f]]);
    // The instants too, to the millisecond: MySQL/MariaDB's DATETIME keeps whole seconds, and the
    // answer must carry what was stored, not the instant with its fraction (storedInstant).
    const instant = (d: Date | string) => new Date(d).getTime();
    expect(['createdAt', instant(written.createdAt)]).toEqual(['createdAt', instant(read.createdAt)]);
    expect(['updatedAt', instant(written.updatedAt)]).toEqual(['updatedAt', instant(read.updatedAt)]);
    expect(written.creditedTotal).toBe(read.creditedTotal ?? 0);
    const lineFields = [
      'id',
      'productId',
      'description',
      'quantity',
      'unitPrice',
      'lineSubtotal',
      'lineTax',
      'lineTotal',
      'costAmount',
    ] as const;
    expect(written.lines!.map((l) => lineFields.map((f) => Number(l[f]) || l[f]))).toEqual(
      read.lines!.map((l) => lineFields.map((f) => Number(l[f]) || l[f])),
    );
    const paymentFields = ['id', 'invoiceId', 'amount', 'method', 'createdBy'] as const;
    expect(written.payments!.map((p) => paymentFields.map((f) => p[f]))).toEqual(read.payments!.map((p) => paymentFields.map((f) => p[f])));
    for (const f of ['receivedAt', 'createdAt'] as const)
      expect([f, instant(written.payments![0]![f])]).toEqual([f, instant(read.payments![0]![f])]);
  });
});
