import { ForeignKeyConstraintError, Op, type WhereOptions } from 'sequelize';
import { DEFAULT_TAX_RATE } from '../accounting/chart-of-accounts';
import { writeTransaction, type WriteOptions } from '../accounting/transactions';
import { findRawPage, pageWindow, type Page, type PageOptions, type RawRow } from '../accounting/values';
import type { Customer, Product, TenantModels } from '../model-types';
import { FieldChecks, MAX_INT32, rethrowAsDomainError } from './fields';
import { type ContactInput, type ContactPatch, checkContact, createContact, getContact, listContacts, updateContact } from './contact';
import { containsIgnoringCaseSql, equalsIgnoringCase } from './search';
import {
  BARCODE_MAX_LENGTH,
  BARCODE_MESSAGE,
  BARCODE_PATTERN,
  Conflict,
  NotFound,
  SKU_MAX_LENGTH,
  SKU_MESSAGE,
  SKU_PATTERN,
} from '@salesfleet/contracts';

/**
 * Customers and products: create, read, update, delete, and search (case-insensitive "contains" on
 * name/email/phone for customers, name/SKU for products) with limit/offset pages and a total.
 */

export interface ListFilter extends PageOptions {
  /** Free text, matched case-insensitively anywhere in the searched columns. */
  q?: string;
  /** Only active (true) or inactive (false) rows; both when omitted. */
  active?: boolean;
}

// ── customers ─────────────────────────────────────────────────────────────────────────────────────

export type CustomerInput = ContactInput;
export type CustomerPatch = ContactPatch;

export function checkCustomer(input: CustomerPatch, creating: boolean): CustomerPatch {
  return checkContact(input, creating, 'customer');
}

export const listCustomers = (models: TenantModels, filter: ListFilter = {}): Promise<Page<Customer>> =>
  listContacts(models, 'Customer', filter);
export const getCustomer = (models: TenantModels, id: number): Promise<Customer> => getContact(models, 'Customer', id);
export const createCustomer = (models: TenantModels, input: CustomerInput): Promise<Customer> => createContact(models, 'Customer', input);
export const updateCustomer = (models: TenantModels, id: number, patch: CustomerPatch): Promise<Customer> =>
  updateContact(models, 'Customer', id, patch);

/** Deletes a customer; their invoices stay, without a customer (an erasure request). */
export async function deleteCustomer(models: TenantModels, id: number): Promise<void> {
  const row = await getCustomer(models, id);
  await row.destroy();
}

// ── products ──────────────────────────────────────────────────────────────────────────────────────

export interface ProductInput {
  sku: string;
  name: string;
  description?: string | null;
  /** Cents per unit, before tax. */
  unitPrice: number;
  /**
   * Cents per unit: the cost new stock is valued at while none is on hand; afterwards the moving
   * average that stock postings keep (it cannot be set while units are on hand).
   */
  costPrice?: number | null;
  /** Unit of measure (how many decimals quantities may have); null = whole units. */
  unitId?: number | null;
  categoryId?: number | null;
  /** What the till scans; unique across products when set. */
  barcode?: string | null;
  /** A tax rate id, null for untaxed; omitted on create: the default rate (STANDARD) when there is one. */
  taxRateId?: number | null;
  allowNegativeStock?: boolean;
  /**
   * Keep stock in batches with expiry dates, sold first-expiry-first-out (sales/batches.ts). Chosen
   * while the product has no stock anywhere; a tracked product never goes below zero.
   */
  trackBatches?: boolean;
  isActive?: boolean;
}

export type ProductPatch = Partial<ProductInput>;

async function checkProduct(models: TenantModels, input: ProductPatch, creating: boolean, exceptId?: number): Promise<ProductPatch> {
  const f = new FieldChecks();
  const out: ProductPatch = {};
  if (creating || input.sku !== undefined) {
    out.sku = f.text(input.sku, 'sku', SKU_MAX_LENGTH, true);
    if (out.sku && !SKU_PATTERN.test(out.sku)) f.fail('sku', SKU_MESSAGE);
  }
  if (creating || input.name !== undefined) out.name = f.text(input.name, 'name', 200, true);
  if (input.description !== undefined) out.description = f.text(input.description, 'description', 5000, false) ?? null;
  if (creating || input.unitPrice !== undefined) out.unitPrice = f.int(input.unitPrice, 'unitPrice', 0, MAX_INT32);
  if (input.costPrice !== undefined) out.costPrice = input.costPrice === null ? null : f.int(input.costPrice, 'costPrice', 0, MAX_INT32);
  if (input.allowNegativeStock !== undefined) out.allowNegativeStock = f.bool(input.allowNegativeStock, 'allowNegativeStock');
  if (input.trackBatches !== undefined) out.trackBatches = f.bool(input.trackBatches, 'trackBatches');
  if (input.barcode !== undefined) {
    out.barcode = f.text(input.barcode, 'barcode', BARCODE_MAX_LENGTH, false) ?? null;
    if (out.barcode && !BARCODE_PATTERN.test(out.barcode)) f.fail('barcode', BARCODE_MESSAGE);
  }
  if (input.categoryId !== undefined) {
    if (input.categoryId === null) out.categoryId = null;
    else {
      out.categoryId = f.int(input.categoryId, 'categoryId', 1, MAX_INT32);
      if (f.issues.length === 0 && !(await models.Category.findByPk(out.categoryId, { attributes: ['id'] })))
        f.fail('categoryId', `no category ${out.categoryId}`);
    }
  }
  if (input.unitId !== undefined) {
    if (input.unitId === null) out.unitId = null;
    else {
      out.unitId = f.int(input.unitId, 'unitId', 1, MAX_INT32);
      if (f.issues.length === 0 && !(await models.Unit.findByPk(out.unitId, { attributes: ['id'] })))
        f.fail('unitId', `no unit ${out.unitId}`);
    }
  }
  if (input.isActive !== undefined) out.isActive = f.bool(input.isActive, 'isActive');
  if (input.taxRateId !== undefined) {
    if (input.taxRateId === null) out.taxRateId = null;
    else {
      out.taxRateId = f.int(input.taxRateId, 'taxRateId', 1, MAX_INT32);
      if (f.issues.length === 0 && !(await models.TaxRate.findByPk(out.taxRateId, { attributes: ['id'] })))
        f.fail('taxRateId', `no tax rate ${out.taxRateId}`);
    }
  } else if (creating) {
    const standard = await models.TaxRate.findOne({ where: { code: DEFAULT_TAX_RATE.code }, attributes: ['id'] });
    out.taxRateId = standard?.id ?? null;
  }
  f.done('product');
  if (out.sku !== undefined) await assertSkuFree(models, out.sku!, exceptId);
  if (out.barcode) await assertBarcodeFree(models, out.barcode, exceptId);
  return out;
}

async function assertSkuFree(models: TenantModels, sku: string, exceptId?: number): Promise<void> {
  const where: WhereOptions[] = [equalsIgnoringCase(models, 'Product', 'sku', sku)];
  if (exceptId !== undefined) where.push({ id: { [Op.ne]: exceptId } });
  if ((await models.Product.count({ where: { [Op.and]: where } })) > 0) throw skuTaken(sku);
}

async function assertBarcodeFree(models: TenantModels, barcode: string, exceptId?: number): Promise<void> {
  const where: WhereOptions[] = [{ barcode }];
  if (exceptId !== undefined) where.push({ id: { [Op.ne]: exceptId } });
  const owner = await models.Product.findOne({ where: { [Op.and]: where }, attributes: ['sku'] });
  if (owner) throw new Conflict(`Barcode ${barcode} is already product ${owner.sku}'s`, { field: 'barcode' });
}

function skuTaken(sku: string | undefined): Conflict {
  return new Conflict(`A product with SKU "${sku}" exists`, { field: 'sku' });
}

export interface ProductFilter extends ListFilter {
  /** Exactly this barcode (the till's scan lookup). */
  barcode?: string;
  categoryId?: number;
}

/** A product as `listProducts` reads it: plain values, no model instance (SQLite: dates as text, booleans 0/1). */
export type ProductRow = RawRow<Product['_attributes']>;

/** A page of products as plain rows (the till's catalog and the products list: a hot read). */
export async function listProducts(models: TenantModels, filter: ProductFilter = {}): Promise<Page<ProductRow>> {
  const { limit, offset } = pageWindow(filter);
  const q = filter.q?.trim();
  // No include: the class without its associations (a cold handle then defines nothing else).
  const { rows, count } = await findRawPage<ProductRow>(models.unassociated('Product'), {
    where: (s) => {
      const where: string[] = [];
      if (filter.active !== undefined) where.push(`${s.col('isActive')} = ${s.escape(filter.active)}`);
      if (q) where.push(containsIgnoringCaseSql(s, ['name', 'sku', 'barcode'], q));
      if (filter.barcode !== undefined) where.push(`${s.col('barcode')} = ${s.escape(filter.barcode)}`);
      if (filter.categoryId !== undefined) where.push(`${s.col('categoryId')} = ${s.escape(filter.categoryId)}`);
      return where;
    },
    order: (s) => `${s.col('name')} ASC, ${s.col('id')} ASC`,
    limit,
    offset,
  });
  return { items: rows, total: count, limit, offset };
}

export async function getProduct(models: TenantModels, id: number): Promise<Product> {
  const row = await models.Product.findByPk(id);
  if (!row) throw new NotFound('Product', id);
  return row;
}

export async function createProduct(models: TenantModels, input: ProductInput): Promise<Product> {
  const values = await checkProduct(models, input, true);
  return models.Product.create({ ...values, sku: values.sku!, name: values.name!, unitPrice: values.unitPrice! }).catch((err: unknown) =>
    rethrowAsDomainError(err, () => skuTaken(values.sku)),
  );
}

export async function updateProduct(models: TenantModels, id: number, patch: ProductPatch): Promise<Product> {
  const row = await getProduct(models, id);
  const values = await checkProduct(models, patch, false, id);
  if (values.costPrice !== undefined && values.costPrice !== row.costPrice && Number(row.inventoryQuantity) !== 0) {
    throw new Conflict(`The cost of ${row.sku} is the average cost of its stock on hand; it changes with receipts and adjustments`, {
      field: 'costPrice',
    });
  }
  if (values.trackBatches !== undefined && values.trackBatches !== row.trackBatches) {
    await writeTransaction(models.sequelize, async (transaction) => {
      // The product row first, as stock postings lock it: no receipt can slip in between check and change.
      await models.Product.findByPk(id, { attributes: ['id'], lock: transaction.LOCK.UPDATE, transaction });
      const stocked = await models.StockLevel.count({ where: { productId: id, quantity: { [Op.ne]: 0 } }, transaction });
      if (stocked > 0)
        throw new Conflict(`${row.sku} has stock on hand: batch tracking is chosen while it has none`, { field: 'trackBatches' });
      await row.update(values, { transaction }).catch((err: unknown) => rethrowAsDomainError(err, () => skuTaken(values.sku)));
    });
    return row;
  }
  await row.update(values).catch((err: unknown) => rethrowAsDomainError(err, () => skuTaken(values.sku)));
  return row;
}

/** Deletes a product that was never sold nor moved; otherwise 409 (deactivate it instead). */
export async function deleteProduct(models: TenantModels, id: number, options: WriteOptions = {}): Promise<void> {
  await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const row = await models.Product.findByPk(id, { transaction });
      if (!row) throw new NotFound('Product', id);
      const lines = await models.InvoiceLine.count({ where: { productId: id }, transaction });
      const movements = await models.StockMovement.count({ where: { productId: id }, transaction });
      const used = lines > 0 ? 'invoice lines' : movements > 0 ? 'stock movements' : null;
      if (used) throw new Conflict(`Product ${row.sku} has ${used}; deactivate it instead (isActive: false)`, { reason: 'inUse' });
      try {
        await row.destroy({ transaction });
      } catch (err) {
        if (err instanceof ForeignKeyConstraintError)
          throw new Conflict(`Product ${row.sku} is in use; deactivate it instead`, { reason: 'inUse' });
        throw err;
      }
    },
    options,
  );
}
