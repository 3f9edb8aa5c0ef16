import {
  MAX_INVOICE_LINES,
  MAX_TILL_PAYMENTS,
  MAX_UNIT_PRICE,
  paymentPath,
  settleTillPayments,
  type TillPayment,
  type TillSettlement,
} from '@salesfleet/contracts';
import { randomBytes } from 'node:crypto';
import { Op, UniqueConstraintError, type Transaction, type WhereOptions, type Model, type ModelStatic } from 'sequelize';
import type { AccountCodeKey } from '../accounting/chart-of-accounts';
import {
  postJournalEntries,
  postJournalEntry,
  reversalLines,
  systemAccountColumns,
  systemAccounts,
  systemAccountsRead,
  checkedPosting,
  type PostingInput,
  type SystemAccounts,
} from '../accounting/posting';
import { commitWithLastQuery, RetryableConflict, writeTransaction, type WriteOptions } from '../accounting/transactions';
import { checkDate, findPage, pageWindow, type Page, type PageOptions } from '../accounting/values';
import { dateInTimeZone } from '../settings/time-zone';
import { invoicePrefixSql, postingSettings, postingSettingsRead, tenantToday, type TenantSettingsView } from '../settings/settings';
import type { Invoice, Payment, TenantModels } from '../model-types';
import { FieldChecks, MAX_AMOUNT, MAX_INT32 } from './fields';
import type { InvoiceStatus } from './invoice';
import { checkPaymentInput, moneyAccount, paymentEntry, writePayment } from './payments';
import { containsIgnoringCase } from './search';
import { locationForUser, userLocationsRead, type UserLocations } from '../auth/user-locations';
import { withCreditedTotals } from './credited';
import { formatQuantity, MAX_QUANTITY, quantityNumber } from './quantity';
import { batchShortage, inventoryLines, isGuardedStockShort, putStock, quantityIssue, stockTake, takeStocks } from './stock';
import { returnableBatches, returnToBatch, splitOver, takeFefo, trackedProducts } from './batches';
import { InventoryValuation } from './valuation';
import { builtInvoice, saleRowsWriter } from './sale-rows';
import { rawReads, rawSelectParts, sqlBool, sqlInt, type RawRead } from '../raw-select';
import { storedInstant } from '../timestamp-attribute';
import { priceLines, sumCents, type DiscountInput, type PricedLine } from '@salesfleet/contracts';
import { Conflict, InsufficientStock, NotFound, ValidationFailed } from '@salesfleet/contracts';

/**
 * Invoices. Issuing one is a single transaction: the number is assigned, stock is taken per line
 * (refused with InsufficientStock unless the product allows negative stock), stock movements are
 * written and the journal entry is posted:
 *
 *   debit  accounts receivable (or cash/bank for a walk-in sale paid in full at the till)   total
 *   credit sales revenue                                                                    subtotal
 *   credit tax payable                                                                      tax
 *   debit  cost of goods sold / credit inventory        the value taken out of stock (moving average, valuation.ts)

 * Quantities are integer thousandths of a unit (quantity.ts); a line's subtotal is quantity × unit
 * price / 1000, rounded half-up to the cent.
 *
 * Voiding reverses every posting of the invoice (its sale and its payments: money is refunded) with
 * one reversing entry and returns the stock. Amounts are integer cents; tax is per line, half-up
 * (see tax.ts).
 */

export interface InvoiceLineInput {
  /** A product line (price, description and tax rate from the product) or, when null, a free-text line. */
  productId?: number | null;
  /** Required on free-text lines; overrides the product name otherwise. */
  description?: string | null;
  /** Thousandths of a unit (1500 = 1.5); as fine as the product's unit allows. */
  quantity: number;
  /** Cents per unit; default the product's price (required on free-text lines). */
  unitPrice?: number;
  /**
   * Free-text lines (default 0); product lines take their product's rate, except when an invoice
   * converts a quote: then every line carries the rate the quote recorded (see checkLineShapes).
   */
  taxRateBp?: number;
  /** Free-text lines: the unit price includes the tax (product lines follow their rate, as taxRateBp); default false. */
  taxInclusive?: boolean;
  /** The line's discount: basis points of quantity × unit price (1000 = 10 %)… */
  discountBp?: number | null;
  /** …or a fixed amount of cents off the line (not both). */
  discountAmount?: number | null;
}

/** A discount on the whole document, shared over its lines (see priceLines in tax.ts). */
export interface DocumentDiscountInput {
  /** Basis points of what the lines charge after their own discounts… */
  discountBp?: number | null;
  /** …or a fixed amount of cents (not both). */
  discountAmount?: number | null;
}

export type { TillPayment, TillSettlement } from '@salesfleet/contracts';

/**
 * Money taken when the invoice is issued (at the till): one payment, or several (cash + card…) in the
 * same transaction — not both. See settleTillPayments in @salesfleet/contracts for the rule.
 */
export interface TillPayments {
  /** One payment; `amount` defaults to the invoice total. The same as `payments: [payment]`. */
  payment?: TillPayment;
  /** Payments in parts, each with its amount; together at most the total (the rest stays owed). */
  payments?: readonly TillPayment[];
}

export interface CreateInvoiceInput extends DocumentDiscountInput, TillPayments {
  locationId: number;
  customerId?: number | null;
  /** `YYYY-MM-DD`; default today in the tenant's time zone. */
  issueDate?: string;
  notes?: string | null;
  lines: readonly InvoiceLineInput[];
  /** Save as a draft (no number, stock or posting until issued). */
  draft?: boolean;
  userId: number;
  /** The quote this invoice converts (set by convertQuote only). */
  quoteId?: number | null;
}

/**
 * A sale as writeInvoice takes it: the location may be left out, and the user's location rule picks
 * it (locationForUser: the user's only location, else the tenant's only active one). Named or picked,
 * the user must be allowed to sell there (LocationNotAllowed).
 */
export interface SaleInput extends Omit<CreateInvoiceInput, 'locationId'> {
  locationId?: number;
}

export interface IssueInvoiceInput extends TillPayments {
  /** `YYYY-MM-DD`; default the draft's date. */
  issueDate?: string;
  userId: number;
}

export interface PostingHooks {
  /**
   * Test seam: runs inside the transaction after the stock, the invoice, its lines and the stock
   * movements are written and before the journal entry. Whatever it throws rolls everything back.
   */
  beforeJournal?: (context: { invoiceId: number; transaction: Transaction }) => void | Promise<void>;
}

export interface InvoiceWriteOptions extends WriteOptions {
  hooks?: PostingHooks;
}

export { MAX_INVOICE_LINES, MAX_UNIT_PRICE } from '@salesfleet/contracts';
/** `INV-000123`: the prefix (settings), then six digits at least, more once needed. */
export function formatDocumentNumber(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(6, '0')}`;
}

// ── lines ─────────────────────────────────────────────────────────────────────────────────────────

interface ResolvedLine {
  productId: number | null;
  description: string;
  quantity: number;
  unitPrice: number;
  taxRateBp: number;
  taxInclusive: boolean;
  discountBp: number | null;
  discountAmount: number;
  invoiceDiscount: number;
  lineSubtotal: number;
  lineTax: number;
  lineTotal: number;
  /** Value taken out of stock for this line (set when the stock is taken); null on free-text lines. */
  costAmount: number | null;
}

interface ProductFacts {
  sku: string;
  allowNegativeStock: boolean;
  trackBatches: boolean;
}

/** The batches each line of a batch-tracked product was taken from (set with its stock, read by its movements). */
const linePieces = new WeakMap<ResolvedLine, readonly { batchId: number; quantity: number }[]>();

export interface ResolvedInvoice {
  lines: ResolvedLine[];
  products: Map<number, ProductFacts>;
  discountBp: number | null;
  discountAmount: number;
  discountTotal: number;
  subtotal: number;
  tax: number;
  total: number;
}

/** A discount's shape (lines' with `p` = `lines.<i>.`, the document's with `p` = ''). */
export function checkDiscountShape(d: DiscountInput, f: FieldChecks, p = ''): void {
  const hasBp = d.discountBp !== undefined && d.discountBp !== null;
  const hasAmount = d.discountAmount !== undefined && d.discountAmount !== null;
  if (hasBp) f.int(d.discountBp, `${p}discountBp`, 0, 10_000);
  if (hasAmount) f.int(d.discountAmount, `${p}discountAmount`, 0, MAX_AMOUNT);
  if (hasBp && hasAmount) f.fail(`${p}discountAmount`, 'a percentage (discountBp) or an amount, not both');
}

/**
 * The shapes of a document's lines (invoices and quotes). `recordedRates`: the lines come from a quote
 * being converted, and product lines carry the tax rate the quote recorded (today's rate of the
 * product may differ; the customer was quoted that one).
 */
export function checkLineShapes(lines: readonly InvoiceLineInput[], f: FieldChecks, recordedRates = false): void {
  if (!Array.isArray(lines) || lines.length === 0) f.fail('lines', 'at least one line');
  else if (lines.length > MAX_INVOICE_LINES) f.fail('lines', `at most ${MAX_INVOICE_LINES} lines`);
  else
    lines.forEach((line, i) => {
      const p = `lines.${i}`;
      if (line.productId !== undefined && line.productId !== null) f.int(line.productId, `${p}.productId`, 1, MAX_INT32);
      else {
        f.text(line.description, `${p}.description`, 255, true);
        if (line.unitPrice === undefined) f.fail(`${p}.unitPrice`, 'required on a line without a product');
      }
      if (line.description !== undefined && line.description !== null) f.text(line.description, `${p}.description`, 255, false);
      f.int(line.quantity, `${p}.quantity`, 1, MAX_QUANTITY);
      if (line.unitPrice !== undefined) f.int(line.unitPrice, `${p}.unitPrice`, 0, MAX_UNIT_PRICE);
      if (line.taxRateBp !== undefined) {
        if (line.productId && !recordedRates) f.fail(`${p}.taxRateBp`, "product lines take their product's tax rate");
        else f.int(line.taxRateBp, `${p}.taxRateBp`, 0, 10_000);
      }
      if (line.taxInclusive !== undefined) {
        if (line.productId && !recordedRates) f.fail(`${p}.taxInclusive`, "product lines follow their product's tax rate");
        else f.bool(line.taxInclusive, `${p}.taxInclusive`);
      }
      checkDiscountShape(line, f, `${p}.`);
    });
}

/** What a document line needs of its product (and, when read locked for a sale, its valuation). */
interface LoadedProduct {
  id: number;
  sku: string;
  name: string;
  unitPrice: number;
  isActive: boolean;
  allowNegativeStock: boolean;
  trackBatches: boolean;
  /** The unit's decimals (0 without a unit). */
  decimals: number;
  /** The tax rate's basis points and inclusiveness; null without a tax rate. */
  taxRateBp: number | null;
  taxInclusive: boolean | null;
  inventoryQuantity: number;
  inventoryValue: number;
  costPrice: number | null;
}

/**
 * Products by id with their tax rate and unit, in one statement written from the models' cached parts
 * (no model instances). `lock`: read FOR UPDATE in id order — the valuation lock a sale takes before
 * its stock (see InventoryValuation), so one statement serves the prices and the lock.
 */
function productsRead(models: TenantModels, productIds: readonly number[], lock = false): RawRead<Map<number, LoadedProduct>> {
  const ids = [...new Set(productIds)].sort((a, b) => a - b);
  const model = models.unassociated('Product');
  const p = rawSelectParts(model);
  const t = rawSelectParts(models.unassociated('TaxRate'));
  const u = rawSelectParts(models.unassociated('Unit'));
  const taxRate = (attribute: string) => `(SELECT ${t.col(attribute)} FROM ${t.from} WHERE ${t.col('id')} = ${p.col('taxRateId')})`;
  const locking = lock && models.sequelize.getDialect() !== 'sqlite' ? ' FOR UPDATE' : '';
  // No products (lines of free text only): a statement that finds none, so the reads stay in step.
  const matching = ids.length ? `${p.col('id')} IN (${ids.map(sqlInt).join(', ')})` : '1 = 0';
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    // Subqueries in the select list are not locked by FOR UPDATE (PostgreSQL, MySQL): only the products are.
    sql:
      `SELECT ${p.pick(['id', 'sku', 'name', 'unitPrice', 'isActive', 'allowNegativeStock', 'trackBatches', 'inventoryQuantity', 'inventoryValue', 'costPrice'])}, ` +
      `${taxRate('rateBp')} AS ${p.quote('taxRateBp')}, ${taxRate('isInclusive')} AS ${p.quote('taxInclusive')}, ` +
      `(SELECT ${u.col('decimals')} FROM ${u.from} WHERE ${u.col('id')} = ${p.col('unitId')}) AS ${p.quote('decimals')} ` +
      `FROM ${p.from} WHERE ${matching} ORDER BY ${p.col('id')} ASC${locking}`,
    read: (rows) =>
      new Map(
        rows.map((r) => {
          const product: LoadedProduct = {
            id: Number(r.id),
            sku: String(r.sku),
            name: String(r.name),
            unitPrice: Number(r.unitPrice),
            isActive: sqlBool(r.isActive),
            allowNegativeStock: sqlBool(r.allowNegativeStock),
            trackBatches: sqlBool(r.trackBatches),
            decimals: num(r.decimals) ?? 0,
            taxRateBp: num(r.taxRateBp),
            taxInclusive: r.taxInclusive === null || r.taxInclusive === undefined ? null : sqlBool(r.taxInclusive),
            inventoryQuantity: Number(r.inventoryQuantity ?? 0),
            inventoryValue: Number(r.inventoryValue ?? 0),
            costPrice: num(r.costPrice),
          };
          return [product.id, product];
        }),
      ),
  };
}

async function loadProducts(
  models: TenantModels,
  productIds: readonly number[],
  transaction: Transaction,
  lock = false,
): Promise<Map<number, LoadedProduct>> {
  if (productIds.length === 0) return new Map();
  const [products] = await rawReads<[Map<number, LoadedProduct>]>(models.sequelize, [productsRead(models, productIds, lock)], transaction);
  return products;
}

/** The valuation of products read locked by loadProducts (the sale's lock on them). */
function lockedValuation(models: TenantModels, products: ReadonlyMap<number, LoadedProduct>, transaction: Transaction): InventoryValuation {
  return InventoryValuation.locked(
    models,
    [...products.values()].map((p) => ({ id: p.id, quantity: p.inventoryQuantity, value: p.inventoryValue, costPrice: p.costPrice })),
    transaction,
  );
}

function productIdsOf(lines: readonly InvoiceLineInput[]): number[] {
  return lines.map((l) => l.productId).filter((id): id is number => typeof id === 'number');
}

/** Prices, descriptions and tax rates of the lines, from their products where they have one. */
function resolveWith(
  byId: ReadonlyMap<number, LoadedProduct>,
  lines: readonly InvoiceLineInput[],
  discount: DocumentDiscountInput,
  pathPrefix = '',
): ResolvedInvoice {
  const issues: { path: string; message: string }[] = [];
  const resolved: Omit<ResolvedLine, keyof PricedLine>[] = [];
  const used = new Map<number, ProductFacts>();
  lines.forEach((line, i) => {
    const product = typeof line.productId === 'number' ? byId.get(line.productId) : undefined;
    if (typeof line.productId === 'number') {
      if (!product) {
        issues.push({ path: `${pathPrefix}lines.${i}.productId`, message: `no product ${line.productId}` });
        return;
      }
      if (!product.isActive) {
        issues.push({ path: `${pathPrefix}lines.${i}.productId`, message: `product ${product.sku} is inactive` });
        return;
      }
      used.set(product.id, { sku: product.sku, allowNegativeStock: product.allowNegativeStock, trackBatches: product.trackBatches });
      const fine = quantityIssue(`${pathPrefix}lines.${i}.quantity`, line.quantity, product.decimals, product.sku);
      if (fine) {
        issues.push(fine);
        return;
      }
    }
    resolved.push({
      productId: product?.id ?? null,
      description: line.description?.trim() || product!.name,
      quantity: line.quantity,
      unitPrice: line.unitPrice ?? product!.unitPrice,
      // A product line names a rate only when it comes from a quote (checkLineShapes): the quoted one.
      taxRateBp: line.taxRateBp ?? product?.taxRateBp ?? 0,
      taxInclusive: line.taxInclusive ?? product?.taxInclusive ?? false,
      discountBp: line.discountBp ?? null,
      costAmount: null,
    });
  });
  if (issues.length) throw new ValidationFailed('Invalid invoice lines', issues);
  const { priced, issues: pricing } = priceLines(
    resolved.map((l, i) => ({ ...l, discountAmount: lines[i]!.discountAmount ?? null })),
    discount,
  );
  issues.push(...pricing.map((p) => ({ ...p, path: `${pathPrefix}${p.path}` })));
  priced.lines.forEach((line, i) => {
    if (line.lineTotal > MAX_AMOUNT)
      issues.push({ path: `${pathPrefix}lines.${i}`, message: `a line total of at most ${MAX_AMOUNT} cents` });
  });
  if (issues.length) throw new ValidationFailed('Invalid invoice lines', issues);
  if (priced.total > MAX_AMOUNT)
    throw new ValidationFailed('Invoice total too large', [
      { path: `${pathPrefix}lines`, message: `a total of at most ${MAX_AMOUNT} cents` },
    ]);
  return {
    lines: resolved.map((l, i) => {
      const { gross: _gross, ...amounts } = priced.lines[i]!;
      return { ...l, ...amounts };
    }),
    products: used,
    discountBp: discount.discountBp ?? null,
    discountAmount: priced.discountAmount,
    discountTotal: priced.discountTotal,
    subtotal: priced.subtotal,
    tax: priced.tax,
    total: priced.total,
  };
}

/** Resolves and prices a document's lines against their products (invoices and quotes). */
export async function resolveLines(
  models: TenantModels,
  lines: readonly InvoiceLineInput[],
  discount: DocumentDiscountInput,
  transaction: Transaction,
): Promise<ResolvedInvoice> {
  return resolveWith(await loadProducts(models, productIdsOf(lines), transaction), lines, discount);
}

type ReferenceRow = { id: number; isActive: boolean } | null | undefined;

function referenceIssues(
  locationId: number,
  location: ReferenceRow,
  customerId: number | null | undefined,
  customer: ReferenceRow,
  pathPrefix = '',
) {
  const issues: { path: string; message: string }[] = [];
  if (!location) issues.push({ path: `${pathPrefix}locationId`, message: `no location ${locationId}` });
  else if (!location.isActive) issues.push({ path: `${pathPrefix}locationId`, message: `location ${locationId} is inactive` });
  if (customerId && !customer) issues.push({ path: `${pathPrefix}customerId`, message: `no customer ${customerId}` });
  else if (customerId && customer && !customer.isActive)
    issues.push({ path: `${pathPrefix}customerId`, message: `customer ${customerId} is inactive` });
  return issues;
}

export async function checkReferences(
  models: TenantModels,
  locationId: number,
  customerId: number | null | undefined,
  transaction: Transaction,
): Promise<void> {
  // One query at a time: a transaction is one connection.
  const location = await models.Location.findByPk(locationId, { attributes: ['id', 'isActive'], transaction });
  const customer = customerId ? await models.Customer.findByPk(customerId, { attributes: ['id', 'isActive'], transaction }) : null;
  const issues = referenceIssues(locationId, location, customerId, customer);
  if (issues.length) throw new ValidationFailed('Unknown or inactive location or customer', issues);
}

// ── numbering ─────────────────────────────────────────────────────────────────────────────────────

/**
 * The next free invoice number under the tenant's prefix: one more than the highest issued one with
 * that prefix. Two concurrent issuers may compute the same number; the unique index lets one win and
 * the other's transaction starts over (RetryableConflict), so numbers stay unique and gapless.
 */
async function nextInvoiceNumber(models: TenantModels, transaction: Transaction, count = 1): Promise<string[]> {
  const { invoicePrefix } = await postingSettings(models, transaction);
  return nextDocumentNumbers(models.unassociated('Invoice'), invoicePrefix, transaction, count, { issuedOnly: true });
}

/**
 * The next `count` numbers under `prefix` of a numbered document (invoices, credit notes): one more
 * than the highest number with that prefix followed by digits only. `issuedOnly`: drafts (numbered
 * DRAFT-…, status `draft`) are left out.
 */
export async function nextDocumentNumbers(
  model: ModelStatic<Model & { number: string }>,
  prefix: string,
  transaction: Transaction,
  count = 1,
  options: { issuedOnly?: boolean } = {},
): Promise<string[]> {
  const s = rawSelectParts(model);
  const [next] = await rawReads<[NextNumbers]>(
    model.sequelize!,
    [documentNumbersRead(model, s.escape(`${prefix}%`), options)],
    transaction,
  );
  return next(prefix, count);
}

/** The numbers after the highest read by documentNumbersRead, once the prefix is known. */
type NextNumbers = (prefix: string, count: number) => string[];

/**
 * The read of the highest numbers of a numbered document whose number is LIKE `patternSql` (the
 * prefix and `%`: a literal, or SQL that reads the prefix from the settings in the same statement).
 */
function documentNumbersRead(
  model: ModelStatic<Model & { number: string }>,
  patternSql: string,
  options: { issuedOnly?: boolean } = {},
): RawRead<NextNumbers> {
  // Numbers under a longer prefix that starts with this one (INV- and INV-2026-) are skipped: only
  // digits may follow the prefix. SQL text from the model's cached parts: a sale asks this every time.
  const s = rawSelectParts(model);
  const number = s.col('number');
  return {
    sql:
      // `_` in a prefix is a LIKE wildcard (SQLite has no default escape): the match is checked again below.
      `SELECT ${number} AS ${s.quote('number')} FROM ${s.from} WHERE ${number} LIKE ${patternSql}` +
      `${options.issuedOnly ? ` AND ${s.col('status')} <> ${s.escape('draft')}` : ''}` +
      // Longest first: INV-1000000 follows INV-999999.
      ` ORDER BY LENGTH(${number}) DESC, ${number} DESC LIMIT 50`,
    read: (rows) => (prefix, count) => {
      const last = rows
        .map((c) => String(c.number))
        .filter((n) => n.startsWith(prefix))
        .map((n) => n.slice(prefix.length))
        .find((rest) => /^\d+$/.test(rest));
      const n = last === undefined ? 0 : Number(last);
      if (!Number.isSafeInteger(n + count)) throw new Conflict(`Cannot continue the numbering after ${prefix}${last}`);
      return Array.from({ length: count }, (_, i) => formatDocumentNumber(prefix, n + 1 + i));
    },
  };
}

/** The read of the next invoice numbers under the settings' prefix (read with the settings, in the same round trip). */
function invoiceNumbersRead(models: TenantModels): RawRead<NextNumbers> {
  const prefix = invoicePrefixSql(models);
  const dialect = models.sequelize.getDialect();
  // MySQL/MariaDB's || is OR unless PIPES_AS_CONCAT.
  const pattern = dialect === 'mysql' || dialect === 'mariadb' ? `CONCAT(${prefix}, '%')` : `${prefix} || '%'`;
  return documentNumbersRead(models.unassociated('Invoice'), pattern, { issuedOnly: true });
}

function numberTaken(err: unknown): never {
  if (err instanceof UniqueConstraintError) throw new RetryableConflict('Invoice number taken concurrently');
  throw err;
}

function draftNumber(): string {
  return `DRAFT-${randomBytes(8).toString('hex')}`;
}

// ── posting ───────────────────────────────────────────────────────────────────────────────────────

/** Units to take per product and location, in (product, location) order so concurrent sales lock rows in one order. */
function stockNeeds(sales: readonly { locationId: number; resolved: ResolvedInvoice }[]) {
  const need = new Map<string, { productId: number; locationId: number; quantity: number; facts: ProductFacts; lines: ResolvedLine[] }>();
  for (const { locationId, resolved } of sales) {
    for (const l of resolved.lines) {
      if (l.productId === null) continue;
      const key = `${l.productId}:${locationId}`;
      const entry = need.get(key) ?? {
        productId: l.productId,
        locationId,
        quantity: 0,
        facts: resolved.products.get(l.productId)!,
        lines: [],
      };
      entry.quantity += l.quantity;
      entry.lines.push(l);
      need.set(key, entry);
    }
  }
  return [...need.values()].sort((a, b) => a.productId - b.productId || a.locationId - b.locationId);
}

/**
 * Takes the stock of every product line (summed per product and location; InsufficientStock lists
 * every shortage) and sets each product line's cost: the value its units take out of the product's
 * valuation. The products are locked first (in id order), then their stock rows.
 *
 * `deferLevels` (a PostgreSQL sale sending its writes as one query): when no product of the sale
 * tracks batches, the stock levels' UPDATE is not sent here but returned (`levels`), for the caller to
 * send first among its writes and settle with the rows it returns (the costs come from the locked valuation,
 * not from the levels, so the lines' costs are set all the same).
 */
async function takeSaleStock(
  models: TenantModels,
  sales: readonly { locationId: number; resolved: ResolvedInvoice }[],
  transaction: Transaction,
  locked?: InventoryValuation,
  options: { save?: boolean; deferLevels?: boolean } = {},
): Promise<{ valuation: InventoryValuation | null; levels: DeferredLevels | null }> {
  const productLines = sales.flatMap(({ resolved }) => resolved.lines.filter((l) => l.productId !== null));
  if (productLines.length === 0) return { valuation: null, levels: null };
  const valuation =
    locked ??
    (await InventoryValuation.lock(
      models,
      productLines.map((l) => l.productId!),
      transaction,
    ));
  const shortages: StockShortage[] = [];
  const batchShortages: Parameters<typeof batchShortage>[0][number][] = [];
  const needs = stockNeeds(sales);
  const noBatch = new Set<string>();
  let today: string | undefined;
  for (const { productId, locationId, quantity, facts, lines } of needs) {
    if (!facts.trackBatches) continue;
    // First expiry first out over the unexpired batches; expired ones are never sold.
    today ??= await tenantToday(models, transaction);
    const fefo = await takeFefo(models, { productId, locationId, quantity, today }, transaction);
    if (!fefo.ok) {
      batchShortages.push({ productId, sku: facts.sku, locationId, requested: quantity, ...fefo });
      noBatch.add(`${productId}:${locationId}`);
      continue;
    }
    let pieces = fefo.pieces.map((p) => ({ batchId: p.batchId, quantity: p.quantity }));
    for (const line of lines) {
      const mine = splitOver(line.quantity, pieces);
      linePieces.set(line, mine);
      pieces = pieces.map((p) => ({ ...p, quantity: p.quantity - (mine.find((m) => m.batchId === p.batchId)?.quantity ?? 0) }));
    }
  }
  const locations = [...new Set(needs.map((n) => n.locationId))];
  const levelNeeds = (locationId: number) => {
    const here = needs.filter((n) => n.locationId === locationId && !noBatch.has(`${n.productId}:${locationId}`));
    const taken = here.map((n) => ({
      productId: n.productId,
      quantity: n.quantity,
      allowNegative: n.facts.allowNegativeStock && !n.facts.trackBatches,
    }));
    return { here, taken };
  };
  let levels: DeferredLevels | null = null;
  if (options.deferLevels && locations.length === 1 && !needs.some((n) => n.facts.trackBatches)) {
    const locationId = locations[0]!;
    const { here, taken } = levelNeeds(locationId);
    const take = stockTake(models, locationId, taken);
    if (take.returning === null) throw new Error('Deferred stock levels need UPDATE … RETURNING (PostgreSQL)');
    levels = {
      statement: take.returning,
      guarded: take.guarded!,
      settle: async (rows) => throwShortages(shortagesOf(await take.settle(rows, transaction), here, locationId), []),
    };
  } else {
    // The stock levels: one statement per location for every product of the sale(s) there.
    for (const locationId of locations) {
      const { here, taken } = levelNeeds(locationId);
      shortages.push(...shortagesOf(await takeStocks(models, locationId, taken, transaction), here, locationId));
    }
    throwShortages(shortages, batchShortages);
  }
  for (const line of productLines) {
    const { value, variance } = valuation.remove(line.productId!, line.quantity);
    line.costAmount = value + variance;
  }
  // `save: false`: the caller sends the valuation's UPDATE with its other writes (saveStatement).
  if (options.save !== false) await valuation.save();
  return { valuation, levels };
}

/** A sale's stock levels UPDATE left to the caller (takeSaleStock's `deferLevels`). */
interface DeferredLevels {
  /** PostgreSQL: UPDATE … RETURNING the quantities after it. */
  statement: string;
  /** The same UPDATE as a statement that fails when a product went short (stockTake's `guarded`): for writes sent with their COMMIT. */
  guarded: string;
  /** Takes that statement's rows; throws InsufficientStock when a product went short (the caller's transaction rolls back). */
  settle(rows: readonly Record<string, unknown>[]): Promise<void>;
}

interface StockShortage {
  productId: number;
  sku: string;
  locationId: number;
  requested: number;
  available: number;
}

function shortagesOf(
  short: readonly { productId: number; available: number }[],
  here: readonly { productId: number; quantity: number; facts: ProductFacts }[],
  locationId: number,
): StockShortage[] {
  return short.map(({ productId, available }) => {
    const need = here.find((n) => n.productId === productId)!;
    return { productId, sku: need.facts.sku, locationId, requested: need.quantity, available };
  });
}

function throwShortages(shortages: readonly StockShortage[], batchShortages: Parameters<typeof batchShortage>[0]): void {
  if (batchShortages.length && !shortages.length) throw batchShortage(batchShortages);
  if (shortages.length) {
    const list = shortages
      .map((s) => `${s.sku} (${formatQuantity(s.available)} on hand, ${formatQuantity(s.requested)} wanted)`)
      .join(', ');
    // Details speak the API's language: decimal units, not thousandths.
    throw new InsufficientStock(`Not enough stock: ${list}`, {
      shortages: shortages.map((s) => ({ ...s, requested: quantityNumber(s.requested), available: quantityNumber(s.available) })),
    });
  }
}

/** One movement per product line, or per batch it was taken from. */
function saleMovements(invoiceId: number, locationId: number, resolved: ResolvedInvoice, userId: number) {
  return resolved.lines
    .filter((l) => l.productId !== null)
    .flatMap((l) =>
      (linePieces.get(l) ?? [{ batchId: null, quantity: l.quantity }]).map((piece) => ({
        productId: l.productId!,
        locationId,
        quantity: -piece.quantity,
        reason: 'sale' as const,
        reference: `invoice:${invoiceId}`,
        batchId: piece.batchId,
        createdBy: userId,
      })),
    );
}

/** A walk-in sale paid in full at the till never was a receivable: its money account is debited directly. */
function paidAtTill(customerId: number | null | undefined, total: number, paid: number): boolean {
  return paid === total && paid > 0 && !customerId;
}

/** The posting of a sale: receivable (or money) / revenue / tax payable, and cost of goods / inventory. */
function saleEntry(
  invoice: { id: number; number: string; issueDate: string; customerId?: number | null },
  resolved: ResolvedInvoice,
  till: TillSettlement,
  accounts: SystemAccounts,
  userId: number,
): PostingInput {
  const cost = sumCents(resolved.lines.map((l) => l.costAmount ?? 0));
  // Paid in full at the till: each part goes straight to its money account (cash, bank).
  const debits = paidAtTill(invoice.customerId, resolved.total, till.paid)
    ? till.payments.map((p) => ({ accountId: moneyAccount(accounts, p.method), debit: p.amount }))
    : [{ accountId: accounts.accountsReceivable, debit: resolved.total }];
  return {
    entryDate: invoice.issueDate,
    memo: `Invoice ${invoice.number}`,
    sourceType: 'invoice',
    sourceId: invoice.id,
    postedBy: userId,
    lines: [
      ...debits,
      { accountId: accounts.salesRevenue, credit: resolved.subtotal },
      { accountId: accounts.taxPayable, credit: resolved.tax },
      { accountId: accounts.costOfGoodsSold, debit: cost },
      { accountId: accounts.inventory, credit: cost },
    ],
  };
}

interface SaleContext {
  invoice: Invoice;
  locationId: number;
  resolved: ResolvedInvoice;
  /** What the till takes (see settleTill). */
  till: TillSettlement;
  userId: number;
  hooks: PostingHooks | undefined;
  transaction: Transaction;
  /** The system accounts when already read (else read here). */
  accounts?: SystemAccounts | undefined;
}

/** The payments as a list, and where their fields are named in errors (`payment.` or `payments.<i>.`). */
function tillPaymentsOf(input: TillPayments): { list: readonly TillPayment[]; at: (i: number) => string } {
  if (input.payments) return { list: input.payments, at: paymentPath };
  return { list: input.payment ? [input.payment] : [], at: () => 'payment.' };
}

/** The shapes of the till payments (before anything is read): one form or the other, methods, amounts, references. */
export function checkTillPayments(input: TillPayments): void {
  if (input.payment && input.payments)
    throw new ValidationFailed('Invalid payment', [{ path: 'payments', message: 'payment or payments, not both' }]);
  if (input.payments && (!Array.isArray(input.payments) || input.payments.length === 0 || input.payments.length > MAX_TILL_PAYMENTS))
    throw new ValidationFailed('Invalid payment', [{ path: 'payments', message: `1 to ${MAX_TILL_PAYMENTS} payments` }]);
  const { list, at } = tillPaymentsOf(input);
  list.forEach((p, i) => {
    checkPaymentInput(p, at(i));
    if (p.tendered !== undefined && p.tendered !== null) {
      const f = new FieldChecks();
      f.int(p.tendered, `${at(i)}tendered`, 1, MAX_AMOUNT);
      f.done('payment');
    }
  });
}

/** What the till takes of a sale of `total` cents: its payments (none on a free sale), what they pay and the change. */
function settleTill(total: number, input: TillPayments): TillSettlement {
  const { list, at } = tillPaymentsOf(input);
  if (total === 0) return { paid: 0, payments: [], change: 0 };
  const result = settleTillPayments(total, list, at);
  if (!result.ok) throw new ValidationFailed('The payments do not fit the invoice total', result.issues);
  return result.settlement;
}

/** The change a sale's cash payments leave (the API answers it with the sale). */
export function tillChange(total: number, input: TillPayments): number {
  return settleTill(total, input).change;
}

/** Paid in full (a free invoice included) or still owed. */
function saleStatus(total: number, paid: number): InvoiceStatus {
  return paid === total ? 'paid' : 'issued';
}

/** Everything after the stock and the invoice row: movements, journal, till payments (returned in order). */
async function recordSale(models: TenantModels, ctx: SaleContext): Promise<Payment[]> {
  const { invoice, resolved, transaction, userId, till } = ctx;
  const movements = saleMovements(invoice.id, ctx.locationId, resolved, userId);
  if (movements.length) await models.StockMovement.bulkCreate(movements, { transaction });
  await ctx.hooks?.beforeJournal?.({ invoiceId: invoice.id, transaction });

  const accounts = ctx.accounts ?? (await systemAccounts(models, transaction));
  await postJournalEntry(models, saleEntry(invoice, resolved, till, accounts, userId), transaction);
  const post = !paidAtTill(invoice.customerId, resolved.total, till.paid);
  const payments: Payment[] = [];
  // One at a time: a transaction is one connection.
  for (const p of till.payments) payments.push(await writePayment(models, invoice, { ...p, userId }, accounts, transaction, { post }));
  return payments;
}

/** The amounts a document row (invoice or quote) keeps of its priced lines. */
export function documentAmounts(resolved: ResolvedInvoice) {
  return {
    discountBp: resolved.discountBp,
    discountAmount: resolved.discountAmount,
    discountTotal: resolved.discountTotal,
    subtotal: resolved.subtotal,
    tax: resolved.tax,
    total: resolved.total,
  };
}

function checkCreate(input: SaleInput): void {
  const f = new FieldChecks();
  if (input.locationId !== undefined) f.int(input.locationId, 'locationId', 1, MAX_INT32);
  if (input.customerId !== undefined && input.customerId !== null) f.int(input.customerId, 'customerId', 1, MAX_INT32);
  if (input.issueDate !== undefined) f.date(input.issueDate, 'issueDate');
  f.text(input.notes, 'notes', 5000, false);
  checkLineShapes(input.lines, f, input.quoteId !== undefined && input.quoteId !== null);
  checkDiscountShape(input, f);
  if (input.draft && (input.payment || input.payments))
    f.fail(input.payment ? 'payment' : 'payments', 'a draft takes no payment; pay when issuing');
  f.done('invoice');
  checkTillPayments(input);
}

/**
 * Creates an invoice with its lines and issues it (or saves a draft with `draft: true`), in one
 * transaction. Returns the invoice with its lines and payments.
 */
export async function createInvoice(models: TenantModels, input: SaleInput, options: InvoiceWriteOptions = {}): Promise<Invoice> {
  return getInvoice(models, (await writeInvoice(models, input, options)).id, options.transaction);
}

/**
 * createInvoice without reading the invoice back: the invoice as written, with its lines and payments
 * (what the database returned of the inserts: ids, defaults), so a sale answers without another query.
 */
export async function writeInvoice(models: TenantModels, sale: SaleInput, options: InvoiceWriteOptions = {}): Promise<Invoice> {
  checkCreate(sale);
  try {
    return await writeSale(models, sale, options, true);
  } catch (err) {
    // A PostgreSQL sale sends its writes with its COMMIT and checks the stock in SQL (stockTake's
    // `guarded`): a product short (or without a stock row) failed that query and rolled it all back.
    // The sale runs again the way that settles the stock after its UPDATE, still before the COMMIT:
    // InsufficientStock with every shortage, or the row of a product allowed negative stock.
    if (!isGuardedStockShort(err)) throw err;
    return writeSale(models, sale, options, false);
  }
}

/** writeInvoice's transaction; `commitWithWrites`: a PostgreSQL sale's writes may carry the COMMIT (writeSaleRows). */
async function writeSale(models: TenantModels, sale: SaleInput, options: InvoiceWriteOptions, commitWithWrites: boolean): Promise<Invoice> {
  return writeTransaction(
    models.sequelize,
    async (transaction) => {
      // The first reads, one round trip on PostgreSQL (rawReads, with the transaction's start): the
      // settings (locked FOR SHARE, as postingSettings) with the named location, the customer and the
      // system accounts; the user's locations (the location rule); the products' prices, tax rates
      // and units, locked for a sale (the valuation lock, in id order); and for a sale the last
      // invoice numbers under the settings' prefix (a unique number taken concurrently retries the
      // whole transaction, see numberTaken).
      const customerId = sale.customerId ?? null;
      const reads = await rawReads<
        [{ settings: TenantSettingsView; values: Record<string, unknown> }, UserLocations, Map<number, LoadedProduct>, NextNumbers?]
      >(
        models.sequelize,
        [
          postingSettingsRead<string>(models, transaction, {
            ...saleReferenceColumns(models, sale.locationId ?? null, customerId),
            ...(sale.draft ? {} : systemAccountColumns(models)),
          }),
          userLocationsRead(models, sale.userId),
          productsRead(models, productIdsOf(sale.lines), !sale.draft),
          ...(sale.draft ? [] : [invoiceNumbersRead(models)]),
        ] as never,
        transaction,
      );
      const [{ settings, values }, userLocations, products, nextNumbers] = reads;
      const input: CreateInvoiceInput = { ...sale, locationId: locationForUser(userLocations, sale.locationId) };
      const issueDate = input.issueDate ?? dateInTimeZone(settings.timeZone);
      const issues = referenceIssues(
        input.locationId,
        sale.locationId === undefined
          ? // Picked by the rule: one of the user's locations (as stored), or the only active one.
            (userLocations.allowed.find((l) => l.id === input.locationId) ?? { id: input.locationId, isActive: true })
          : referenceRow(input.locationId, values.location),
        customerId,
        referenceRow(customerId, values.customer),
      );
      if (issues.length) throw new ValidationFailed('Unknown or inactive location or customer', issues);
      const accounts = input.draft ? undefined : systemAccountsRead(values as Record<AccountCodeKey, unknown>, transaction);
      const resolved = resolveWith(products, input.lines, input);
      const till = input.draft ? { paid: 0, payments: [], change: 0 } : settleTill(resolved.total, input);
      // PostgreSQL: the rows of an issued sale go in one round trip (sale-rows.ts); the test seam
      // between the movements and the journal needs them one at a time.
      const oneTrip = !input.draft && !options.hooks?.beforeJournal && models.sequelize.getDialect() === 'postgres';
      const { valuation, levels } = input.draft
        ? { valuation: null, levels: null }
        : await takeSaleStock(
            models,
            [{ locationId: input.locationId, resolved }],
            transaction,
            lockedValuation(models, products, transaction),
            { save: !oneTrip, deferLevels: oneTrip },
          );
      const number = nextNumbers ? nextNumbers(settings.invoicePrefix, 1)[0]! : draftNumber();
      if (oneTrip)
        return writeSaleRows(models, transaction, {
          input,
          resolved,
          till,
          number,
          issueDate,
          accounts: accounts!,
          settings,
          valuation,
          levels,
          commit: commitWithWrites ? commitWithLastQuery(transaction) : {},
        }).catch(numberTaken);
      const invoice = await models.Invoice.create(
        {
          number,
          locationId: input.locationId,
          customerId,
          status: input.draft ? 'draft' : saleStatus(resolved.total, till.paid),
          issueDate,
          ...documentAmounts(resolved),
          amountPaid: till.paid,
          createdBy: input.userId,
          notes: input.notes?.trim() || null,
          quoteId: input.quoteId ?? null,
        },
        { transaction },
      ).catch(numberTaken);
      const lines = await models.InvoiceLine.bulkCreate(
        resolved.lines.map((l) => ({ ...l, invoiceId: invoice.id })),
        { transaction },
      );
      let payments: Payment[] = [];
      if (!input.draft) {
        payments = await recordSale(models, {
          invoice,
          locationId: input.locationId,
          resolved,
          till,
          userId: input.userId,
          hooks: options.hooks,
          transaction,
          accounts,
        });
      }
      // As getInvoice answers it: lines and payments in id order, nothing credited yet.
      invoice.lines = lines;
      invoice.payments = payments;
      invoice.creditedTotal = 0;
      return invoice;
    },
    options,
  );
}

/**
 * An issued sale's rows after its stock was taken, in one round trip (PostgreSQL; see sale-rows.ts):
 * the valuation, the invoice, lines, movements, the journal entry of the sale, the till payments (and
 * the entry of each when the sale went through receivables). The same rows and checks as the path
 * through Model.create/bulkCreate and postJournalEntry; returns the invoice as written.
 */
async function writeSaleRows(
  models: TenantModels,
  transaction: Transaction,
  sale: {
    input: CreateInvoiceInput;
    resolved: ResolvedInvoice;
    till: TillSettlement;
    number: string;
    issueDate: string;
    accounts: SystemAccounts;
    settings: { timeZone: string };
    valuation: InventoryValuation | null;
    levels: DeferredLevels | null;
    /** commitWithLastQuery's options: the statements carry the COMMIT, the stock checked by its guarded UPDATE. */
    commit: ReturnType<typeof commitWithLastQuery>;
  },
): Promise<Invoice> {
  const { input, resolved, till, number, issueDate, accounts } = sale;
  const now = storedInstant(models.sequelize.getDialect());
  const rows = saleRowsWriter(models, transaction);
  // With the COMMIT, the stock must be checked before it, in SQL: the guarded UPDATE fails the query when short.
  const guarded = sale.commit.commitsTransaction === true && sale.levels !== null;
  // The stock levels first (the lock order of every sale: products, stock levels, then the rest).
  const levels = sale.levels ? rows.statement(guarded ? sale.levels.guarded : sale.levels.statement) : null;
  const valuationSql = sale.valuation?.saveStatement() ?? null;
  if (valuationSql !== null) rows.statement(valuationSql);

  const Invoice = models.unassociated('Invoice');
  const invoiceId = rows.lastId(Invoice);
  const customerId = input.customerId ?? null;
  const invoice = {
    number,
    locationId: input.locationId,
    customerId,
    status: saleStatus(resolved.total, till.paid),
    issueDate,
    ...documentAmounts(resolved),
    amountPaid: till.paid,
    amountCredited: 0,
    createdBy: input.userId,
    notes: input.notes?.trim() || null,
    quoteId: input.quoteId ?? null,
    createdAt: now,
    updatedAt: now,
  };
  const invoiceRow = rows.insert(Invoice, [invoice], true);
  const lines = resolved.lines.map((l) => ({
    productId: l.productId,
    description: l.description,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    taxRateBp: l.taxRateBp,
    taxInclusive: l.taxInclusive,
    discountBp: l.discountBp,
    discountAmount: l.discountAmount,
    invoiceDiscount: l.invoiceDiscount,
    lineSubtotal: l.lineSubtotal,
    lineTax: l.lineTax,
    lineTotal: l.lineTotal,
    costAmount: l.costAmount,
  }));
  const lineRows = rows.insert(
    models.unassociated('InvoiceLine'),
    lines.map((l) => ({ invoiceId, ...l })),
    true,
  );
  // The invoice's id is not known yet: the movements' reference and the entries' source take its currval.
  const movements = saleMovements(0, input.locationId, resolved, input.userId).map((m) => ({
    ...m,
    reference: { sql: `${models.sequelize.escape('invoice:')} || ${invoiceId.sql}` },
    createdAt: now,
  }));
  rows.insert(models.unassociated('StockMovement'), movements);

  const JournalEntry = models.unassociated('JournalEntry');
  const JournalLine = models.unassociated('JournalLine');
  const post = async (entry: PostingInput, sourceId: { sql: string }) => {
    const lines = await checkedPosting(models, entry, transaction);
    if (lines === null) return;
    rows.insert(JournalEntry, [
      {
        entryDate: entry.entryDate,
        memo: entry.memo ?? null,
        sourceType: entry.sourceType ?? null,
        sourceId,
        postedBy: entry.postedBy ?? null,
        createdAt: now,
      },
    ]);
    const entryId = rows.lastId(JournalEntry);
    rows.insert(
      JournalLine,
      lines.map((l) => ({ journalEntryId: entryId, accountId: l.accountId, debit: l.debit ?? 0, credit: l.credit ?? 0 })),
    );
  };
  await post(saleEntry({ id: 0, number, issueDate, customerId }, resolved, till, accounts, input.userId), invoiceId);

  const Payment = models.unassociated('Payment');
  const payments = till.payments.map((p) => ({
    amount: p.amount,
    method: p.method,
    reference: p.reference?.trim() || null,
    receivedAt: now,
    createdBy: input.userId,
    createdAt: now,
  }));
  const postPayments = !paidAtTill(customerId, resolved.total, till.paid);
  const paymentDate = dateInTimeZone(sale.settings.timeZone, now);
  const paymentRows: number[] = [];
  for (const payment of payments) {
    paymentRows.push(rows.insert(Payment, [{ invoiceId, ...payment }], true));
    if (postPayments)
      await post(
        paymentEntry(
          { number },
          { id: 0, amount: payment.amount, method: payment.method, receivedAt: now },
          accounts,
          input.userId,
          paymentDate,
        ),
        rows.lastId(Payment),
      );
  }

  const sent = await rows.send(sale.commit);
  // A product gone short: InsufficientStock, and the transaction (with every row above) rolls back.
  if (levels !== null && !guarded) await sale.levels!.settle(sent[levels]!);
  const ids = (at: number) => sent[at]!.map((r) => r.id as number);
  const id = ids(invoiceRow)[0]!;
  const lineIds = ids(lineRows);
  return builtInvoice(
    models,
    { id, ...invoice },
    lines.map((l, i) => ({ id: lineIds[i], invoiceId: id, ...l })),
    payments.map((p, i) => ({ id: ids(paymentRows[i]!)[0], invoiceId: id, ...p })),
  );
}

/** A sale's location and customer (`is_active`, null when there is no such row) as scalar subqueries. */
function saleReferenceColumns(
  models: TenantModels,
  locationId: number | null,
  customerId: number | null,
): Record<'location' | 'customer', string> {
  const l = rawSelectParts(models.unassociated('Location'));
  const c = rawSelectParts(models.unassociated('Customer'));
  return {
    location: locationId === null ? 'NULL' : `(SELECT ${l.col('isActive')} FROM ${l.from} WHERE ${l.col('id')} = ${sqlInt(locationId)})`,
    customer: customerId === null ? 'NULL' : `(SELECT ${c.col('isActive')} FROM ${c.from} WHERE ${c.col('id')} = ${sqlInt(customerId)})`,
  };
}

function referenceRow(id: number | null, isActive: unknown): ReferenceRow {
  return id === null || isActive === null || isActive === undefined ? null : { id, isActive: sqlBool(isActive) };
}

/**
 * Issues many invoices inside the caller's transaction with a handful of bulk statements instead of a
 * dozen per invoice (demo data, imports): the same checks, stock rule, numbering and postings as
 * createInvoice (no drafts, no hooks). All or nothing with the caller's transaction. Returns the new
 * invoices' ids, in input order.
 */
export async function issueInvoicesInBulk(
  models: TenantModels,
  inputs: readonly CreateInvoiceInput[],
  transaction: Transaction,
): Promise<number[]> {
  if (inputs.length === 0) return [];
  inputs.forEach((input, i) => {
    if (input.draft) throw new ValidationFailed('Bulk issuing takes no drafts', [{ path: `${i}.draft`, message: 'not a draft' }]);
    try {
      checkCreate(input);
    } catch (err) {
      if (err instanceof ValidationFailed) {
        const details = (err.details as { path: string; message: string }[] | undefined) ?? [];
        throw new ValidationFailed(
          err.message,
          details.map((d) => ({ ...d, path: `${i}.${d.path}` })),
        );
      }
      throw err;
    }
  });
  const issueDate = await tenantToday(models, transaction);
  const locationIds = [...new Set(inputs.map((i) => i.locationId))];
  const customerIds = [...new Set(inputs.map((i) => i.customerId).filter((id): id is number => typeof id === 'number'))];
  const locations = await models.Location.findAll({ where: { id: { [Op.in]: locationIds } }, attributes: ['id', 'isActive'], transaction });
  const customers = customerIds.length
    ? await models.Customer.findAll({ where: { id: { [Op.in]: customerIds } }, attributes: ['id', 'isActive'], transaction })
    : [];
  // Read locked (the valuation lock, in id order): prices and lock in one statement.
  const products = await loadProducts(
    models,
    inputs.flatMap((i) => productIdsOf(i.lines)),
    transaction,
    true,
  );
  const issues = inputs.flatMap((input, i) =>
    referenceIssues(
      input.locationId,
      locations.find((l) => l.id === input.locationId),
      input.customerId,
      customers.find((c) => c.id === input.customerId),
      `${i}.`,
    ),
  );
  if (issues.length) throw new ValidationFailed('Unknown or inactive location or customer', issues);
  const sales = inputs.map((input, i) => {
    const resolved = resolveWith(products, input.lines, input, `${i}.`);
    return { input, locationId: input.locationId, resolved, till: settleTill(resolved.total, input) };
  });
  await takeSaleStock(models, sales, transaction, lockedValuation(models, products, transaction));

  const numbers = await nextInvoiceNumber(models, transaction, sales.length);
  const invoices = await models.Invoice.bulkCreate(
    sales.map(({ input, resolved, till }, i) => ({
      number: numbers[i]!,
      locationId: input.locationId,
      customerId: input.customerId ?? null,
      status: saleStatus(resolved.total, till.paid),
      issueDate: input.issueDate ?? issueDate,
      ...documentAmounts(resolved),
      amountPaid: till.paid,
      createdBy: input.userId,
      notes: input.notes?.trim() || null,
    })),
    { transaction },
  ).catch(numberTaken);
  if (invoices.some((inv) => !Number.isSafeInteger(inv.id))) throw new Error("The database did not return the new invoices' ids");

  await models.InvoiceLine.bulkCreate(
    sales.flatMap(({ resolved }, i) => resolved.lines.map((l) => ({ ...l, invoiceId: invoices[i]!.id }))),
    { transaction },
  );
  const movements = sales.flatMap(({ input, resolved }, i) => saleMovements(invoices[i]!.id, input.locationId, resolved, input.userId));
  if (movements.length) await models.StockMovement.bulkCreate(movements, { transaction });

  const accounts = await systemAccounts(models, transaction);
  const { timeZone } = await postingSettings(models, transaction);
  // Every till payment of every sale, in order (bulkCreate returns the rows in the order given).
  const paidParts = sales.flatMap((sale, i) => sale.till.payments.map((part) => ({ ...sale, part, invoice: invoices[i]! })));
  const payments = paidParts.length
    ? await models.Payment.bulkCreate(
        paidParts.map(({ input, invoice, part }) => ({
          invoiceId: invoice.id,
          amount: part.amount,
          method: part.method,
          reference: part.reference,
          receivedAt: storedInstant(models.sequelize.getDialect()),
          createdBy: input.userId,
        })),
        { transaction },
      )
    : [];
  await postJournalEntries(
    models,
    [
      ...sales.map(({ input, resolved, till }, i) => saleEntry(invoices[i]!, resolved, till, accounts, input.userId)),
      ...paidParts.flatMap(({ input, invoice, resolved, till }, i) =>
        paidAtTill(invoice.customerId, resolved.total, till.paid)
          ? []
          : [paymentEntry(invoice, payments[i]!, accounts, input.userId, dateInTimeZone(timeZone, new Date(payments[i]!.receivedAt)))],
      ),
    ],
    transaction,
  );
  return invoices.map((inv) => inv.id);
}

/** Issues a draft: number, stock, movements, journal (and a till payment) in one transaction. */
export async function issueInvoice(
  models: TenantModels,
  invoiceId: number,
  input: IssueInvoiceInput,
  options: InvoiceWriteOptions = {},
): Promise<Invoice> {
  if (input.issueDate !== undefined) checkDate(input.issueDate, 'issueDate');
  checkTillPayments(input);
  await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const invoice = await models.Invoice.findByPk(invoiceId, { transaction });
      if (!invoice) throw new NotFound('Invoice', invoiceId);
      if (invoice.status !== 'draft')
        throw new Conflict(`Invoice ${invoice.number} is already ${invoice.status}`, { status: invoice.status });
      const till = settleTill(invoice.total, input);
      const [number] = await nextInvoiceNumber(models, transaction);
      const issueDate = input.issueDate ?? invoice.issueDate;
      // Claim the draft: a concurrent issue of the same draft finds no draft left and stops here.
      const [claimed] = await models.Invoice.update(
        { status: saleStatus(invoice.total, till.paid), number, issueDate, amountPaid: till.paid },
        { where: { id: invoiceId, status: 'draft' }, transaction },
      ).catch(numberTaken);
      if (claimed === 0) throw new Conflict(`Invoice ${invoiceId} was issued meanwhile`);
      await invoice.reload({ transaction });

      const lines = await models.InvoiceLine.findAll({ where: { invoiceId }, order: [['id', 'ASC']], transaction });
      const productIds = [...new Set(lines.map((l) => l.productId).filter((id): id is number => typeof id === 'number'))];
      const products = productIds.length ? await models.Product.findAll({ where: { id: { [Op.in]: productIds } }, transaction }) : [];
      const resolved: ResolvedInvoice = {
        lines: lines.map((l) => ({
          productId: l.productId ?? null,
          description: l.description,
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          taxRateBp: l.taxRateBp,
          taxInclusive: l.taxInclusive,
          discountBp: l.discountBp ?? null,
          discountAmount: l.discountAmount,
          invoiceDiscount: l.invoiceDiscount,
          lineSubtotal: l.lineSubtotal,
          lineTax: l.lineTax,
          lineTotal: l.lineTotal,
          costAmount: null,
        })),
        products: new Map(
          products.map((p) => [p.id, { sku: p.sku, allowNegativeStock: p.allowNegativeStock, trackBatches: p.trackBatches }]),
        ),
        discountBp: invoice.discountBp ?? null,
        discountAmount: invoice.discountAmount,
        discountTotal: invoice.discountTotal,
        subtotal: invoice.subtotal,
        tax: invoice.tax,
        total: invoice.total,
      };
      await takeSaleStock(models, [{ locationId: invoice.locationId, resolved }], transaction);
      for (const [i, line] of lines.entries()) {
        const costAmount = resolved.lines[i]!.costAmount;
        if (costAmount !== null) await models.InvoiceLine.update({ costAmount }, { where: { id: line.id }, transaction });
      }
      await recordSale(models, {
        invoice,
        locationId: invoice.locationId,
        resolved,
        till,
        userId: input.userId,
        hooks: options.hooks,
        transaction,
      });
    },
    options,
  );
  return getInvoice(models, invoiceId, options.transaction);
}

export interface VoidInvoiceInput {
  userId: number;
  reason?: string | null;
  /** Posting date of the reversal, `YYYY-MM-DD`; default today. */
  date?: string;
}

/**
 * Voids an issued or paid invoice in one transaction: status `void`, stock returned (movements with
 * reason `void`), and one journal entry reversing the sale and its payments. 409 when it is already
 * void or still a draft.
 */
export async function voidInvoice(
  models: TenantModels,
  invoiceId: number,
  input: VoidInvoiceInput,
  options: WriteOptions = {},
): Promise<Invoice> {
  const f = new FieldChecks();
  const reason = f.text(input.reason, 'reason', 200, false) ?? null;
  f.done('void');
  if (input.date !== undefined) checkDate(input.date, 'date');
  await writeTransaction(
    models.sequelize,
    async (transaction) => {
      // Lock the invoice first: a payment in flight finishes before the void reads its payments.
      const invoice = await models.Invoice.findByPk(invoiceId, { transaction, lock: transaction.LOCK.UPDATE });
      const date = input.date ?? (await tenantToday(models, transaction));
      if (!invoice) throw new NotFound('Invoice', invoiceId);
      // A credited invoice is settled by further credit notes, not voided (the void would undo the sale twice).
      const credits = await models.unassociated('CreditNote').count({ where: { invoiceId }, transaction });
      if (credits > 0)
        throw new Conflict(`Invoice ${invoice.number} has credit notes; credit what is left instead of voiding it`, { reason: 'credited' });
      const [affected] = await models.Invoice.update(
        { status: 'void' },
        { where: { id: invoiceId, status: { [Op.in]: ['issued', 'paid'] } }, transaction },
      );
      if (affected === 0) {
        await invoice.reload({ transaction });
        if (invoice.status === 'void') throw new Conflict(`Invoice ${invoice.number} is already void`, { status: 'void' });
        throw new Conflict(`Invoice ${invoice.number} is a draft: delete it instead`, { status: invoice.status });
      }

      const lines = await models.InvoiceLine.findAll({
        where: { invoiceId },
        attributes: ['productId', 'quantity', 'costAmount'],
        raw: true,
        transaction,
      });
      const productLines = lines.filter((l) => l.productId);
      const perProduct = new Map<number, number>();
      for (const l of productLines) perProduct.set(l.productId as number, (perProduct.get(l.productId as number) ?? 0) + l.quantity);
      const returned = [...perProduct.entries()].sort((a, b) => a[0] - b[0]);
      // The goods come back at the value they left with: Inventory and cost of goods sold are restored exactly.
      const valuation = await InventoryValuation.lock(models, perProduct.keys(), transaction);
      for (const [productId, quantity] of returned)
        await putStock(models, { productId, locationId: invoice.locationId, quantity }, transaction);
      let restored = 0;
      for (const l of productLines) {
        const { value, variance } = valuation.receive(l.productId as number, l.quantity, Number(l.costAmount ?? 0));
        restored += value - variance;
      }
      await valuation.save();
      // Batch-tracked goods go back to the batches the sale took them from.
      const tracked = await trackedProducts(
        models,
        returned.map(([id]) => id),
        transaction,
      );
      const movements = [];
      for (const [productId, quantity] of returned) {
        const pieces = tracked.has(productId)
          ? splitOver(quantity, await returnableBatches(models, productId, [`invoice:${invoiceId}`], transaction))
          : [{ batchId: null, quantity }];
        for (const piece of pieces) {
          if (piece.batchId !== null) await returnToBatch(models, piece.batchId, piece.quantity, transaction);
          movements.push({
            productId,
            locationId: invoice.locationId,
            quantity: piece.quantity,
            reason: 'void' as const,
            reference: `invoice:${invoiceId}`,
            batchId: piece.batchId,
            createdBy: input.userId,
          });
        }
      }
      if (movements.length) await models.StockMovement.bulkCreate(movements, { transaction });

      const payments = await models.Payment.findAll({ where: { invoiceId }, attributes: ['id'], raw: true, transaction });
      const sources: WhereOptions[] = [{ sourceType: 'invoice', sourceId: invoiceId }];
      if (payments.length) sources.push({ sourceType: 'payment', sourceId: { [Op.in]: payments.map((p) => p.id) } });
      const entries = await models.JournalEntry.findAll({ where: { [Op.or]: sources }, attributes: ['id'], raw: true, transaction });
      const posted = entries.length
        ? await models.JournalLine.findAll({
            where: { journalEntryId: { [Op.in]: entries.map((e) => e.id) } },
            attributes: ['accountId', 'debit', 'credit'],
            raw: true,
            transaction,
          })
        : [];
      const accounts = await systemAccounts(models, transaction);
      const stockAccounts = new Set([accounts.inventory, accounts.costOfGoodsSold]);
      await postJournalEntry(
        models,
        {
          entryDate: date,
          memo: `Void of ${invoice.number}${reason ? `: ${reason}` : ''}`.slice(0, 255),
          sourceType: 'void',
          sourceId: invoiceId,
          postedBy: input.userId,
          lines: [
            ...reversalLines(
              posted.map((l) => ({ accountId: l.accountId as number, debit: Number(l.debit), credit: Number(l.credit) })),
            ).filter((l) => !stockAccounts.has(l.accountId)),
            ...inventoryLines(accounts.inventory, accounts.costOfGoodsSold, restored),
          ],
        },
        transaction,
      );
    },
    options,
  );
  return getInvoice(models, invoiceId, options.transaction);
}

/** Deletes a draft (issued invoices are voided, never deleted). */
export async function deleteDraftInvoice(models: TenantModels, invoiceId: number, options: WriteOptions = {}): Promise<void> {
  await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const invoice = await models.Invoice.findByPk(invoiceId, { attributes: ['id', 'number', 'status'], transaction });
      if (!invoice) throw new NotFound('Invoice', invoiceId);
      if (invoice.status !== 'draft')
        throw new Conflict(`Invoice ${invoice.number} is ${invoice.status}: void it instead`, { status: invoice.status });
      await models.InvoiceLine.destroy({ where: { invoiceId }, transaction });
      await models.Invoice.destroy({ where: { id: invoiceId, status: 'draft' }, transaction });
    },
    options,
  );
}

/** One invoice with its lines (in order) and payments. */
export async function getInvoice(models: TenantModels, invoiceId: number, transaction?: Transaction): Promise<Invoice> {
  const invoice = await models.Invoice.findByPk(invoiceId, {
    include: [
      { model: models.InvoiceLine, as: 'lines' },
      { model: models.Payment, as: 'payments' },
    ],
    order: [
      [{ model: models.InvoiceLine, as: 'lines' }, 'id', 'ASC'],
      [{ model: models.Payment, as: 'payments' }, 'id', 'ASC'],
    ],
    ...(transaction ? { transaction } : {}),
  });
  if (!invoice) throw new NotFound('Invoice', invoiceId);
  await withCreditedTotals(models, [invoice], transaction);
  return invoice;
}

export interface InvoiceFilter extends PageOptions {
  /** Issue date from (inclusive), `YYYY-MM-DD`. */
  from?: string;
  /** Issue date to (inclusive), `YYYY-MM-DD`. */
  to?: string;
  status?: InvoiceStatus;
  locationId?: number;
  customerId?: number;
  /** Invoice number contains this (case-insensitive). */
  q?: string;
}

/** Invoices (without lines), newest first. */
export async function listInvoices(models: TenantModels, filter: InvoiceFilter = {}): Promise<Page<Invoice>> {
  const page = await listDocuments(models, 'Invoice', filter);
  await withCreditedTotals(models, page.items);
  return page;
}

/**
 * A page of numbered sales documents (invoices, quotes), newest first: by issue date range, status,
 * location, customer and a number search.
 */
export async function listDocuments<K extends 'Invoice' | 'Quote'>(
  models: TenantModels,
  name: K,
  filter: Omit<InvoiceFilter, 'status'> & { status?: string },
): Promise<Page<InstanceType<TenantModels[K]>>> {
  const { limit, offset } = pageWindow(filter);
  const where: Record<string | symbol, unknown> = {};
  const range: Record<symbol, string> = {};
  if (filter.from) range[Op.gte] = checkDate(filter.from, 'from');
  if (filter.to) range[Op.lte] = checkDate(filter.to, 'to');
  if (filter.from || filter.to) where.issueDate = range;
  if (filter.status) where.status = filter.status;
  if (filter.locationId !== undefined) where.locationId = filter.locationId;
  if (filter.customerId !== undefined) where.customerId = filter.customerId;
  const search = filter.q?.trim();
  const { rows, count } = await findPage(models[name] as unknown as ModelStatic<InstanceType<TenantModels[K]>>, {
    where: search ? { [Op.and]: [where, containsIgnoringCase(models, name, ['number'], search)] } : where,
    order: [
      ['issueDate', 'DESC'],
      ['id', 'DESC'],
    ],
    limit,
    offset,
  });
  return { items: rows as InstanceType<TenantModels[K]>[], total: count, limit, offset };
}
