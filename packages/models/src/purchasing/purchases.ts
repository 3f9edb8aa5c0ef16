import type { Transaction, WhereOptions } from 'sequelize';
import { postJournalEntry, systemAccounts } from '../accounting/posting';
import { writeTransaction, type WriteOptions } from '../accounting/transactions';
import { findPage, type Page, type PageOptions, pageWindow } from '../accounting/values';
import { tenantToday } from '../settings/settings';
import { Conflict, NotFound, ValidationFailed } from '@salesfleet/contracts';
import type { PurchaseOrder, SupplierBill, TenantModels } from '../model-types';
import { FieldChecks, type FieldIssue, MAX_AMOUNT, MAX_INT32 } from '../sales/fields';
import { formatQuantity, MAX_QUANTITY } from '../sales/quantity';
import { inventoryLines, productsForStock, putStock, quantityIssue } from '../sales/stock';
import { sumCents } from '@salesfleet/contracts';
import { InventoryValuation } from '../sales/valuation';
import { type BatchFields, batchUseIssue, checkBatchFields, putBatch } from '../sales/batches';
import { nextDocumentNumber, numberTaken } from './numbering';
import {
  billPostingLines,
  NO_TAX,
  type PurchaseAmounts,
  type PurchaseTaxTerms,
  purchaseAmounts,
  purchaseTaxTerms,
  recordBillTaxes,
} from './purchase-tax';
import type { PurchaseOrderStatus } from './purchase-order';

/**
 * Purchase orders and receiving. An order lists products, quantities (thousandths), unit costs
 * (cents) and optionally a tax rate per line (recorded on the line: its percentage and whether the
 * unit cost includes it); it posts nothing. Receiving goods against it — all or part of what is still
 * due — is one transaction: the stock arrives at the order's location, each product's valuation takes
 * the received net value (quantity × unit cost, rounded half-up per line, less the tax when the cost
 * includes it), a supplier bill for the gross is opened, and
 *
 *   debit Inventory (net) + Input tax (tax) / credit Accounts payable (gross)
 *
 * is posted (purchase-tax.ts: input tax is recognised when the bill is raised, which for goods is the
 * receipt), so Inventory = Σ stock value and Accounts payable = Σ open bills both hold.
 */

export const PURCHASE_ORDER_PREFIX = 'PO-';
export const BILL_PREFIX = 'BILL-';
const MAX_LINES = 500;

export interface PurchaseOrderLineInput {
  productId: number;
  /** Thousandths of a unit. */
  quantity: number;
  /** Cents per unit (including tax when the rate is inclusive). */
  unitCost: number;
  /** The tax rate charged on this line; none: no tax. */
  taxRateId?: number | null;
}

export interface PurchaseOrderInput {
  supplierId: number;
  locationId: number;
  /** `YYYY-MM-DD`; default today. */
  orderDate?: string;
  expectedDate?: string | null;
  notes?: string | null;
  lines: readonly PurchaseOrderLineInput[];
  userId: number;
}

function checkLines(lines: readonly PurchaseOrderLineInput[], f: FieldChecks): void {
  if (!Array.isArray(lines) || lines.length === 0) {
    f.fail('lines', 'at least one line');
    return;
  }
  if (lines.length > MAX_LINES) {
    f.fail('lines', `at most ${MAX_LINES} lines`);
    return;
  }
  lines.forEach((l, i) => {
    f.int(l.productId, `lines.${i}.productId`, 1, MAX_INT32);
    f.int(l.quantity, `lines.${i}.quantity`, 1, MAX_QUANTITY);
    f.int(l.unitCost, `lines.${i}.unitCost`, 0, MAX_INT32);
    if (l.taxRateId !== undefined && l.taxRateId !== null) f.int(l.taxRateId, `lines.${i}.taxRateId`, 1, MAX_INT32);
  });
}

/** Creates an order (status `ordered`); nothing is posted until goods are received. */
export async function createPurchaseOrder(
  models: TenantModels,
  input: PurchaseOrderInput,
  options: WriteOptions = {},
): Promise<PurchaseOrder> {
  const f = new FieldChecks();
  f.int(input.supplierId, 'supplierId', 1, MAX_INT32);
  f.int(input.locationId, 'locationId', 1, MAX_INT32);
  if (input.orderDate !== undefined) f.date(input.orderDate, 'orderDate');
  if (input.expectedDate !== undefined && input.expectedDate !== null) f.date(input.expectedDate, 'expectedDate');
  const notes = f.text(input.notes, 'notes', 5000, false) ?? null;
  checkLines(input.lines, f);
  f.done('purchase order');

  const id = await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const issues: FieldIssue[] = [];
      const lines: (PurchaseOrderLineInput & PurchaseTaxTerms & { amounts: PurchaseAmounts })[] = [];
      for (const [i, l] of input.lines.entries()) {
        const terms = await purchaseTaxTerms(models, l.taxRateId, `lines.${i}.taxRateId`, transaction);
        if ('path' in terms) issues.push(terms);
        const t = 'path' in terms ? NO_TAX : terms;
        lines.push({ ...l, ...t, amounts: purchaseAmounts(l.quantity, l.unitCost, t) });
      }
      const total = sumCents(lines.map((l) => l.amounts.gross));
      if (total > MAX_AMOUNT) issues.push({ path: 'lines', message: `a total of at most ${MAX_AMOUNT} cents` });
      const supplier = await models.Supplier.findByPk(input.supplierId, { attributes: ['id', 'isActive'], transaction });
      if (!supplier) issues.push({ path: 'supplierId', message: `no supplier ${input.supplierId}` });
      else if (!supplier.isActive) issues.push({ path: 'supplierId', message: `supplier ${input.supplierId} is inactive` });
      const location = await models.Location.findByPk(input.locationId, { attributes: ['id', 'isActive'], transaction });
      if (!location) issues.push({ path: 'locationId', message: `no location ${input.locationId}` });
      else if (!location.isActive) issues.push({ path: 'locationId', message: `location ${input.locationId} is inactive` });
      const products = await productsForStock(
        models,
        lines.map((l) => l.productId),
        transaction,
      );
      lines.forEach((l, i) => {
        const p = products.get(l.productId);
        if (!p) issues.push({ path: `lines.${i}.productId`, message: `no product ${l.productId}` });
        else {
          const fine = quantityIssue(`lines.${i}.quantity`, l.quantity, p.decimals, p.sku);
          if (fine) issues.push(fine);
        }
      });
      if (issues.length) throw new ValidationFailed('Invalid purchase order', issues);
      const number = await nextDocumentNumber(models, 'PurchaseOrder', PURCHASE_ORDER_PREFIX, transaction);
      const order = await models.PurchaseOrder.create(
        {
          number,
          supplierId: input.supplierId,
          locationId: input.locationId,
          orderDate: input.orderDate ?? (await tenantToday(models, transaction)),
          expectedDate: input.expectedDate ?? null,
          total,
          tax: sumCents(lines.map((l) => l.amounts.tax)),
          notes,
          createdBy: input.userId,
        },
        { transaction },
      ).catch(numberTaken);
      await models.PurchaseOrderLine.bulkCreate(
        lines.map((l) => ({
          purchaseOrderId: order.id,
          productId: l.productId,
          quantity: l.quantity,
          unitCost: l.unitCost,
          taxRateBp: l.taxRateBp,
          taxInclusive: l.taxInclusive,
          lineTotal: l.amounts.gross,
          lineTax: l.amounts.tax,
        })),
        { transaction },
      );
      return order.id;
    },
    options,
  );
  return getPurchaseOrder(models, id, options.transaction);
}

export async function getPurchaseOrder(models: TenantModels, id: number, transaction?: Transaction): Promise<PurchaseOrder> {
  const order = await models.PurchaseOrder.findByPk(id, {
    include: [{ model: models.PurchaseOrderLine, as: 'lines' }],
    order: [[{ model: models.PurchaseOrderLine, as: 'lines' }, 'id', 'ASC']],
    ...(transaction ? { transaction } : {}),
  });
  if (!order) throw new NotFound('PurchaseOrder', id);
  return order;
}

export interface PurchaseOrderFilter extends PageOptions {
  supplierId?: number;
  status?: PurchaseOrderStatus;
}

export async function listPurchaseOrders(models: TenantModels, filter: PurchaseOrderFilter = {}): Promise<Page<PurchaseOrder>> {
  const { limit, offset } = pageWindow(filter);
  const where: WhereOptions = {};
  if (filter.supplierId !== undefined) Object.assign(where, { supplierId: filter.supplierId });
  if (filter.status !== undefined) Object.assign(where, { status: filter.status });
  const { rows, count } = await findPage(models.unassociated('PurchaseOrder'), { where, order: [['id', 'DESC']], limit, offset });
  return { items: rows, total: count, limit, offset };
}

/** Cancels an order nothing was received against yet. */
export async function cancelPurchaseOrder(models: TenantModels, id: number, options: WriteOptions = {}): Promise<PurchaseOrder> {
  await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const order = await models.PurchaseOrder.findByPk(id, {
        attributes: ['id', 'number', 'status'],
        transaction,
        lock: transaction.LOCK.UPDATE,
      });
      if (!order) throw new NotFound('PurchaseOrder', id);
      if (order.status !== 'ordered')
        throw new Conflict(
          `Purchase order ${order.number} is ${order.status}; only an order nothing was received against can be cancelled`,
          { status: order.status },
        );
      await models.PurchaseOrder.update({ status: 'cancelled' }, { where: { id }, transaction });
    },
    options,
  );
  return getPurchaseOrder(models, id, options.transaction);
}

export interface ReceiveInput {
  /**
   * What arrived, per order line; omitted: everything still due. A batch-tracked product's line names
   * the batch and its expiry date (a line may appear once per batch).
   */
  lines?: readonly ({ lineId: number; quantity: number } & BatchFields)[];
  /** `YYYY-MM-DD` of the receipt (posting and bill date); default today. */
  date?: string;
  /** The supplier's invoice number for the bill. */
  supplierReference?: string | null;
  dueDate?: string | null;
  userId: number;
}

export interface ReceiveResult {
  order: PurchaseOrder;
  bill: SupplierBill;
}

/**
 * Receives goods against an order in one transaction (see the top of this file). Refuses more than
 * is still due on a line, and orders that are cancelled or fully received (409).
 */
export async function receivePurchaseOrder(
  models: TenantModels,
  id: number,
  input: ReceiveInput,
  options: WriteOptions = {},
): Promise<ReceiveResult> {
  const f = new FieldChecks();
  if (input.lines !== undefined) {
    if (!Array.isArray(input.lines) || input.lines.length === 0) f.fail('lines', 'at least one line');
    else
      input.lines.forEach((l, i) => {
        f.int(l.lineId, `lines.${i}.lineId`, 1, MAX_INT32);
        f.int(l.quantity, `lines.${i}.quantity`, 1, MAX_QUANTITY);
        checkBatchFields(f, l, `lines.${i}.`);
      });
  }
  if (input.date !== undefined) f.date(input.date, 'date');
  if (input.dueDate !== undefined && input.dueDate !== null) f.date(input.dueDate, 'dueDate');
  const supplierReference = f.text(input.supplierReference, 'supplierReference', 100, false) ?? null;
  f.done('receipt');

  const billId = await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const date = input.date ?? (await tenantToday(models, transaction));
      // The order first: two receipts of one order queue here, each seeing what the other received.
      const order = await models.PurchaseOrder.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!order) throw new NotFound('PurchaseOrder', id);
      if (order.status === 'cancelled' || order.status === 'received') {
        throw new Conflict(`Purchase order ${order.number} is ${order.status}`, { status: order.status });
      }
      const lines = await models.PurchaseOrderLine.findAll({ where: { purchaseOrderId: id }, order: [['id', 'ASC']], transaction });
      const byId = new Map(lines.map((l) => [l.id, l]));
      const wanted: ({ lineId: number; quantity: number } & BatchFields)[] = [
        ...(input.lines ??
          lines.map((l) => ({ lineId: l.id, quantity: Number(l.quantity) - Number(l.quantityReceived) })).filter((l) => l.quantity > 0)),
      ];
      const products = await productsForStock(
        models,
        lines.map((l) => l.productId as number),
        transaction,
      );
      const issues: FieldIssue[] = [];
      const due = new Map<number, number>();
      wanted.forEach((w, i) => {
        const line = byId.get(w.lineId);
        if (!line) return issues.push({ path: `lines.${i}.lineId`, message: `no line ${w.lineId} on ${order.number}` });
        const left = (due.get(line.id) ?? Number(line.quantity) - Number(line.quantityReceived)) - w.quantity;
        const product = products.get(line.productId as number)!;
        if (left < 0) issues.push({ path: `lines.${i}.quantity`, message: `at most ${formatQuantity(left + w.quantity)} still due` });
        const fine = quantityIssue(`lines.${i}.quantity`, w.quantity, product.decimals, product.sku);
        if (fine) issues.push(fine);
        const batchIssue = batchUseIssue(product, { batchNumber: w.batchNumber?.trim() || null }, `lines.${i}.`, true);
        if (batchIssue) issues.push(batchIssue);
        due.set(line.id, left);
      });
      if (issues.length) throw new ValidationFailed('Invalid receipt', issues);

      const received = wanted.map((w, i) => {
        const line = byId.get(w.lineId)!;
        const batch = w.batchNumber?.trim()
          ? { batchNumber: w.batchNumber.trim(), expiryDate: w.expiryDate ?? null, path: `lines.${i}.` }
          : null;
        return {
          line,
          productId: line.productId as number,
          quantity: w.quantity,
          amounts: purchaseAmounts(w.quantity, Number(line.unitCost), {
            taxRateBp: Number(line.taxRateBp),
            taxInclusive: Boolean(line.taxInclusive),
          }),
          batch,
          batchId: null as number | null,
        };
      });
      const valuation = await InventoryValuation.lock(
        models,
        received.map((r) => r.productId),
        transaction,
      );
      let variance = 0;
      for (const r of [...received].sort((a, b) => a.productId - b.productId)) {
        const place = { productId: r.productId, locationId: order.locationId as number, quantity: r.quantity };
        await putStock(models, place, transaction);
        if (r.batch) r.batchId = await putBatch(models, { ...place, ...r.batch }, transaction);
        variance += valuation.receive(r.productId, r.quantity, r.amounts.net).variance;
      }
      await valuation.save();
      for (const r of received) {
        await models.PurchaseOrderLine.update(
          { quantityReceived: Number(r.line.quantityReceived) + r.quantity },
          { where: { id: r.line.id }, transaction },
        );
        r.line.quantityReceived = Number(r.line.quantityReceived) + r.quantity;
      }
      const complete = lines.every((l) => Number(l.quantityReceived) >= Number(l.quantity));
      await models.PurchaseOrder.update({ status: complete ? 'received' : 'partial' }, { where: { id }, transaction });
      await models.StockMovement.bulkCreate(
        received.map((r) => ({
          productId: r.productId,
          locationId: order.locationId as number,
          quantity: r.quantity,
          reason: 'receipt' as const,
          reference: `purchase-order:${id}`,
          batchId: r.batchId,
          createdBy: input.userId,
        })),
        { transaction },
      );

      const total = sumCents(received.map((r) => r.amounts.gross));
      const number = await nextDocumentNumber(models, 'SupplierBill', BILL_PREFIX, transaction);
      const bill = await models.SupplierBill.create(
        {
          number,
          supplierReference,
          supplierId: order.supplierId as number,
          purchaseOrderId: id,
          accountId: null,
          status: total === 0 ? 'paid' : 'open',
          billDate: date,
          dueDate: input.dueDate ?? null,
          total,
          tax: sumCents(received.map((r) => r.amounts.tax)),
          description: `Goods received on ${order.number}`,
          createdBy: input.userId,
        },
        { transaction },
      ).catch(numberTaken);
      await recordBillTaxes(
        models,
        bill.id,
        received.map((r) => ({ taxRateBp: Number(r.line.taxRateBp), amounts: r.amounts })),
        transaction,
      );
      const accounts = await systemAccounts(models, transaction);
      await postJournalEntry(
        models,
        {
          entryDate: date,
          memo: `Goods received on ${order.number} (${number})`,
          sourceType: 'purchase_receipt',
          sourceId: bill.id,
          postedBy: input.userId,
          lines: [
            ...billPostingLines(
              accounts,
              accounts.inventory,
              received.map((r) => r.amounts),
            ),
            // Goods that filled negative stock at another cost: the difference is a cost of goods sold.
            ...inventoryLines(accounts.inventory, accounts.costOfGoodsSold, -variance),
          ],
        },
        transaction,
      );
      return bill.id;
    },
    options,
  );
  const bill = await models.SupplierBill.findByPk(billId, options.transaction ? { transaction: options.transaction } : {});
  return { order: await getPurchaseOrder(models, id, options.transaction), bill: bill! };
}
