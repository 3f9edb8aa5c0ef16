/**
 * Closing figures (issue 13): a fresh demo tenant on each engine trades for one scripted day —
 * goods received with VAT against a purchase order (in part) and the bill paid in part, sales with line
 * and invoice discounts and a tax-inclusive product, a quote converted into an invoice and one left open, a partial
 * payment, a credit note of a discounted line, a transfer between locations, an expense and a manual
 * entry — then prints the trial balance, the balance sheet, the day's tax and the inventory valuation, with the
 * invariants checked (the script exits 1 when one fails). Markdown on stdout:
 *
 *   pnpm --filter @salesfleet/models demo-day > docs/closing-figures.md
 *
 * Engines: SQLite always; PostgreSQL and MySQL/MariaDB when their test servers answer (the same
 * servers and variables as the tests; their databases are dropped afterwards).
 */
import { QueryTypes } from 'sequelize';
import { reportAmountBigInt, type ReportAmount } from '@salesfleet/contracts';
import {
  ACCOUNT_CODES,
  balanceSheet,
  convertQuote,
  createCreditNote,
  createExpense,
  createInvoice,
  createManualEntry,
  createProduct,
  createPurchaseOrder,
  createQuote,
  createTaxRate,
  defineAllTenantModels,
  defineTenantModels,
  paySupplierBill,
  receivePurchaseOrder,
  recordPayment,
  seedDemoData,
  seedTenant,
  sumAsText,
  tenantSequelizeOptions,
  transferStock,
  taxReport,
  trialBalance,
  units,
  type TenantModels,
} from '../src/index';
import { bookViolations, createTestDatabase, testDialects, type TestDialect } from '../src/testing';

const DAY = '2026-12-07';
/** Cents (a number, a report's exact decimal string, a bigint) → "1,234.56", exactly at any size. */
const money = (cents: ReportAmount | bigint) => {
  const n = reportAmountBigInt(cents);
  const abs = n < 0n ? -n : n;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0n ? '-' : ''}${whole}.${(abs % 100n).toString().padStart(2, '0')}`;
};
const out: string[] = [];
const print = (line = '') => out.push(line);

async function scriptedDay(models: TenantModels, userId: number): Promise<string[]> {
  const log: string[] = [];
  const id = async (model: 'Product' | 'Supplier' | 'Customer' | 'Location', where: Record<string, unknown>) => {
    const row = (await (models[model] as unknown as { findOne(o: object): Promise<{ id: number } | null> }).findOne({ where }))!;
    return row.id;
  };
  const account = async (code: string) => (await models.Account.findOne({ where: { code } }))!.id;
  const main = await id('Location', { code: 'MAIN' });
  const second = (await models.Location.findOne({ where: { isActive: true }, order: [['id', 'DESC']] }))!.id;
  const coffee = await id('Product', { sku: 'COFFEE-250' });
  const grinder = await id('Product', { sku: 'GRINDER' });
  const mug = await id('Product', { sku: 'MUG-WHITE' });
  const roastery = await id('Supplier', { name: 'Roastery Wholesale' });
  const cafe = await id('Customer', { name: 'Corner Café Ltd' });

  // Goods in: 30 bags ordered at 7.20 + 20 % VAT, 20 arrive today (a partial receipt posts Inventory at
  // the net cost, input tax, and Accounts payable at the gross).
  const standard = (await models.TaxRate.findOne({ where: { code: 'STANDARD' } }))!;
  const order = await createPurchaseOrder(models, {
    supplierId: roastery,
    locationId: main,
    orderDate: DAY,
    lines: [{ productId: coffee, quantity: units(30), unitCost: 720, taxRateId: standard.id }],
    userId,
  });
  const { bill } = await receivePurchaseOrder(models, order.id, {
    lines: [{ lineId: order.lines![0]!.id, quantity: units(20) }],
    date: DAY,
    supplierReference: 'RW-4471',
    userId,
  });
  await paySupplierBill(models, bill.id, { amount: 10_000, date: DAY, userId });
  log.push(
    `Received 20 of 30 coffee bags at 7.20 + 20 % VAT (bill ${bill.number}, ${money(bill.total)} of which VAT ${money(bill.tax)}), paid 100.00 of it`,
  );

  // A shelf product whose price includes VAT.
  const inclusive = await createTaxRate(models, { code: 'VAT20-INC', name: 'VAT 20 % included', rateBp: 2000, isInclusive: true });
  const cup = await createProduct(models, {
    sku: 'CUP-ESPRESSO',
    name: 'Espresso cup (VAT incl.)',
    unitPrice: 599,
    costPrice: 210,
    taxRateId: inclusive.id,
  });
  await receivePurchaseOrder(
    models,
    (
      await createPurchaseOrder(models, {
        supplierId: roastery,
        locationId: main,
        orderDate: DAY,
        lines: [{ productId: cup.id, quantity: units(12), unitCost: 210 }],
        userId,
      })
    ).id,
    { date: DAY, userId },
  );
  log.push('Received 12 espresso cups at 2.10 (price 5.99 including VAT)');

  // Sales: a discounted invoice to a business customer, paid in part; a walk-in sale paid at the till.
  const invoice = await createInvoice(models, {
    locationId: main,
    customerId: cafe,
    issueDate: DAY,
    lines: [
      { productId: coffee, quantity: units(10), discountBp: 1_000 },
      { productId: cup.id, quantity: units(6), discountAmount: 300 },
      { productId: mug, quantity: units(2) },
    ],
    discountAmount: 500,
    userId,
  });
  await recordPayment(models, invoice.id, { amount: 6_000, method: 'transfer', userId });
  log.push(
    `Invoice ${invoice.number} to Corner Café: 10 % off coffee, 3.00 off cups, 5.00 off the invoice — discounts ${money(invoice.discountTotal)}, net ${money(invoice.subtotal)}, VAT ${money(invoice.tax)}, total ${money(invoice.total)}; 60.00 paid by bank transfer`,
  );
  const till = await createInvoice(models, {
    locationId: main,
    issueDate: DAY,
    lines: [
      { productId: cup.id, quantity: units(2) },
      { productId: coffee, quantity: units(1) },
    ],
    payment: { method: 'cash' },
    userId,
  });
  log.push(`Walk-in sale ${till.number}, paid in cash: ${money(till.total)} (of which VAT ${money(till.tax)})`);

  // A quote accepted and converted.
  const quote = await createQuote(models, {
    locationId: main,
    customerId: cafe,
    issueDate: DAY,
    lines: [{ productId: grinder, quantity: units(1), discountBp: 500 }],
    userId,
  });
  const fromQuote = await convertQuote(models, quote.id, { issueDate: DAY, userId });
  log.push(`Quote ${quote.number} (grinder, 5 % off) converted into ${fromQuote.number}: ${money(fromQuote.total)}`);
  const open = await createQuote(models, {
    locationId: main,
    customerId: cafe,
    issueDate: DAY,
    lines: [{ productId: mug, quantity: units(24) }],
    discountBp: 1_000,
    userId,
  });
  log.push(`Quote ${open.number} (24 mugs, 10 % off the quote) left open: ${money(open.total)}, nothing posted`);

  // A credit note for two of the discounted cups: it credits what was charged for them.
  const cupLine = invoice.lines!.find((l) => l.productId === cup.id)!;
  const note = await createCreditNote(models, invoice.id, {
    date: DAY,
    reason: 'two cups chipped',
    lines: [{ invoiceLineId: cupLine.id, quantity: units(2) }],
    userId,
  });
  log.push(`Credit note ${note.number}: 2 of the 6 discounted cups back to stock, ${money(note.total)} credited`);

  // Stock between locations, an expense, and the owner's money in.
  if (second !== main) {
    await transferStock(models, { productId: grinder, fromLocationId: main, toLocationId: second, quantity: units(2), userId });
    log.push('Transferred 2 grinders to the second location');
  }
  await createExpense(models, {
    expenseDate: DAY,
    accountId: await account(ACCOUNT_CODES.operatingExpenses),
    amount: 45_000,
    vendor: 'Landlord',
    description: 'December rent',
    paidFromAccountId: await account(ACCOUNT_CODES.bank),
    userId,
  });
  log.push('Rent 450.00 paid from the bank');
  await createManualEntry(models, {
    entryDate: DAY,
    memo: 'Owner puts money in',
    lines: [
      { accountId: await account(ACCOUNT_CODES.bank), debit: 100_000 },
      { accountId: await account(ACCOUNT_CODES.ownersEquity), credit: 100_000 },
    ],
    userId,
  });
  log.push("Manual entry: 1,000.00 owner's capital into the bank");
  return log;
}

/** Prints the closing figures of one engine; returns whether every invariant held and the figures' fingerprint. */
async function closing(dialect: TestDialect): Promise<{ ok: boolean; figures: string }> {
  const db = await createTestDatabase(dialect);
  const models = defineTenantModels(db.connect(tenantSequelizeOptions(dialect)));
  try {
    defineAllTenantModels(models);
    await models.sequelize.sync();
    const { adminUserId } = await seedTenant(models, {
      admin: { username: 'admin', email: 'admin@example.com', passwordHash: 'not-a-real-hash', mustChangePassword: false },
    });
    await seedDemoData(models, { locations: true, today: DAY });
    const log = await scriptedDay(models, adminUserId);

    print(`## ${dialect === 'sqlite' ? 'SQLite' : dialect === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB'}`);
    print();
    print(`The demo tenant (demo data up to ${DAY}), then the day:`);
    print();
    for (const l of log) print(`- ${l}`);
    print();

    const tb = await trialBalance(models);
    print('### Trial balance');
    print();
    print('| account | name | debit | credit | balance |');
    print('| --- | --- | ---: | ---: | ---: |');
    for (const a of tb.accounts) print(`| ${a.code} | ${a.name} | ${money(a.debit)} | ${money(a.credit)} | ${money(a.balance)} |`);
    print(`| | **total** | **${money(tb.totals.debit)}** | **${money(tb.totals.credit)}** | |`);
    print();

    const sheet = await balanceSheet(models, { asOf: DAY });
    print(`### Balance sheet at ${DAY}`);
    print();
    print('| | account | amount |');
    print('| --- | --- | ---: |');
    for (const [side, rows] of [
      ['Assets', sheet.assets],
      ['Liabilities', sheet.liabilities],
      ['Equity', sheet.equity],
    ] as const)
      for (const r of rows) print(`| ${side} | ${r.code} ${r.name} | ${money(r.balance)} |`);
    print(`| Equity | Retained earnings | ${money(sheet.retainedEarnings)} |`);
    print(`| Equity | Current year earnings | ${money(sheet.currentYearEarnings)} |`);
    print(`| **Assets** | | **${money(sheet.totals.assets)}** |`);
    print(`| **Liabilities + equity** | | **${money(sheet.totals.liabilitiesAndEquity)}** |`);
    print();

    const tax = await taxReport(models, { from: DAY, to: DAY });
    print(`### Tax on ${DAY}`);
    print();
    print('| | rate | taxable | tax |');
    print('| --- | ---: | ---: | ---: |');
    for (const r of tax.rates) print(`| output (sales) | ${r.rateBp / 100} % | ${money(r.taxable)} | ${money(r.tax)} |`);
    for (const r of tax.inputRates) print(`| input (purchases) | ${r.rateBp / 100} % | ${money(r.taxable)} | ${money(r.tax)} |`);
    print(`| **net payable** | | | **${money(tax.netPayable)}** |`);
    print();

    const products = await models.Product.findAll({ order: [['sku', 'ASC']] });
    print('### Inventory valuation (moving average cost)');
    print();
    print('| SKU | on hand | average cost | value |');
    print('| --- | ---: | ---: | ---: |');
    let stockValue = 0n;
    for (const p of products) {
      const qty = Number(p.inventoryQuantity);
      const value = Number(p.inventoryValue);
      stockValue += BigInt(value);
      if (qty === 0 && value === 0) continue;
      print(`| ${p.sku} | ${(qty / 1000).toString()} | ${qty > 0 ? money(Math.round((value * 1000) / qty)) : '—'} | ${money(value)} |`);
    }
    print(`| **total** | | | **${money(stockValue)}** |`);
    print();

    const balance = (code: string) => reportAmountBigInt(tb.accounts.find((a) => a.code === code)?.balance ?? 0);
    const q = async (sql: string) =>
      reportAmountBigInt(
        ((await models.sequelize.query<{ v: unknown }>(sql, { type: QueryTypes.SELECT }))[0]?.v as number | string | null) ?? 0,
      );
    const sum = (expr: string) => sumAsText(models.sequelize, expr);
    const openInvoices = await q(
      `SELECT ${sum('total - amount_paid - amount_credited')} AS v FROM invoices WHERE status IN ('issued', 'paid')`,
    );
    const openBills = await q(`SELECT ${sum('total - amount_paid')} AS v FROM supplier_bills WHERE status <> 'void'`);
    const checks: [string, string, boolean][] = [
      [
        'Trial balance balances',
        `debits ${money(tb.totals.debit)} = credits ${money(tb.totals.credit)}`,
        tb.balanced && reportAmountBigInt(tb.totals.debit) === reportAmountBigInt(tb.totals.credit),
      ],
      ['A = L + E', `${money(sheet.totals.assets)} = ${money(sheet.totals.liabilitiesAndEquity)}`, sheet.balanced],
      [
        'Inventory ledger = Σ stock × average cost',
        `${money(balance(ACCOUNT_CODES.inventory))} = ${money(stockValue)}`,
        balance(ACCOUNT_CODES.inventory) === stockValue,
      ],
      [
        'Accounts receivable = open invoices',
        `${money(balance(ACCOUNT_CODES.accountsReceivable))} = ${money(openInvoices)}`,
        balance(ACCOUNT_CODES.accountsReceivable) === openInvoices,
      ],
      [
        'Accounts payable = open bills',
        `${money(-balance(ACCOUNT_CODES.accountsPayable))} = ${money(openBills)}`,
        -balance(ACCOUNT_CODES.accountsPayable) === openBills,
      ],
    ];
    const violations = await bookViolations(models);
    checks.push([
      'Every entry balances; stock = movements (bookViolations)',
      violations.length ? violations.join('; ') : 'none found',
      violations.length === 0,
    ]);
    print('### Invariants');
    print();
    print('| invariant | figures | holds |');
    print('| --- | --- | --- |');
    for (const [name, figures, ok] of checks) print(`| ${name} | ${figures} | ${ok ? 'yes' : '**NO**'} |`);
    print();
    const figures = JSON.stringify([tb.accounts.map((a) => [a.code, a.debit, a.credit]), sheet.totals, stockValue.toString()]);
    return { ok: checks.every(([, , ok]) => ok), figures };
  } finally {
    await models.sequelize.close();
    await db.drop();
  }
}

async function main() {
  print('# Closing figures: a demo tenant after a scripted day of trading');
  print();
  print(
    `Produced by \`pnpm --filter @salesfleet/models demo-day\` (packages/models/scripts/demo-day.ts) on ${new Date().toISOString().slice(0, 10)}.`,
  );
  print('Amounts in the tenant currency (USD), quantities in units.');
  print();
  let ok = true;
  const figures = new Set<string>();
  const dialects = await testDialects();
  for (const dialect of dialects) {
    const result = await closing(dialect);
    ok = result.ok && ok;
    figures.add(result.figures);
  }
  print(
    `Same trial balance, balance sheet and stock value on all ${dialects.length} engines (${dialects.join(', ')}): ${figures.size === 1 ? 'yes' : '**NO**'}.`,
  );
  ok = ok && figures.size === 1;
  process.stdout.write(`${out.join('\n')}\n`);
  if (!ok) {
    process.stderr.write('An invariant does not hold (see the table above)\n');
    process.exitCode = 1;
  }
}

await main();
