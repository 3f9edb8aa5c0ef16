import { Op } from 'sequelize';
import { systemAccounts } from '../accounting/posting';
import { writeTransaction, type WriteOptions } from '../accounting/transactions';
import {
  BARCODE_MAX_LENGTH,
  BARCODE_MESSAGE,
  BARCODE_PATTERN,
  BATCH_NUMBER_MAX_LENGTH,
  isCalendarDate,
  SKU_MAX_LENGTH,
  SKU_PATTERN,
  ValidationFailed,
} from '@salesfleet/contracts';
import type { TenantModels } from '../model-types';
import { checkSupplier } from '../purchasing/suppliers';
import { checkCustomer } from '../sales/catalog';
import { type FieldIssue, MAX_INT32 } from '../sales/fields';
import { fitsDecimals, formatQuantity, MAX_QUANTITY, parseQuantity } from '../sales/quantity';
import { adjustStock } from '../sales/stock';
import { type CsvRecord, CsvSyntaxError, formatCsv, parseCsv } from './csv';

/**
 * CSV import and export of products (with opening stock per location), customers and suppliers.
 *
 * An import reads and checks every row first and reports every bad row — `details` of a
 * ValidationFailed, each `{ path: '<line>.<column>', message }` with the file's line number — and then
 * imports nothing. A valid file is imported in one transaction. Imports are idempotent: products are
 * matched by SKU, customers and suppliers by email (by name when a row has no email), ignoring case;
 * a matched row is updated, never duplicated, and opening stock is only added where the product has
 * no stock at that location yet, so importing the same file twice changes nothing the second time.
 *
 * Products: `sku`, `name`, `unit_price` (cents) are required; `description`, `cost_price` (cents per
 * unit: the value opening stock comes in at), `tax_rate` (a tax rate code; empty = untaxed; column
 * absent = the standard rate for new products), `unit` (a unit code), `barcode`, `category` (a
 * category name, created when new), `allow_negative_stock`, `is_active`, and one `stock_<LOCATION CODE>`
 * column per location with the opening quantity (decimals as the unit allows). Opening stock posts
 * Inventory / Owner's equity at the cost price. Batch-tracked products (`track_batches`, set when the
 * product is created) name the opening stock's `batch_number` and `expiry_date` (YYYY-MM-DD).
 */

export interface ImportResult {
  created: number;
  updated: number;
  /** Stock levels opened (products × locations). */
  openingStock: number;
}

const MAX_ROWS = 10_000;
const TRUE = new Set(['true', '1', 'yes', 'y']);
const FALSE = new Set(['false', '0', 'no', 'n']);

interface Table {
  header: string[];
  rows: { line: number; get(column: string): string | undefined; has(column: string): boolean }[];
}

function readTable(text: string, required: readonly string[], known: (column: string) => boolean): Table {
  let records: CsvRecord[];
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError)
      throw new ValidationFailed('The file is not valid CSV; nothing was imported', [{ path: `${err.line}`, message: err.message }]);
    throw err;
  }
  if (records.length === 0) throw new ValidationFailed('The file is empty', [{ path: '1', message: 'a header row' }]);
  const header = records[0]!.fields.map((h) => h.trim().toLowerCase());
  const issues: FieldIssue[] = [];
  for (const column of required)
    if (!header.includes(column)) issues.push({ path: `1.${column}`, message: 'a required column is missing' });
  header.forEach((h, i) => {
    if (!known(h)) issues.push({ path: `1.${h || i + 1}`, message: 'an unknown column' });
    if (header.indexOf(h) !== i) issues.push({ path: `1.${h}`, message: 'a column named twice' });
  });
  if (records.length - 1 > MAX_ROWS) issues.push({ path: '1', message: `at most ${MAX_ROWS} rows` });
  if (issues.length) throw new ValidationFailed('The header row is invalid; nothing was imported', issues);
  const rows = records.slice(1).map((r) => {
    if (r.fields.length !== header.length)
      issues.push({ path: `${r.line}`, message: `${r.fields.length} fields where the header has ${header.length}` });
    return {
      line: r.line,
      get: (column: string) => {
        const i = header.indexOf(column);
        return i < 0 ? undefined : (r.fields[i] ?? '').trim();
      },
      has: (column: string) => header.includes(column),
    };
  });
  if (issues.length) throw new ValidationFailed(`${issues.length} rows are invalid; nothing was imported`, issues);
  return { header, rows };
}

function fail(issues: FieldIssue[], what: string): void {
  if (issues.length === 0) return;
  const lines = new Set(issues.map((i) => i.path.split('.')[0]));
  throw new ValidationFailed(`${lines.size} ${what} rows are invalid; nothing was imported`, issues);
}

function bool(value: string | undefined, path: string, issues: FieldIssue[]): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  issues.push({ path, message: 'true or false' });
  return undefined;
}

function cents(value: string | undefined, path: string, issues: FieldIssue[], required: boolean): number | null | undefined {
  if (value === undefined || value === '') {
    if (required) issues.push({ path, message: 'required (cents)' });
    return value === undefined ? undefined : null;
  }
  if (!/^\d{1,10}$/.test(value) || Number(value) > MAX_INT32) {
    issues.push({ path, message: 'a whole number of cents' });
    return undefined;
  }
  return Number(value);
}

/** Checks a row with a domain check that throws ValidationFailed, collecting its issues under the row's line. */
function collect<T>(line: number, issues: FieldIssue[], check: () => T): T | undefined {
  try {
    return check();
  } catch (err) {
    if (!(err instanceof ValidationFailed)) throw err;
    for (const d of (err.details as FieldIssue[] | undefined) ?? []) issues.push({ path: `${line}.${snake(d.path)}`, message: d.message });
    return undefined;
  }
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// ── products ──────────────────────────────────────────────────────────────────────────────────────

const PRODUCT_COLUMNS = [
  'sku',
  'name',
  'description',
  'unit_price',
  'cost_price',
  'tax_rate',
  'unit',
  'barcode',
  'category',
  'allow_negative_stock',
  'track_batches',
  'batch_number',
  'expiry_date',
  'is_active',
];

export async function importProductsCsv(
  models: TenantModels,
  text: string,
  userId: number,
  options: WriteOptions = {},
): Promise<ImportResult> {
  const table = readTable(text, ['sku', 'name', 'unit_price'], (c) => PRODUCT_COLUMNS.includes(c) || /^stock_.+$/.test(c));
  const locations = await models.Location.findAll({ attributes: ['id', 'code'], raw: true });
  const locationByCode = new Map(locations.map((l) => [l.code.toLowerCase(), l.id]));
  const issues: FieldIssue[] = [];
  const stockColumns = table.header.filter((h) => h.startsWith('stock_'));
  for (const column of stockColumns) {
    if (!locationByCode.has(column.slice('stock_'.length)))
      issues.push({ path: `1.${column}`, message: `no location with code ${column.slice(6).toUpperCase()}` });
  }
  if (issues.length) throw new ValidationFailed('The header row is invalid; nothing was imported', issues);
  const taxRates = new Map(
    (await models.TaxRate.findAll({ attributes: ['id', 'code'], raw: true })).map((r) => [r.code.toLowerCase(), r.id]),
  );
  const units = new Map(
    (await models.Unit.findAll({ attributes: ['id', 'code', 'decimals'], raw: true })).map((u) => [u.code.toLowerCase(), u]),
  );
  const standard = taxRates.get('standard') ?? null;

  const seen = new Map<string, number>();
  const rows = table.rows.map((r) => {
    const at = (column: string) => `${r.line}.${column}`;
    const sku = r.get('sku') ?? '';
    if (!sku) issues.push({ path: at('sku'), message: 'required' });
    else if (sku.length > SKU_MAX_LENGTH || !SKU_PATTERN.test(sku))
      issues.push({ path: at('sku'), message: 'letters, digits and . _ / - (at most 64)' });
    const key = sku.toLowerCase();
    if (sku && seen.has(key)) issues.push({ path: at('sku'), message: `the same SKU as line ${seen.get(key)}` });
    seen.set(key, r.line);
    const name = r.get('name') ?? '';
    if (!name) issues.push({ path: at('name'), message: 'required' });
    else if (name.length > 200) issues.push({ path: at('name'), message: 'at most 200 characters' });
    const description = r.get('description');
    if (description && description.length > 5000) issues.push({ path: at('description'), message: 'at most 5000 characters' });
    const unitPrice = cents(r.get('unit_price'), at('unit_price'), issues, true);
    const costPrice = cents(r.get('cost_price'), at('cost_price'), issues, false);
    let taxRateId: number | null | undefined;
    if (r.has('tax_rate')) {
      const code = r.get('tax_rate')!;
      taxRateId = code === '' ? null : taxRates.get(code.toLowerCase());
      if (taxRateId === undefined) issues.push({ path: at('tax_rate'), message: `no tax rate ${code}` });
    }
    let unit: { id: number; decimals: number } | null | undefined;
    if (r.has('unit')) {
      const code = r.get('unit')!;
      unit = code === '' ? null : units.get(code.toLowerCase());
      if (unit === undefined) issues.push({ path: at('unit'), message: `no unit ${code}` });
    }
    const barcode = r.get('barcode');
    if (barcode && (barcode.length > BARCODE_MAX_LENGTH || !BARCODE_PATTERN.test(barcode)))
      issues.push({ path: at('barcode'), message: `${BARCODE_MESSAGE} (at most ${BARCODE_MAX_LENGTH})` });
    const category = r.get('category');
    if (category && category.length > 100) issues.push({ path: at('category'), message: 'at most 100 characters' });
    const allowNegativeStock = bool(r.get('allow_negative_stock'), at('allow_negative_stock'), issues);
    const isActive = bool(r.get('is_active'), at('is_active'), issues);
    const trackBatches = bool(r.get('track_batches'), at('track_batches'), issues);
    const batchNumber = r.get('batch_number') || null;
    if (batchNumber && batchNumber.length > BATCH_NUMBER_MAX_LENGTH)
      issues.push({ path: at('batch_number'), message: `at most ${BATCH_NUMBER_MAX_LENGTH} characters` });
    const expiryDate = r.get('expiry_date') || null;
    if (expiryDate && !isCalendarDate(expiryDate)) issues.push({ path: at('expiry_date'), message: 'a date YYYY-MM-DD' });
    const stock: { locationId: number; quantity: number }[] = [];
    for (const column of stockColumns) {
      const raw = r.get(column);
      if (!raw) continue;
      const quantity = parseQuantity(raw);
      if (quantity === null || quantity < 0 || quantity > MAX_QUANTITY)
        issues.push({ path: at(column), message: 'a quantity of 0 or more, at most 3 decimals' });
      else if (!fitsDecimals(quantity, unit?.decimals ?? 0))
        issues.push({ path: at(column), message: `at most ${unit?.decimals ?? 0} decimals for this unit` });
      else if (quantity > 0) stock.push({ locationId: locationByCode.get(column.slice(6))!, quantity });
    }
    return {
      line: r.line,
      sku,
      name,
      description,
      unitPrice,
      costPrice,
      taxRateId,
      unit,
      barcode,
      category,
      allowNegativeStock,
      isActive,
      trackBatches,
      batch: { batchNumber, expiryDate },
      stock,
    };
  });
  fail(issues, 'product');

  return writeTransaction(
    models.sequelize,
    async (transaction) => {
      const existing = await models.Product.findAll({ attributes: ['id', 'sku', 'barcode', 'trackBatches'], transaction });
      const bySku = new Map(existing.map((p) => [p.sku.toLowerCase(), p]));
      for (const row of rows) {
        const known = bySku.get(row.sku.toLowerCase());
        if (known && row.trackBatches !== undefined && row.trackBatches !== known.trackBatches)
          issues.push({
            path: `${row.line}.track_batches`,
            message: "batch tracking of an existing product changes in the product's settings",
          });
        const tracked = known ? known.trackBatches : row.trackBatches === true;
        if (row.stock.length && tracked && (!row.batch.batchNumber || !row.batch.expiryDate))
          issues.push({
            path: `${row.line}.batch_number`,
            message: 'opening stock of a batch-tracked product names its batch_number and expiry_date',
          });
        if (!tracked && (row.batch.batchNumber || row.batch.expiryDate))
          issues.push({ path: `${row.line}.batch_number`, message: `${row.sku} is not tracked in batches` });
      }
      // Barcodes must stay unique across the catalog after the import.
      const barcodeOwner = new Map(existing.filter((p) => p.barcode).map((p) => [p.barcode!.toLowerCase(), p.sku.toLowerCase()]));
      for (const row of rows) {
        if (!row.barcode) continue;
        const owner = barcodeOwner.get(row.barcode.toLowerCase());
        if (owner && owner !== row.sku.toLowerCase())
          issues.push({ path: `${row.line}.barcode`, message: `already the barcode of ${owner.toUpperCase()}` });
        barcodeOwner.set(row.barcode.toLowerCase(), row.sku.toLowerCase());
      }
      fail(issues, 'product');

      const categories = new Map(
        (await models.Category.findAll({ attributes: ['id', 'name'], transaction })).map((c) => [c.name.toLowerCase(), c.id]),
      );
      const result: ImportResult = { created: 0, updated: 0, openingStock: 0 };
      const accounts = await systemAccounts(models, transaction);
      for (const row of rows) {
        let categoryId: number | null | undefined;
        if (row.category !== undefined) {
          if (row.category === '') categoryId = null;
          else {
            categoryId = categories.get(row.category.toLowerCase());
            if (categoryId === undefined) {
              categoryId = (await models.Category.create({ name: row.category }, { transaction })).id;
              categories.set(row.category.toLowerCase(), categoryId);
            }
          }
        }
        const values = {
          name: row.name,
          unitPrice: row.unitPrice!,
          ...(row.description !== undefined ? { description: row.description || null } : {}),
          ...(row.taxRateId !== undefined ? { taxRateId: row.taxRateId } : {}),
          ...(row.unit !== undefined ? { unitId: row.unit?.id ?? null } : {}),
          ...(row.barcode !== undefined ? { barcode: row.barcode || null } : {}),
          ...(categoryId !== undefined ? { categoryId } : {}),
          ...(row.allowNegativeStock !== undefined ? { allowNegativeStock: row.allowNegativeStock } : {}),
          ...(row.isActive !== undefined ? { isActive: row.isActive } : {}),
        };
        let product = bySku.get(row.sku.toLowerCase());
        if (product) {
          // The cost of stock on hand is its average cost; the file's cost price only applies to new stock.
          await models.Product.update(values, { where: { id: product.id }, transaction });
          result.updated++;
        } else {
          product = await models.Product.create(
            {
              sku: row.sku,
              ...values,
              taxRateId: row.taxRateId === undefined ? standard : row.taxRateId,
              costPrice: row.costPrice ?? null,
              trackBatches: row.trackBatches ?? false,
            },
            { transaction },
          );
          bySku.set(row.sku.toLowerCase(), product);
          result.created++;
        }
        if (row.stock.length === 0) continue;
        const opened = new Set(
          (
            await models.StockLevel.findAll({
              where: { productId: product.id, locationId: { [Op.in]: row.stock.map((s) => s.locationId) } },
              attributes: ['locationId'],
              raw: true,
              transaction,
            })
          ).map((l) => l.locationId as number),
        );
        for (const s of row.stock) {
          if (opened.has(s.locationId)) continue;
          await adjustStock(
            models,
            {
              productId: product.id,
              locationId: s.locationId,
              quantity: s.quantity,
              reason: 'receipt',
              ...(row.costPrice !== undefined && row.costPrice !== null ? { unitCost: row.costPrice } : {}),
              note: 'opening stock (CSV import)',
              ...(row.batch.batchNumber ? row.batch : {}),
              offsetAccountId: accounts.ownersEquity,
              userId,
            },
            { transaction },
          );
          result.openingStock++;
        }
      }
      return result;
    },
    options,
  );
}

export async function exportProductsCsv(models: TenantModels): Promise<string> {
  const locations = await models.Location.findAll({ attributes: ['id', 'code'], order: [['code', 'ASC']], raw: true });
  const products = await models.Product.findAll({ order: [['sku', 'ASC']], raw: true });
  const taxRates = new Map((await models.TaxRate.findAll({ attributes: ['id', 'code'], raw: true })).map((r) => [r.id, r.code]));
  const units = new Map((await models.Unit.findAll({ attributes: ['id', 'code'], raw: true })).map((u) => [u.id, u.code]));
  const categories = new Map((await models.Category.findAll({ attributes: ['id', 'name'], raw: true })).map((c) => [c.id, c.name]));
  const levels = await models.StockLevel.findAll({ attributes: ['productId', 'locationId', 'quantity'], raw: true });
  const stock = new Map(levels.map((l) => [`${l.productId}:${l.locationId}`, Number(l.quantity)]));
  return formatCsv(
    [...PRODUCT_COLUMNS, ...locations.map((l) => `stock_${l.code}`)],
    products.map((p) => [
      p.sku,
      p.name,
      p.description ?? '',
      p.unitPrice,
      p.costPrice ?? '',
      p.taxRateId ? (taxRates.get(p.taxRateId as number) ?? '') : '',
      p.unitId ? (units.get(p.unitId as number) ?? '') : '',
      p.barcode ?? '',
      p.categoryId ? (categories.get(p.categoryId as number) ?? '') : '',
      Boolean(p.allowNegativeStock),
      Boolean(p.trackBatches),
      // Stock per batch is GET /api/stock/batches; a file row holds one batch, so none is exported.
      '',
      '',
      Boolean(p.isActive),
      ...locations.map((l) => {
        const q = stock.get(`${p.id}:${l.id}`);
        return q === undefined ? '' : formatQuantity(q);
      }),
    ]),
  );
}

// ── customers and suppliers ───────────────────────────────────────────────────────────────────────

const PARTY_COLUMNS = ['name', 'email', 'phone', 'tax_number', 'address', 'is_active'];

async function importParties(
  models: TenantModels,
  kind: 'Customer' | 'Supplier',
  text: string,
  options: WriteOptions,
): Promise<ImportResult> {
  const table = readTable(text, ['name'], (c) => PARTY_COLUMNS.includes(c));
  const issues: FieldIssue[] = [];
  const check = kind === 'Customer' ? checkCustomer : checkSupplier;
  const seen = new Map<string, number>();
  const rows = table.rows.map((r) => {
    const input: Record<string, unknown> = {};
    for (const column of ['name', 'email', 'phone', 'tax_number', 'address']) {
      if (!r.has(column)) continue;
      const key = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      input[key] = column === 'name' ? r.get(column) : r.get(column) || null;
    }
    const isActive = bool(r.get('is_active'), `${r.line}.is_active`, issues);
    if (isActive !== undefined) input.isActive = isActive;
    const values = collect(r.line, issues, () => check(input, true));
    const key = values ? ((values.email as string | null | undefined) ?? `name:${values.name}`).toLowerCase() : '';
    if (key && seen.has(key))
      issues.push({ path: `${r.line}.${key.startsWith('name:') ? 'name' : 'email'}`, message: `the same as line ${seen.get(key)}` });
    if (key) seen.set(key, r.line);
    return { line: r.line, values: values ?? {}, key };
  });
  fail(issues, kind.toLowerCase());

  return writeTransaction(
    models.sequelize,
    async (transaction) => {
      const model = models[kind] as unknown as {
        findAll(o: object): Promise<{ id: number; name: string; email: string | null }[]>;
        update(v: object, o: object): Promise<unknown>;
        create(v: object, o: object): Promise<{ id: number; name: string; email: string | null }>;
      };
      const existing = await model.findAll({ attributes: ['id', 'name', 'email'], raw: true, transaction });
      const byKey = new Map<string, number>();
      for (const p of existing) {
        if (p.email) byKey.set(p.email.toLowerCase(), p.id);
        else if (!byKey.has(`name:${p.name.toLowerCase()}`)) byKey.set(`name:${p.name.toLowerCase()}`, p.id);
      }
      const result: ImportResult = { created: 0, updated: 0, openingStock: 0 };
      for (const row of rows) {
        const id = byKey.get(row.key);
        if (id !== undefined) {
          await model.update(row.values, { where: { id }, transaction });
          result.updated++;
        } else {
          const created = await model.create(row.values, { transaction });
          byKey.set(row.key, created.id);
          result.created++;
        }
      }
      return result;
    },
    options,
  );
}

async function exportParties(models: TenantModels, kind: 'Customer' | 'Supplier'): Promise<string> {
  const model = models[kind] as unknown as { findAll(o: object): Promise<Record<string, unknown>[]> };
  const rows = await model.findAll({
    order: [
      ['name', 'ASC'],
      ['id', 'ASC'],
    ],
    raw: true,
  });
  return formatCsv(
    PARTY_COLUMNS,
    rows.map((r) => [
      r.name as string,
      (r.email as string | null) ?? '',
      (r.phone as string | null) ?? '',
      (r.taxNumber as string | null) ?? '',
      (r.address as string | null) ?? '',
      Boolean(r.isActive),
    ]),
  );
}

export const importCustomersCsv = (models: TenantModels, text: string, options: WriteOptions = {}) =>
  importParties(models, 'Customer', text, options);
export const importSuppliersCsv = (models: TenantModels, text: string, options: WriteOptions = {}) =>
  importParties(models, 'Supplier', text, options);
export const exportCustomersCsv = (models: TenantModels) => exportParties(models, 'Customer');
export const exportSuppliersCsv = (models: TenantModels) => exportParties(models, 'Supplier');
