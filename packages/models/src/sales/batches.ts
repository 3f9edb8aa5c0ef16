import { literal, Op, UniqueConstraintError, type Transaction, type WhereOptions } from 'sequelize';
import { BATCH_NUMBER_MAX_LENGTH, Conflict, InsufficientStock, MAX_EXPIRY_WINDOW_DAYS, ValidationFailed } from '@salesfleet/contracts';
import { RetryableConflict } from '../accounting/transactions';
import { checkDate, findPage, pageWindow, type Page, type PageOptions } from '../accounting/values';
import type { StockBatch, TenantModels } from '../model-types';
import { tenantToday } from '../settings/settings';
import type { FieldChecks } from './fields';
import { formatQuantity, quantityNumber } from './quantity';

/**
 * Batch numbers and expiry dates for products that opt in (`products.track_batches`, the pharmacy's
 * medicines). A tracked product's stock at a location is held in batches whose quantities add up to
 * its stock level; every movement of it names its batch (one movement per batch).
 *
 * - Receipts (purchase receipts, stock receipts and adjustments adding units, opening stock from a
 *   CSV import) name the batch and its expiry date; receiving more of a known batch adds to it.
 * - Sales take first-expiry-first-out across the batches at the selling location, split over as many
 *   batches as it takes. Expired batches (expiry date before the tenant's today) are **never sold**:
 *   FEFO skips them, and a sale that needs them is refused with InsufficientStock saying how many
 *   units are expired. Tracked products never go below zero, whatever `allowNegativeStock` says.
 * - Voids and credit notes return goods to the batches the sale took them from; transfers move a
 *   named batch (or FEFO over unexpired batches) and keep its number and expiry at the destination;
 *   a stock adjustment that removes units names the batch it removes them from.
 *
 * Costing is unchanged: moving average per product. Every batch change happens after the product row
 * is locked (InventoryValuation.lock), so batches of one product never race; the quantity updates are
 * conditional all the same.
 */

/** A batch named on a document: its number, and its expiry date when receiving a new batch. */
export interface BatchFields {
  batchNumber?: string | null;
  expiryDate?: string | null;
}

/** Checks the batch fields' shapes (`prefix` is the path's start, e.g. `lines.0.`). */
export function checkBatchFields(
  f: FieldChecks,
  input: BatchFields,
  prefix = '',
): { batchNumber: string | null; expiryDate: string | null } {
  const batchNumber = f.text(input.batchNumber, `${prefix}batchNumber`, BATCH_NUMBER_MAX_LENGTH, false) ?? null;
  const expiryDate = input.expiryDate === undefined || input.expiryDate === null ? null : f.date(input.expiryDate, `${prefix}expiryDate`);
  return { batchNumber, expiryDate };
}

/** The issue of a batch named (or left out) where the product does (not) track batches, or null. */
export function batchUseIssue(
  product: { sku: string; trackBatches: boolean },
  batch: { batchNumber: string | null },
  prefix: string,
  receiving: boolean,
): { path: string; message: string } | null {
  if (product.trackBatches && !batch.batchNumber)
    return {
      path: `${prefix}batchNumber`,
      message: `${product.sku} is tracked in batches: name the batch${receiving ? ' (and its expiry date)' : ''}`,
    };
  if (!product.trackBatches && batch.batchNumber)
    return { path: `${prefix}batchNumber`, message: `${product.sku} is not tracked in batches` };
  return null;
}

function plus(models: TenantModels, amount: number) {
  const column = models.sequelize.getQueryInterface().quoteIdentifier('quantity');
  return literal(`${column} ${amount < 0 ? '-' : '+'} ${Math.abs(amount)}`) as unknown as number;
}

/**
 * Adds `quantity` (> 0) to a batch at a location, creating it on first receipt (then `expiryDate` is
 * required; on a known batch it must match). Returns the batch's id.
 */
export async function putBatch(
  models: TenantModels,
  change: { productId: number; locationId: number; quantity: number; batchNumber: string; expiryDate: string | null; path?: string },
  transaction: Transaction,
): Promise<number> {
  const { productId, locationId, quantity, batchNumber, expiryDate } = change;
  const path = change.path ?? '';
  const batch = await models.StockBatch.findOne({
    where: { productId, locationId, batchNumber },
    attributes: ['id', 'expiryDate'],
    lock: transaction.LOCK.UPDATE,
    transaction,
  });
  if (batch) {
    if (expiryDate !== null && batch.expiryDate !== expiryDate)
      throw new ValidationFailed(`Batch ${batchNumber} expires on ${batch.expiryDate}`, [
        { path: `${path}expiryDate`, message: `batch ${batchNumber} expires on ${batch.expiryDate}` },
      ]);
    await models.StockBatch.update({ quantity: plus(models, quantity) }, { where: { id: batch.id }, transaction });
    return batch.id;
  }
  if (expiryDate === null)
    throw new ValidationFailed(`Batch ${batchNumber} is new: give its expiry date`, [
      { path: `${path}expiryDate`, message: `required for the new batch ${batchNumber}` },
    ]);
  try {
    const created = await models.StockBatch.create({ productId, locationId, batchNumber, expiryDate, quantity }, { transaction });
    return created.id;
  } catch (err) {
    if (err instanceof UniqueConstraintError) throw new RetryableConflict('Stock batch created concurrently');
    throw err;
  }
}

/** Puts returned units back into the batch they left (void, credit note). */
export async function returnToBatch(models: TenantModels, batchId: number, quantity: number, transaction: Transaction): Promise<void> {
  await models.StockBatch.update({ quantity: plus(models, quantity) }, { where: { id: batchId }, transaction });
}

/** Takes `quantity` (> 0) from one named batch (adjustments, transfers); InsufficientStock beyond what it holds. */
export async function takeNamedBatch(
  models: TenantModels,
  take: { productId: number; locationId: number; quantity: number; batchNumber: string; sku: string; path?: string },
  transaction: Transaction,
): Promise<StockBatch> {
  const { productId, locationId, quantity, batchNumber } = take;
  const batch = await models.StockBatch.findOne({
    where: { productId, locationId, batchNumber },
    lock: transaction.LOCK.UPDATE,
    transaction,
  });
  if (!batch)
    throw new ValidationFailed(`No batch ${batchNumber} of ${take.sku} at location ${locationId}`, [
      { path: `${take.path ?? ''}batchNumber`, message: `no batch ${batchNumber} of ${take.sku} at location ${locationId}` },
    ]);
  const [affected] = await models.StockBatch.update(
    { quantity: plus(models, -quantity) },
    { where: { id: batch.id, quantity: { [Op.gte]: quantity } }, transaction },
  );
  if (affected === 0) {
    const available = Number(batch.quantity);
    throw new InsufficientStock(
      `Only ${formatQuantity(available)} of ${take.sku} in batch ${batchNumber}; cannot take ${formatQuantity(quantity)}`,
      {
        shortages: [{ productId, locationId, batchNumber, requested: quantityNumber(quantity), available: quantityNumber(available) }],
      },
    );
  }
  return batch;
}

/** What a first-expiry-first-out take consumed, batch by batch (in expiry order). */
export interface BatchPiece {
  batchId: number;
  batchNumber: string;
  expiryDate: string;
  quantity: number;
}

export type FefoResult = { ok: true; pieces: BatchPiece[] } | { ok: false; available: number; expired: number };

/**
 * Takes `quantity` (> 0) of a product at a location first-expiry-first-out over its unexpired batches
 * (expiry on or after `today`). Changes nothing and says what is sellable (and expired) when that is
 * not enough.
 */
export async function takeFefo(
  models: TenantModels,
  take: { productId: number; locationId: number; quantity: number; today: string },
  transaction: Transaction,
): Promise<FefoResult> {
  const { productId, locationId, today } = take;
  const batches = await models.StockBatch.findAll({
    where: { productId, locationId, quantity: { [Op.gt]: 0 } },
    attributes: ['id', 'batchNumber', 'expiryDate', 'quantity'],
    order: [
      ['expiryDate', 'ASC'],
      ['id', 'ASC'],
    ],
    lock: transaction.LOCK.UPDATE,
    transaction,
  });
  const sellable = batches.filter((b) => b.expiryDate >= today);
  const available = sellable.reduce((s, b) => s + Number(b.quantity), 0);
  if (available < take.quantity) {
    const expired = batches.filter((b) => b.expiryDate < today).reduce((s, b) => s + Number(b.quantity), 0);
    return { ok: false, available, expired };
  }
  const pieces: BatchPiece[] = [];
  let left = take.quantity;
  for (const b of sellable) {
    if (left === 0) break;
    const quantity = Math.min(left, Number(b.quantity));
    const [affected] = await models.StockBatch.update(
      { quantity: plus(models, -quantity) },
      { where: { id: b.id, quantity: { [Op.gte]: quantity } }, transaction },
    );
    // The product row is locked, so only a writer that skipped that lock could get here.
    if (affected === 0) throw new RetryableConflict(`Batch ${b.batchNumber} changed meanwhile`);
    pieces.push({ batchId: b.id, batchNumber: b.batchNumber, expiryDate: b.expiryDate, quantity });
    left -= quantity;
  }
  return { ok: true, pieces };
}

/**
 * Splits `quantity` over returnable batch pieces (what a sale took less what came back already), in
 * the order given; returns the pieces to return.
 */
export function splitOver(
  quantity: number,
  returnable: readonly { batchId: number; quantity: number }[],
): { batchId: number; quantity: number }[] {
  const out: { batchId: number; quantity: number }[] = [];
  let left = quantity;
  for (const r of returnable) {
    if (left === 0) break;
    const q = Math.min(left, r.quantity);
    if (q > 0) out.push({ batchId: r.batchId, quantity: q });
    left -= q;
  }
  if (left > 0)
    throw new Conflict('These goods left stock before their product was tracked in batches: credit them without restocking', {
      reason: 'noBatch',
    });
  return out;
}

/** Which of these products are tracked in batches. */
export async function trackedProducts(models: TenantModels, productIds: readonly number[], transaction: Transaction): Promise<Set<number>> {
  if (productIds.length === 0) return new Set();
  const rows = await models
    .unassociated('Product')
    .findAll({ where: { id: { [Op.in]: [...new Set(productIds)] }, trackBatches: true }, attributes: ['id'], raw: true, transaction });
  return new Set(rows.map((r) => r.id));
}

/**
 * Per batch, the net quantity that left through the given movement references (sales: negative,
 * returns: positive), i.e. what may still come back to each batch, in batch id order.
 */
export async function returnableBatches(
  models: TenantModels,
  productId: number,
  references: readonly string[],
  transaction: Transaction,
): Promise<{ batchId: number; quantity: number }[]> {
  if (references.length === 0) return [];
  const rows = await models.StockMovement.findAll({
    where: { productId, reference: { [Op.in]: [...references] }, batchId: { [Op.ne]: null } },
    attributes: ['batchId', 'quantity'],
    raw: true,
    transaction,
  });
  const net = new Map<number, number>();
  for (const r of rows) net.set(r.batchId as number, (net.get(r.batchId as number) ?? 0) - Number(r.quantity));
  return [...net.entries()]
    .filter(([, q]) => q > 0)
    .sort((a, b) => a[0] - b[0])
    .map(([batchId, quantity]) => ({ batchId, quantity }));
}

// ── lists ─────────────────────────────────────────────────────────────────────────────────────────

export interface StockBatchFilter extends PageOptions {
  productId?: number;
  locationId?: number;
  /** Also batches at zero (default: only those with stock). */
  includeEmpty?: boolean;
}

/** Stock per batch per location, soonest expiry first. */
export async function listStockBatches(models: TenantModels, filter: StockBatchFilter = {}): Promise<Page<StockBatch>> {
  const { limit, offset } = pageWindow(filter);
  const where: WhereOptions = {};
  if (filter.productId !== undefined) Object.assign(where, { productId: filter.productId });
  if (filter.locationId !== undefined) Object.assign(where, { locationId: filter.locationId });
  if (!filter.includeEmpty) Object.assign(where, { quantity: { [Op.gt]: 0 } });
  const { rows, count } = await findPage(models.unassociated('StockBatch'), {
    where,
    order: [
      ['expiryDate', 'ASC'],
      ['productId', 'ASC'],
      ['locationId', 'ASC'],
      ['id', 'ASC'],
    ],
    limit,
    offset,
  });
  return { items: rows, total: count, limit, offset };
}

export interface ExpiringBatch {
  batchId: number;
  productId: number;
  sku: string;
  name: string;
  locationId: number;
  batchNumber: string;
  expiryDate: string;
  /** Thousandths on hand. */
  quantity: number;
  /** Days from today to the expiry date (negative once expired). */
  daysLeft: number;
  expired: boolean;
}

export interface ExpiringStock {
  /** Today in the tenant's time zone. */
  today: string;
  /** The last expiry date listed: today + days. */
  until: string;
  batches: ExpiringBatch[];
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Batches with stock that expire within `days` days of today (tenant time zone) — those already
 * expired included, flagged — soonest first; optionally at one location.
 */
export async function expiringStock(
  models: TenantModels,
  options: { days?: number; locationId?: number; today?: string } = {},
): Promise<ExpiringStock> {
  const days = options.days ?? 30;
  if (!Number.isSafeInteger(days) || days < 0 || days > MAX_EXPIRY_WINDOW_DAYS)
    throw new ValidationFailed('Invalid expiry window', [{ path: 'days', message: `an integer from 0 to ${MAX_EXPIRY_WINDOW_DAYS}` }]);
  const today = options.today !== undefined ? checkDate(options.today, 'today') : await tenantToday(models);
  const until = addDays(today, days);
  const where: WhereOptions = { quantity: { [Op.gt]: 0 }, expiryDate: { [Op.lte]: until } };
  if (options.locationId !== undefined) Object.assign(where, { locationId: options.locationId });
  const rows = await models.StockBatch.findAll({
    where,
    include: [{ model: models.Product, as: 'product', attributes: ['id', 'sku', 'name'], required: true }],
    order: [
      ['expiryDate', 'ASC'],
      [{ model: models.Product, as: 'product' }, 'name', 'ASC'],
      ['locationId', 'ASC'],
      ['id', 'ASC'],
    ],
  });
  return {
    today,
    until,
    batches: rows.map((b) => {
      const daysLeft = Math.round((Date.parse(`${b.expiryDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
      return {
        batchId: b.id,
        productId: b.productId as number,
        sku: b.product!.sku,
        name: b.product!.name,
        locationId: b.locationId as number,
        batchNumber: b.batchNumber,
        expiryDate: b.expiryDate,
        quantity: Number(b.quantity),
        daysLeft,
        expired: daysLeft < 0,
      };
    }),
  };
}
