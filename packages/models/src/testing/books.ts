import { QueryTypes } from 'sequelize';
import { reportAmountBigInt } from '@salesfleet/contracts';
import { ACCOUNT_CODES } from '../accounting/chart-of-accounts';
import { sumAsText } from '../accounting/values';
import type { TenantModels } from '../model-types';

/**
 * The invariants the books must hold after every operation, on every dialect (issue 13), as a list of
 * violations (empty when all hold), so a test can say which one broke:
 * - every journal entry balances, and so the trial balance;
 * - Inventory in the ledger = Σ products' inventory value (stock on hand × average cost, cents);
 * - each product's quantity on hand = Σ its stock levels, and each stock level = Σ its movements;
 * - Accounts Receivable = Σ open invoice balances;
 * - Accounts Payable = Σ open supplier bill balances (when the tenant has supplier bills);
 * - a batch-tracked product's stock level at a location = Σ its batches there, each batch = Σ its
 *   movements and never below zero.
 * Money is summed as exact text and compared as BigInt, so the invariants hold past 2^53 minor units.
 */
export async function bookViolations(models: TenantModels): Promise<string[]> {
  const out: string[] = [];
  const q = <T extends object>(sql: string) => models.sequelize.query<T>(sql, { type: QueryTypes.SELECT, raw: true });
  const n = (v: unknown) => Number(v ?? 0);
  const big = (v: unknown) => reportAmountBigInt(v as string | number | null | undefined);
  const sum = (expr: string) => `COALESCE(${sumAsText(models.sequelize, expr)}, '0')`;

  const unbalanced = await q<{ id: number }>(
    'SELECT journal_entry_id AS id FROM journal_lines GROUP BY journal_entry_id HAVING SUM(debit) <> SUM(credit)',
  );
  if (unbalanced.length) out.push(`unbalanced journal entries: ${unbalanced.map((e) => e.id).join(', ')}`);

  const balances = await q<{ code: string; balance: unknown }>(
    `SELECT a.code AS code, ${sum('l.debit - l.credit')} AS balance FROM accounts a LEFT JOIN journal_lines l ON l.account_id = a.id GROUP BY a.code`,
  );
  const balance = (code: string) => big(balances.find((b) => b.code === code)?.balance);
  const total = balances.reduce((s, b) => s + big(b.balance), 0n);
  if (total !== 0n) out.push(`trial balance off by ${total}`);

  const [stock] = await q<{ value: unknown }>(`SELECT ${sum('inventory_value')} AS value FROM products`);
  if (balance(ACCOUNT_CODES.inventory) !== big(stock?.value)) {
    out.push(`Inventory account ${balance(ACCOUNT_CODES.inventory)} ≠ Σ stock value ${big(stock?.value)}`);
  }

  const products = await q<{ id: number; quantity: unknown; levels: unknown }>(
    'SELECT p.id AS id, p.inventory_quantity AS quantity, (SELECT COALESCE(SUM(s.quantity), 0) FROM stock_levels s WHERE s.product_id = p.id) AS levels FROM products p',
  );
  for (const p of products)
    if (n(p.quantity) !== n(p.levels)) out.push(`product ${p.id}: on hand ${n(p.quantity)} ≠ Σ stock levels ${n(p.levels)}`);

  const levels = await q<{ product_id: number; location_id: number; quantity: unknown; moved: unknown }>(
    `SELECT s.product_id, s.location_id, s.quantity,
       (SELECT COALESCE(SUM(m.quantity), 0) FROM stock_movements m WHERE m.product_id = s.product_id AND m.location_id = s.location_id) AS moved
     FROM stock_levels s`,
  );
  for (const l of levels)
    if (n(l.quantity) !== n(l.moved)) out.push(`stock ${l.product_id}@${l.location_id}: ${n(l.quantity)} ≠ Σ movements ${n(l.moved)}`);

  const [receivable] = await q<{ due: unknown }>(
    `SELECT ${sum('total - amount_paid - amount_credited')} AS due FROM invoices WHERE status IN ('issued', 'paid')`,
  );
  if (balance(ACCOUNT_CODES.accountsReceivable) !== big(receivable?.due)) {
    out.push(`Accounts receivable ${balance(ACCOUNT_CODES.accountsReceivable)} ≠ Σ open invoices ${big(receivable?.due)}`);
  }

  if (await hasTable(models, 'stock_batches')) out.push(...(await batchViolations(models)));

  const payable = await openBillsTotal(models);
  if (payable !== null && -balance(ACCOUNT_CODES.accountsPayable) !== payable) {
    out.push(`Accounts payable ${-balance(ACCOUNT_CODES.accountsPayable)} ≠ Σ open supplier bills ${payable}`);
  }
  return out;
}

async function hasTable(models: TenantModels, table: string): Promise<boolean> {
  const tables = (await models.sequelize.getQueryInterface().showAllTables()).map((t) =>
    typeof t === 'string' ? t : (t as { tableName: string }).tableName,
  );
  return tables.includes(table);
}

async function batchViolations(models: TenantModels): Promise<string[]> {
  const out: string[] = [];
  const q = <T extends object>(sql: string) => models.sequelize.query<T>(sql, { type: QueryTypes.SELECT, raw: true });
  const n = (v: unknown) => Number(v ?? 0);
  const yes = models.sequelize.getDialect() === 'postgres' ? 'TRUE' : '1';
  const levels = await q<{ product_id: number; location_id: number; quantity: unknown; batched: unknown }>(
    `SELECT s.product_id, s.location_id, s.quantity,
       (SELECT COALESCE(SUM(b.quantity), 0) FROM stock_batches b WHERE b.product_id = s.product_id AND b.location_id = s.location_id) AS batched
     FROM stock_levels s JOIN products p ON p.id = s.product_id
     WHERE p.track_batches = ${yes}`,
  );
  for (const l of levels)
    if (n(l.quantity) !== n(l.batched)) out.push(`stock ${l.product_id}@${l.location_id}: ${n(l.quantity)} ≠ Σ batches ${n(l.batched)}`);
  const batches = await q<{ id: number; quantity: unknown; moved: unknown }>(
    'SELECT b.id, b.quantity, (SELECT COALESCE(SUM(m.quantity), 0) FROM stock_movements m WHERE m.batch_id = b.id) AS moved FROM stock_batches b',
  );
  for (const b of batches) {
    if (n(b.quantity) < 0) out.push(`batch ${b.id} below zero: ${n(b.quantity)}`);
    if (n(b.quantity) !== n(b.moved)) out.push(`batch ${b.id}: ${n(b.quantity)} ≠ Σ movements ${n(b.moved)}`);
  }
  return out;
}

/** Σ open supplier bill balances, or null before supplier bills exist in this schema. */
async function openBillsTotal(models: TenantModels): Promise<bigint | null> {
  if (!(await hasTable(models, 'supplier_bills'))) return null;
  const [row] = await models.sequelize.query<{ due: unknown }>(
    `SELECT COALESCE(${sumAsText(models.sequelize, 'total - amount_paid')}, '0') AS due FROM supplier_bills WHERE status <> 'void'`,
    {
      type: QueryTypes.SELECT,
      raw: true,
    },
  );
  return reportAmountBigInt(row?.due as string | null | undefined);
}
