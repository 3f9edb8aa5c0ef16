import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookViolations, testDialects } from '../testing';
import { getInvoice, writeInvoice } from './invoicing';
import { units } from './quantity';
import { stockOnHand } from './stock';
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
    // No location named, as the till sends it: the user's location rule picks it in the first read.
    const sale = () =>
      writeInvoice(t.models, {
        userId: t.userId,
        lines: products.map((p, i) => ({ productId: p.id, quantity: units(i + 1) })),
        payment: { method: 'cash' },
      });
    await sale(); // settings and models read once

    // What Sequelize logs is what goes to the driver, one line per query (one round trip), with what
    // the patched Sequelize adds to it (a deferred START TRANSACTION, a COMMIT sent with the writes).
    const statements: string[] = [];
    const options = (t.models.sequelize as unknown as { options: { logging: unknown } }).options;
    const logging = options.logging;
    options.logging = (line: string) => statements.push(line.replace(/^Executing \([^)]*\): /, ''));
    try {
      await sale();
    } finally {
      options.logging = logging;
    }
    // PostgreSQL sends the sale's reads and its writes each as one query of several statements: count both.
    const roundTrips = statements.length;
    const sql = statements.flatMap((s) => s.split(/;\n/)).map((s) => s.replace(/^\/\*.*?\*\/\s*/, '').replace(/;$/, ''));
    const matching = (pattern: RegExp) => sql.filter((s) => pattern.test(s)).length;
    expect(matching(/^UPDATE\s+\W?products\W?\s/i)).toBe(1);
    expect(matching(/^(WITH "taken" AS \()?UPDATE\s+\W?stock_levels\W?\s/i)).toBe(1);
    expect(matching(/\W?products\W? AS \W?Product\W?/i)).toBe(1);
    expect(matching(/^INSERT INTO\s+\W?invoice_lines\W?\s/i)).toBe(1);
    expect(matching(/^INSERT INTO\s+\W?stock_movements\W?\s/i)).toBe(1);
    expect(matching(/^INSERT INTO\s+\W?journal_lines\W?\s/i)).toBe(1);
    // Transaction control (1 statement to start on PostgreSQL, 2 on MySQL), the settings with the
    // customer and the accounts, the user's locations, the locked products, the last number, the stock
    // levels (and, without UPDATE … RETURNING, their read), the valuation, six inserts, COMMIT: 14, 15
    // and 16 statements. On PostgreSQL, 2 round trips: START TRANSACTION with its isolation level, the
    // settings, the user's locations, the products and the last number as one query; the stock levels
    // (checked in SQL), the valuation, the inserts and COMMIT as another.
    expect(sql.length).toBe({ postgres: 14, sqlite: 15, mysql: 16 }[dialect]);
    expect(roundTrips).toBe(dialect === 'postgres' ? 2 : sql.length);
    if (dialect === 'postgres') {
      expect(sql[0]).toBe('START TRANSACTION ISOLATION LEVEL READ COMMITTED');
      expect(sql.at(-1)).toBe('COMMIT');
      expect(statements[1]).toMatch(/\nCOMMIT$/);
    }
    expect(await bookViolations(t.models)).toEqual([]);
  });

  it('refuses a sale short of stock with every shortage and writes nothing; a product allowed negative stock sells below zero', async () => {
    const scarce = await t.product({ costPrice: 100 }, 2);
    const plenty = await t.product({ costPrice: 100 }, 10);
    const loose = await t.product({ costPrice: 100, allowNegativeStock: true }, 1);
    const invoices = await t.models.Invoice.count();
    const statements: string[] = [];
    const options = (t.models.sequelize as unknown as { options: { logging: unknown } }).options;
    const logging = options.logging;
    options.logging = (line: string) => statements.push(line);
    let err: unknown;
    try {
      err = await writeInvoice(t.models, {
        userId: t.userId,
        lines: [
          { productId: plenty.id, quantity: units(1) },
          { productId: scarce.id, quantity: units(3) },
        ],
        payment: { method: 'cash' },
      }).catch((e: unknown) => e);
    } finally {
      options.logging = logging;
    }
    expect(err).toMatchObject({
      code: 'InsufficientStock',
      details: { shortages: [{ productId: scarce.id, locationId: t.locationId, requested: 3, available: 2 }] },
    });
    if (dialect === 'postgres') {
      // The writes went with the COMMIT, the stock checked in SQL: the query failed before its COMMIT,
      // and the sale ran again, settling the stock before anything else to say which product is short.
      expect(statements.filter((l) => /\nCOMMIT$/.test(l))).toHaveLength(1);
      expect(statements.filter((l) => /ROLLBACK;?$/.test(l))).toHaveLength(2);
    }
    expect(await t.models.Invoice.count()).toBe(invoices);
    expect(await stockOnHand(t.models, scarce.id, t.locationId)).toBe(units(2));
    expect(await stockOnHand(t.models, plenty.id, t.locationId)).toBe(units(10));

    await writeInvoice(t.models, { userId: t.userId, lines: [{ productId: loose.id, quantity: units(3) }], payment: { method: 'cash' } });
    expect(await stockOnHand(t.models, loose.id, t.locationId)).toBe(units(-2));
    expect(await bookViolations(t.models)).toEqual([]);
  });

  it('gives every connection back to the pool, and a failed sale leaves no transaction open', async () => {
    const product = await t.product({ costPrice: 100 }, 5);
    const pool = (t.models.sequelize.connectionManager as unknown as { pool: { using: number } }).pool;
    const sell = (quantity: number) =>
      writeInvoice(t.models, {
        userId: t.userId,
        lines: [{ productId: product.id, quantity: units(quantity) }],
        payment: { method: 'cash' },
      });
    await Promise.all([sell(1), sell(1), sell(9).catch(() => undefined), sell(1)]);
    expect(pool.using).toBe(0);
    expect(await stockOnHand(t.models, product.id, t.locationId)).toBe(units(2));
    // Every one of the pool's connections is out of any transaction: a read sees all that committed.
    const reads = await Promise.all([1, 2, 3, 4].map(() => t.models.Invoice.count()));
    expect(new Set(reads).size).toBe(1);
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
