import { ADJUSTMENT_REASONS, type AdjustmentReason } from '@salesfleet/contracts';
import { literal, Op, UniqueConstraintError, type Transaction, type WhereOptions } from 'sequelize';
import { RetryableConflict, writeTransaction, type WriteOptions } from '../accounting/transactions';
import { findPage, pageWindow, type Page, type PageOptions } from '../accounting/values';
import type { StockLevel, StockMovement, TenantModels } from '../model-types';
import { rawSelect, rawSelectParts, rawUpdate, sqlInt } from '../raw-select';
import { postJournalEntry, systemAccounts, type PostingLine } from '../accounting/posting';
import { tenantToday } from '../settings/settings';
import { FieldChecks, MAX_INT32, type FieldIssue } from './fields';
import { centsFor, fitsDecimals, formatQuantity, MAX_QUANTITY, quantityNumber } from './quantity';
import type { StockMovementReason } from './stock-movement';
import { InsufficientStock, ValidationFailed } from '@salesfleet/contracts';
import { InventoryValuation } from './valuation';
import { type BatchPiece, batchUseIssue, checkBatchFields, putBatch, takeFefo, takeNamedBatch } from './batches';

/**
 * Stock per product and location. Every change goes through a conditional UPDATE
 * (`quantity = quantity - q WHERE … AND quantity >= q`) whose affected-row count says whether there
 * was enough: the database re-checks the condition against the latest committed row under its row
 * lock, so two concurrent sales of the last unit cannot both succeed — on every dialect, without
 * SERIALIZABLE.
 */

function quantityMinus(models: TenantModels, amount: number) {
  const column = models.sequelize.getQueryInterface().quoteIdentifier('quantity');
  return literal(`${column} ${amount < 0 ? '+' : '-'} ${Math.abs(amount)}`);
}

async function insertLevel(
  models: TenantModels,
  productId: number,
  locationId: number,
  quantity: number,
  transaction: Transaction,
): Promise<void> {
  try {
    await models.StockLevel.create({ productId, locationId, quantity }, { transaction });
  } catch (err) {
    // Another writer created the row since our UPDATE found none: start over, the row exists now.
    if (err instanceof UniqueConstraintError) throw new RetryableConflict('Stock level created concurrently');
    throw err;
  }
}

/**
 * Takes `quantity` (> 0) units out of stock. Returns false, changing nothing, when fewer are on hand
 * and `allowNegative` is false.
 */
export async function takeStock(
  models: TenantModels,
  change: { productId: number; locationId: number; quantity: number; allowNegative: boolean },
  transaction: Transaction,
): Promise<boolean> {
  const { productId, locationId, quantity, allowNegative } = change;
  const where: WhereOptions = allowNegative ? { productId, locationId } : { productId, locationId, quantity: { [Op.gte]: quantity } };
  const [affected] = await models.StockLevel.update({ quantity: quantityMinus(models, quantity) }, { where, transaction });
  if (affected > 0) return true;
  if (!allowNegative) return false;
  await insertLevel(models, productId, locationId, -quantity, transaction);
  return true;
}

/**
 * Takes several products' stock at one location with one UPDATE (a CASE per product), for a sale of
 * many lines: the same rule as takeStock. Each taken row is locked by the UPDATE, which subtracts from
 * the latest committed quantity; the quantities after it (PostgreSQL: RETURNING; elsewhere a read of
 * the rows this transaction now holds) say which products went below zero. Returns those shortages,
 * with what was on hand before; the caller then throws (InsufficientStock), and the rollback undoes
 * the whole statement. A product allowed negative stock without a stock row gets one.
 */
export async function takeStocks(
  models: TenantModels,
  locationId: number,
  needs: readonly StockNeed[],
  transaction: Transaction,
): Promise<{ productId: number; available: number }[]> {
  if (needs.length === 0) return [];
  const take = stockTake(models, locationId, needs);
  let rows: Record<string, unknown>[];
  if (take.returning) rows = await rawSelect(models.unassociated('StockLevel'), take.returning, transaction);
  else {
    await rawUpdate(models.unassociated('StockLevel'), take.update, transaction);
    rows = await rawSelect(models.unassociated('StockLevel'), take.read, transaction);
  }
  return take.settle(rows, transaction);
}

export interface StockNeed {
  productId: number;
  quantity: number;
  allowNegative: boolean;
}

/** The text of the error a guarded stock take raises (stockTake's `guarded`). */
const STOCK_SHORT = 'salesfleet: stock short';

/** The error of stockTake's `guarded` statement: a product went short or had no stock row (PostgreSQL's invalid_text_representation carrying STOCK_SHORT). */
export function isGuardedStockShort(err: unknown): boolean {
  const cause = (err as { parent?: { code?: unknown; message?: unknown } } | null)?.parent;
  return cause?.code === '22P02' && typeof cause.message === 'string' && cause.message.includes(STOCK_SHORT);
}

/**
 * takeStocks in parts, for a caller that sends the UPDATE with other statements (a PostgreSQL sale's
 * writes): `returning` (PostgreSQL: the UPDATE … RETURNING the quantities after it), else `update`
 * then `read`; `settle` takes those rows and answers the shortages (creating the rows of products
 * allowed negative stock that had none). `guarded` (PostgreSQL) is the UPDATE as a statement that fails
 * (isGuardedStockShort) unless every product had its row and none allowed no negative stock went
 * below zero — for writes sent with their COMMIT, where nothing can be settled after: SQL has no RAISE,
 * so the failure is a cast of a text that is no number, evaluated only when the check fails.
 */
export function stockTake(
  models: TenantModels,
  locationId: number,
  needs: readonly StockNeed[],
): {
  update: string;
  read: string;
  returning: string | null;
  guarded: string | null;
  settle(rows: readonly Record<string, unknown>[], transaction: Transaction): Promise<{ productId: number; available: number }[]>;
} {
  const s = rawSelectParts(models.unassociated('StockLevel'));
  const where = `${s.field('locationId')} = ${sqlInt(locationId)} AND ${s.field('productId')} IN (${needs.map((n) => sqlInt(n.productId)).join(', ')})`;
  const update =
    `UPDATE ${s.table} SET ${s.field('quantity')} = ${s.field('quantity')} - CASE ${s.field('productId')} ` +
    `${needs.map((n) => `WHEN ${sqlInt(n.productId)} THEN ${sqlInt(n.quantity)}`).join(' ')} ELSE 0 END, ` +
    `${s.field('updatedAt')} = ${s.escape(new Date())} WHERE ${where}`;
  const returned = `${s.field('productId')} AS ${s.quote('productId')}, ${s.field('quantity')}`;
  const postgres = models.sequelize.getDialect() === 'postgres';
  const mayGoNegative = needs.filter((n) => n.allowNegative).map((n) => sqlInt(n.productId));
  const taken = s.quote('taken');
  return {
    update,
    read: `SELECT ${returned} FROM ${s.table} WHERE ${where}`,
    returning: postgres ? `${update} RETURNING ${returned}` : null,
    guarded: postgres
      ? `WITH ${taken} AS (${update} RETURNING ${returned}) SELECT CAST(CASE WHEN COUNT(*) = ${needs.length} THEN '0' ` +
        `ELSE ${s.escape(STOCK_SHORT)} END AS INTEGER) AS ${s.quote('short')} FROM ${taken} WHERE ${s.field('quantity')} >= 0` +
        (mayGoNegative.length ? ` OR ${s.quote('productId')} IN (${mayGoNegative.join(', ')})` : '')
      : null,
    async settle(rows, transaction) {
      const after = new Map(rows.map((r) => [Number(r.productId), Number(r.quantity)]));
      const shortages: { productId: number; available: number }[] = [];
      for (const need of needs) {
        const left = after.get(need.productId);
        if (left === undefined) {
          if (need.allowNegative) await insertLevel(models, need.productId, locationId, -need.quantity, transaction);
          else shortages.push({ productId: need.productId, available: 0 });
        } else if (left < 0 && !need.allowNegative) shortages.push({ productId: need.productId, available: left + need.quantity });
      }
      return shortages;
    },
  };
}

/** Puts `quantity` (> 0) units into stock, creating the stock row on first use. */
export async function putStock(
  models: TenantModels,
  change: { productId: number; locationId: number; quantity: number },
  transaction: Transaction,
): Promise<void> {
  const { productId, locationId, quantity } = change;
  const [affected] = await models.StockLevel.update(
    { quantity: quantityMinus(models, -quantity) },
    { where: { productId, locationId }, transaction },
  );
  if (affected === 0) await insertLevel(models, productId, locationId, quantity, transaction);
}

/** Thousandths on hand (0 when there is no stock row). */
export async function stockOnHand(models: TenantModels, productId: number, locationId: number, transaction?: Transaction): Promise<number> {
  const row = await models.StockLevel.findOne({
    where: { productId, locationId },
    attributes: ['quantity'],
    raw: true,
    // A locking read sees the latest committed row (MySQL's plain reads see the transaction's snapshot).
    ...(transaction ? { transaction, lock: transaction.LOCK.SHARE } : {}),
  });
  return row?.quantity ?? 0;
}

/** Per product: quantity at each location (only locations with a stock row). */
export async function stockByProduct(
  models: TenantModels,
  productIds: readonly number[],
  locationId?: number,
): Promise<Map<number, { locationId: number; quantity: number }[]>> {
  const out = new Map<number, { locationId: number; quantity: number }[]>(productIds.map((id) => [id, []]));
  if (productIds.length === 0) return out;
  // SQL text from the model's cached parts (the product page's second statement, on every request).
  const model = models.unassociated('StockLevel');
  const s = rawSelectParts(model);
  const ids = productIds.map((id) => {
    if (!Number.isInteger(id)) throw new Error(`stockByProduct: product id ${String(id)} is not an integer`);
    return String(id);
  });
  const location = locationId !== undefined ? ` AND ${s.col('locationId')} = ${s.escape(locationId)}` : '';
  const rows = await rawSelect<{ productId: number; locationId: number; quantity: number }>(
    model,
    `SELECT ${s.pick(['productId', 'locationId', 'quantity'])} FROM ${s.from} WHERE ${s.col('productId')} IN (${ids.join(', ')})${location} ORDER BY ${s.col('locationId')} ASC`,
  );
  for (const r of rows) out.get(r.productId as number)?.push({ locationId: r.locationId as number, quantity: r.quantity });
  return out;
}

// ── adjustments ───────────────────────────────────────────────────────────────────────────────────

export { ADJUSTMENT_REASONS, type AdjustmentReason };

export interface StockAdjustmentInput {
  productId: number;
  locationId: number;
  /**
   * Signed thousandths of a unit: positive adds units (receipt, count found more), negative removes
   * them (breakage, count found fewer).
   */
  quantity: number;
  /** `adjustment` (default, either sign) or `receipt` (goods received, positive). */
  reason?: AdjustmentReason;
  /**
   * Cents per unit of the units added; default the product's average cost. Not allowed on a removal
   * (units leave at the average cost).
   */
  unitCost?: number;
  /** Why, in a few words (kept as the movement's reference). */
  note?: string | null;
  /** The account the inventory change is posted against; default Inventory adjustments (5100). */
  offsetAccountId?: number;
  /** Posting date `YYYY-MM-DD`; default today. */
  date?: string;
  /**
   * Batch-tracked products only (and then required): the batch the units go into or come out of, and
   * its expiry date when adding units to a new batch.
   */
  batchNumber?: string | null;
  expiryDate?: string | null;
  userId: number;
}

export interface StockAdjustmentResult {
  movement: StockMovement;
  /** Thousandths on hand at the location after the adjustment. */
  quantity: number;
  /** Cents added to (+) or removed from (−) the Inventory account. */
  value: number;
}

/** Products by id with what quantity checks need: sku, negative-stock rule and the unit's decimals. */
export async function productsForStock(
  models: TenantModels,
  productIds: readonly number[],
  transaction: Transaction,
): Promise<
  Map<number, { id: number; sku: string; allowNegativeStock: boolean; trackBatches: boolean; isActive: boolean; decimals: number }>
> {
  const ids = [...new Set(productIds)];
  if (ids.length === 0) return new Map();
  const rows = await models.Product.findAll({
    where: { id: { [Op.in]: ids } },
    attributes: ['id', 'sku', 'allowNegativeStock', 'trackBatches', 'isActive', 'unitId'],
    include: [{ model: models.Unit, as: 'unit', attributes: ['decimals'] }],
    transaction,
  });
  return new Map(
    rows.map((p) => [
      p.id,
      {
        id: p.id,
        sku: p.sku,
        // A batch-tracked product never goes below zero: a batch cannot.
        allowNegativeStock: p.allowNegativeStock && !p.trackBatches,
        trackBatches: p.trackBatches,
        isActive: p.isActive,
        decimals: p.unit?.decimals ?? 0,
      },
    ]),
  );
}

/** The ValidationFailed issue of a quantity finer than its product's unit allows, or null. */
export function quantityIssue(path: string, quantity: number, decimals: number, sku: string): FieldIssue | null {
  if (fitsDecimals(quantity, decimals)) return null;
  return { path, message: decimals === 0 ? `${sku} is counted in whole units` : `${sku} takes at most ${decimals} decimals` };
}

/**
 * Records a signed stock change with its reason in one transaction: one stock movement, the stock
 * level, the product's valuation and the journal entry (Inventory against the offset account, at the
 * given or average cost).
 */
export async function adjustStock(
  models: TenantModels,
  input: StockAdjustmentInput,
  options: WriteOptions = {},
): Promise<StockAdjustmentResult> {
  const f = new FieldChecks();
  const productId = f.int(input.productId, 'productId', 1, MAX_INT32);
  const locationId = f.int(input.locationId, 'locationId', 1, MAX_INT32);
  const quantity = f.int(input.quantity, 'quantity', -MAX_QUANTITY, MAX_QUANTITY);
  if (quantity === 0 && f.issues.every((i) => i.path !== 'quantity')) f.fail('quantity', 'not zero');
  const reason = input.reason ?? 'adjustment';
  if (!(ADJUSTMENT_REASONS as readonly string[]).includes(reason)) f.fail('reason', `one of ${ADJUSTMENT_REASONS.join(', ')}`);
  if (reason === 'receipt' && quantity < 0) f.fail('quantity', 'positive for a receipt');
  if (input.unitCost !== undefined) {
    f.int(input.unitCost, 'unitCost', 0, MAX_INT32);
    if (quantity < 0) f.fail('unitCost', 'only when adding units (units leave at their average cost)');
  }
  if (input.offsetAccountId !== undefined) f.int(input.offsetAccountId, 'offsetAccountId', 1, MAX_INT32);
  if (input.date !== undefined) f.date(input.date, 'date');
  const note = f.text(input.note, 'note', 100, false) ?? null;
  const batch = checkBatchFields(f, input);
  if (batch.expiryDate !== null && quantity < 0) f.fail('expiryDate', 'only when adding units');
  f.done('stock adjustment');

  return writeTransaction(
    models.sequelize,
    async (transaction) => {
      // One query at a time on a transaction's connection.
      const product = (await productsForStock(models, [productId], transaction)).get(productId);
      const location = await models.Location.findByPk(locationId, { attributes: ['id'], transaction });
      const missing: FieldIssue[] = [];
      if (!product) missing.push({ path: 'productId', message: `no product ${productId}` });
      if (!location) missing.push({ path: 'locationId', message: `no location ${locationId}` });
      if (missing.length) throw new ValidationFailed('Unknown product or location', missing);
      const wrong = [
        quantityIssue('quantity', quantity, product!.decimals, product!.sku),
        batchUseIssue(product!, batch, '', quantity > 0),
      ];
      if (wrong.some(Boolean))
        throw new ValidationFailed(
          'Invalid stock adjustment',
          wrong.filter((i) => i !== null),
        );

      const valuation = await InventoryValuation.lock(models, [productId], transaction);
      let change: { value: number; variance: number };
      let batchId: number | null = null;
      if (quantity > 0) {
        await putStock(models, { productId, locationId, quantity }, transaction);
        if (batch.batchNumber)
          batchId = await putBatch(
            models,
            { productId, locationId, quantity, batchNumber: batch.batchNumber, expiryDate: batch.expiryDate },
            transaction,
          );
        const value = input.unitCost !== undefined ? centsFor(quantity, input.unitCost) : valuation.currentCostOf(productId, quantity);
        change = valuation.receive(productId, quantity, value);
      } else {
        if (batch.batchNumber) {
          const taken = { productId, locationId, quantity: -quantity, batchNumber: batch.batchNumber, sku: product!.sku };
          batchId = (await takeNamedBatch(models, taken, transaction)).id;
        }
        if (
          !(await takeStock(
            models,
            { productId, locationId, quantity: -quantity, allowNegative: product!.allowNegativeStock },
            transaction,
          ))
        ) {
          const available = await stockOnHand(models, productId, locationId, transaction);
          throw new InsufficientStock(
            `Only ${formatQuantity(available)} of ${product!.sku} on hand; cannot remove ${formatQuantity(-quantity)}`,
            {
              shortages: [{ productId, locationId, requested: quantityNumber(-quantity), available: quantityNumber(available) }],
            },
          );
        }
        const removed = valuation.remove(productId, -quantity);
        change = { value: -removed.value, variance: removed.variance };
      }
      await valuation.save();
      const movement = await models.StockMovement.create(
        { productId, locationId, quantity, reason, reference: note, batchId, createdBy: input.userId },
        { transaction },
      );
      const accounts = await systemAccounts(models, transaction);
      const offset = input.offsetAccountId ?? accounts.inventoryAdjustments;
      // Net change of Inventory: the value moved minus any write-off at or below zero on hand.
      const net = change.value - change.variance;
      await postJournalEntry(
        models,
        {
          entryDate: input.date ?? (await tenantToday(models, transaction)),
          memo: `Stock ${reason} ${product!.sku}${note ? `: ${note}` : ''}`.slice(0, 255),
          sourceType: 'stock_adjustment',
          sourceId: movement.id,
          postedBy: input.userId,
          lines: inventoryLines(accounts.inventory, offset, net),
        },
        transaction,
      );
      return { movement, quantity: await stockOnHand(models, productId, locationId, transaction), value: net };
    },
    options,
  );
}

export interface StockTransferInput {
  productId: number;
  fromLocationId: number;
  toLocationId: number;
  /** Thousandths of a unit, > 0. */
  quantity: number;
  note?: string | null;
  /**
   * A batch-tracked product's batch to move (it keeps its number and expiry at the destination);
   * without it, first-expiry-first-out over the unexpired batches at the source.
   */
  batchNumber?: string | null;
  userId: number;
}

export interface StockTransferResult {
  /** The movements out of the source (negative) and into the destination (positive), a pair per batch moved. */
  movements: StockMovement[];
  /** Thousandths on hand at each location afterwards. */
  from: number;
  to: number;
}

/**
 * Moves stock between two locations in one transaction: two `transfer` movements, both stock levels.
 * Refused (InsufficientStock) beyond what the source holds unless the product allows negative stock.
 * The product's valuation and the ledger do not change: its average cost is per product, not per
 * location.
 */
export async function transferStock(
  models: TenantModels,
  input: StockTransferInput,
  options: WriteOptions = {},
): Promise<StockTransferResult> {
  const f = new FieldChecks();
  const productId = f.int(input.productId, 'productId', 1, MAX_INT32);
  const from = f.int(input.fromLocationId, 'fromLocationId', 1, MAX_INT32);
  const to = f.int(input.toLocationId, 'toLocationId', 1, MAX_INT32);
  if (from === to && from !== 0) f.fail('toLocationId', 'another location than fromLocationId');
  const quantity = f.int(input.quantity, 'quantity', 1, MAX_QUANTITY);
  const note = f.text(input.note, 'note', 100, false) ?? null;
  const { batchNumber } = checkBatchFields(f, { batchNumber: input.batchNumber });
  f.done('stock transfer');

  return writeTransaction(
    models.sequelize,
    async (transaction) => {
      const product = (await productsForStock(models, [productId], transaction)).get(productId);
      const issues: FieldIssue[] = [];
      if (!product) issues.push({ path: 'productId', message: `no product ${productId}` });
      for (const [path, id] of [
        ['fromLocationId', from],
        ['toLocationId', to],
      ] as const) {
        const location = await models.Location.findByPk(id, { attributes: ['id', 'isActive'], transaction });
        if (!location) issues.push({ path, message: `no location ${id}` });
        else if (!location.isActive && path === 'toLocationId') issues.push({ path, message: `location ${id} is inactive` });
      }
      if (product) {
        const fine = quantityIssue('quantity', quantity, product.decimals, product.sku);
        if (fine) issues.push(fine);
        if (batchNumber && !product.trackBatches) issues.push({ path: 'batchNumber', message: `${product.sku} is not tracked in batches` });
      }
      if (issues.length) throw new ValidationFailed('Invalid stock transfer', issues);
      // The product row first, as every stock posting does, so transfers and sales lock in one order.
      await InventoryValuation.lock(models, [productId], transaction);
      let pieces: BatchPiece[] = [];
      if (product!.trackBatches) {
        if (batchNumber) {
          const taken = await takeNamedBatch(
            models,
            { productId, locationId: from, quantity, batchNumber, sku: product!.sku },
            transaction,
          );
          pieces = [{ batchId: taken.id, batchNumber, expiryDate: taken.expiryDate, quantity }];
        } else {
          const today = await tenantToday(models, transaction);
          const fefo = await takeFefo(models, { productId, locationId: from, quantity, today }, transaction);
          if (!fefo.ok) throw batchShortage([{ productId, sku: product!.sku, locationId: from, requested: quantity, ...fefo }]);
          pieces = fefo.pieces;
        }
      }
      if (!(await takeStock(models, { productId, locationId: from, quantity, allowNegative: product!.allowNegativeStock }, transaction))) {
        const available = await stockOnHand(models, productId, from, transaction);
        throw new InsufficientStock(
          `Only ${formatQuantity(available)} of ${product!.sku} at location ${from}; cannot move ${formatQuantity(quantity)}`,
          {
            shortages: [{ productId, locationId: from, requested: quantityNumber(quantity), available: quantityNumber(available) }],
          },
        );
      }
      await putStock(models, { productId, locationId: to, quantity }, transaction);
      const reference = `transfer:${from}>${to}${note ? ` ${note}` : ''}`.slice(0, 100);
      const movements: StockMovement[] = [];
      const moved = pieces.length ? pieces : [{ batchId: null, batchNumber: null, expiryDate: null, quantity }];
      for (const piece of moved) {
        const landed =
          piece.batchNumber === null
            ? null
            : await putBatch(
                models,
                { productId, locationId: to, quantity: piece.quantity, batchNumber: piece.batchNumber, expiryDate: piece.expiryDate },
                transaction,
              );
        const movement = { productId, reason: 'transfer' as const, reference, createdBy: input.userId };
        movements.push(
          await models.StockMovement.create(
            { ...movement, locationId: from, quantity: -piece.quantity, batchId: piece.batchId },
            { transaction },
          ),
          await models.StockMovement.create({ ...movement, locationId: to, quantity: piece.quantity, batchId: landed }, { transaction }),
        );
      }
      return {
        movements,
        from: await stockOnHand(models, productId, from, transaction),
        to: await stockOnHand(models, productId, to, transaction),
      };
    },
    options,
  );
}

/** The InsufficientStock of batch-tracked products whose unexpired batches hold too little. */
export function batchShortage(
  shortages: readonly { productId: number; sku: string; locationId: number; requested: number; available: number; expired: number }[],
): InsufficientStock {
  const list = shortages
    .map(
      (s) =>
        `${s.sku} (${formatQuantity(s.available)} unexpired on hand${s.expired > 0 ? `, ${formatQuantity(s.expired)} expired and not for sale` : ''}, ${formatQuantity(s.requested)} wanted)`,
    )
    .join(', ');
  return new InsufficientStock(`Not enough unexpired stock: ${list}`, {
    shortages: shortages.map((s) => ({
      ...s,
      requested: quantityNumber(s.requested),
      available: quantityNumber(s.available),
      expired: quantityNumber(s.expired),
    })),
  });
}

/** Debit Inventory / credit `offset` by `amount` (or the reverse when negative); nothing for 0. */
export function inventoryLines(inventory: number, offset: number, amount: number): PostingLine[] {
  if (amount === 0) return [];
  return amount > 0
    ? [
        { accountId: inventory, debit: amount },
        { accountId: offset, credit: amount },
      ]
    : [
        { accountId: offset, debit: -amount },
        { accountId: inventory, credit: -amount },
      ];
}

// ── lists ─────────────────────────────────────────────────────────────────────────────────────────

export interface StockLevelFilter extends PageOptions {
  locationId?: number;
  productId?: number;
}

/** Stock rows with their product (id, sku, name), ordered by product name then location. */
export async function listStockLevels(models: TenantModels, filter: StockLevelFilter = {}): Promise<Page<StockLevel>> {
  const { limit, offset } = pageWindow(filter);
  const where: WhereOptions = {};
  if (filter.locationId !== undefined) Object.assign(where, { locationId: filter.locationId });
  if (filter.productId !== undefined) Object.assign(where, { productId: filter.productId });
  const { rows, count } = await models.StockLevel.findAndCountAll({
    where,
    include: [{ model: models.Product, as: 'product', attributes: ['id', 'sku', 'name'], required: true }],
    order: [
      [{ model: models.Product, as: 'product' }, 'name', 'ASC'],
      ['locationId', 'ASC'],
    ],
    limit,
    offset,
  });
  return { items: rows, total: count, limit, offset };
}

export interface StockMovementFilter extends PageOptions {
  locationId?: number;
  productId?: number;
  reason?: StockMovementReason;
}

/** Stock movements, newest first. */
export async function listStockMovements(models: TenantModels, filter: StockMovementFilter = {}): Promise<Page<StockMovement>> {
  const { limit, offset } = pageWindow(filter);
  const where: WhereOptions = {};
  if (filter.locationId !== undefined) Object.assign(where, { locationId: filter.locationId });
  if (filter.productId !== undefined) Object.assign(where, { productId: filter.productId });
  if (filter.reason !== undefined) Object.assign(where, { reason: filter.reason });
  const { rows, count } = await findPage(models.StockMovement, {
    where,
    order: [['id', 'DESC']],
    limit,
    offset,
  });
  return { items: rows, total: count, limit, offset };
}
