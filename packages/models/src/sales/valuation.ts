import { Op, type Transaction } from 'sequelize';
import { rawSelectParts, rawUpdate, sqlInt } from '../raw-select';
import type { TenantModels } from '../model-types';
import { divideRounded, QUANTITY_SCALE } from './quantity';

/**
 * Inventory at moving-average cost, per product (all locations together).
 *
 * Each product keeps its quantity on hand Q (thousandths, = Σ its stock levels) and the value V of
 * that stock (integer cents). The Inventory account always equals Σ V: every change of V is posted in
 * the same transaction, and the cost of goods removed is *the value removed*, never a per-unit cost
 * times a quantity, so no rounding remainder is ever left behind.
 *
 * - Receive q at value v: Q += q, V += v. The average cost per unit (products.cost_price, cents) is
 *   then V × 1000 / Q, rounded half-up.
 * - Remove q from Q > 0: all of V when q = Q, else round(V × q / Q). Units beyond what is on hand
 *   (negative stock, where the product allows it) are valued at the last average cost.
 * - Whenever Q ends at or below zero, V is set to Q × the last average cost (0 at Q = 0) and the
 *   difference is reported as `variance` (posted to cost of goods sold), so V = Q × average holds.
 *
 * Products are locked (SELECT … FOR UPDATE, ordered by id) before their stock changes, so concurrent
 * postings of one product serialise on its row and every transaction takes its locks in one order.
 */

export interface ValuationState {
  quantity: number;
  value: number;
  /** Last average cost, cents per unit (null when never known). */
  costPrice: number | null;
}

export interface ValueChange {
  /** Value added (receipt) or removed (issue), cents. */
  value: number;
  /** Value written off because the quantity ended at or below zero, cents (usually 0). */
  variance: number;
}

export class InventoryValuation {
  private readonly changed = new Set<number>();

  private constructor(
    private readonly models: TenantModels,
    private readonly state: Map<number, ValuationState>,
    private readonly transaction: Transaction,
  ) {}

  /** Locks the products (in id order) and reads their valuation. Unknown ids are simply absent. */
  static async lock(models: TenantModels, productIds: Iterable<number>, transaction: Transaction): Promise<InventoryValuation> {
    const ids = [...new Set(productIds)].sort((a, b) => a - b);
    const rows = ids.length
      ? await models.unassociated('Product').findAll({
          where: { id: { [Op.in]: ids } },
          attributes: ['id', 'inventoryQuantity', 'inventoryValue', 'costPrice'],
          order: [['id', 'ASC']],
          lock: transaction.LOCK.UPDATE,
          raw: true,
          transaction,
        })
      : [];
    return InventoryValuation.locked(
      models,
      rows.map((r) => ({ id: r.id, quantity: r.inventoryQuantity, value: r.inventoryValue, costPrice: r.costPrice })),
      transaction,
    );
  }

  /** The valuation of products the caller has just read locked (FOR UPDATE, in id order) in `transaction`. */
  static locked(
    models: TenantModels,
    rows: readonly { id: number; quantity: unknown; value: unknown; costPrice: unknown }[],
    transaction: Transaction,
  ): InventoryValuation {
    const state = new Map<number, ValuationState>(
      rows.map((r) => [
        r.id,
        {
          quantity: Number(r.quantity),
          value: Number(r.value),
          costPrice: r.costPrice === null || r.costPrice === undefined ? null : Number(r.costPrice),
        },
      ]),
    );
    return new InventoryValuation(models, state, transaction);
  }

  has(productId: number): boolean {
    return this.state.has(productId);
  }

  of(productId: number): ValuationState {
    const s = this.state.get(productId);
    if (!s) throw new Error(`product ${productId} was not locked for valuation`);
    return s;
  }

  /** The value `quantity` more units would add at the current average cost (adjustments without a cost). */
  currentCostOf(productId: number, quantity: number): number {
    const s = this.of(productId);
    if (s.quantity > 0) return divideRounded(BigInt(s.value) * BigInt(quantity), BigInt(s.quantity));
    return divideRounded(BigInt(s.costPrice ?? 0) * BigInt(quantity), BigInt(QUANTITY_SCALE));
  }

  /** Adds `quantity` thousandths worth `value` cents. */
  receive(productId: number, quantity: number, value: number): ValueChange {
    const s = this.of(productId);
    s.quantity += quantity;
    s.value += value;
    if (s.quantity > 0) s.costPrice = divideRounded(BigInt(s.value) * BigInt(QUANTITY_SCALE), BigInt(s.quantity));
    else if (quantity > 0) s.costPrice = divideRounded(BigInt(value) * BigInt(QUANTITY_SCALE), BigInt(quantity));
    this.changed.add(productId);
    return { value, variance: this.settle(s) };
  }

  /** Removes `quantity` thousandths; returns the value removed (the cost of the goods). */
  remove(productId: number, quantity: number): ValueChange {
    const s = this.of(productId);
    let removed: number;
    if (s.quantity > 0 && quantity <= s.quantity) {
      removed = quantity === s.quantity ? s.value : divideRounded(BigInt(s.value) * BigInt(quantity), BigInt(s.quantity));
    } else {
      const fromStock = Math.max(s.quantity, 0);
      const beyond = quantity - fromStock;
      removed = (fromStock > 0 ? s.value : 0) + divideRounded(BigInt(s.costPrice ?? 0) * BigInt(beyond), BigInt(QUANTITY_SCALE));
    }
    s.quantity -= quantity;
    s.value -= removed;
    this.changed.add(productId);
    return { value: removed, variance: this.settle(s) };
  }

  /** At or below zero on hand, V = Q × last average cost; returns what that wrote off (+) or added (−). */
  private settle(s: ValuationState): number {
    if (s.quantity > 0) return 0;
    const target = divideRounded(BigInt(s.costPrice ?? 0) * BigInt(s.quantity), BigInt(QUANTITY_SCALE));
    const variance = s.value - target;
    s.value = target;
    return variance;
  }

  /**
   * Writes the changed products' quantity, value and average cost: one UPDATE for all of them (a CASE
   * per column), written as SQL text from the model's cached parts (no query generator), on every dialect.
   */
  async save(): Promise<void> {
    const sql = this.saveStatement();
    if (sql !== null) await rawUpdate(this.models.unassociated('Product'), sql, this.transaction);
  }

  /** save()'s UPDATE as SQL text for the caller to send (null when nothing changed); the changes count as saved. */
  saveStatement(): string | null {
    const ids = [...this.changed].sort((a, b) => a - b);
    this.changed.clear();
    if (ids.length === 0) return null;
    const s = rawSelectParts(this.models.unassociated('Product'));
    // Integers only (never text): the values are written into the statement. ELSE keeps the column's type.
    const byId = (attribute: string, value: (s: ValuationState) => number | null) =>
      `${s.field(attribute)} = CASE ${s.field('id')} ${ids.map((id) => `WHEN ${sqlInt(id)} THEN ${sqlInt(value(this.state.get(id)!))}`).join(' ')} ELSE ${s.field(attribute)} END`;
    return (
      `UPDATE ${s.table} SET ${byId('inventoryQuantity', (v) => v.quantity)}, ${byId('inventoryValue', (v) => v.value)}, ` +
      `${byId('costPrice', (v) => v.costPrice)}, ${s.field('updatedAt')} = ${s.escape(new Date())} WHERE ${s.field('id')} IN (${ids.map(sqlInt).join(', ')})`
    );
  }
}
