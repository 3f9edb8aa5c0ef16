import { Op, type Transaction } from 'sequelize';
import { ACCOUNT_CODES, DEFAULT_TAX_RATE } from '../accounting/chart-of-accounts';
import { createExpense } from '../accounting/expenses';
import { postJournalEntry, systemAccounts } from '../accounting/posting';
import { writeTransaction } from '../accounting/transactions';
import { checkDate } from '../accounting/values';
import { dateInTimeZone } from '../settings/time-zone';
import { getSettings, updateSettings, type SettingsPatch } from '../settings/settings';
import type { TenantModels } from '../model-types';
import { createCreditNote } from '../sales/credit-notes';
import { issueInvoicesInBulk, type CreateInvoiceInput } from '../sales/invoicing';
import { Conflict } from '@salesfleet/contracts';
import { paySupplierBill } from '../purchasing/bills';
import { createPurchaseOrder, receivePurchaseOrder } from '../purchasing/purchases';
import { centsFor, units } from '../sales/quantity';
import { convertQuote, createQuote } from '../sales/quotes';
import { InventoryValuation } from '../sales/valuation';
import { adjustStock } from '../sales/stock';

/**
 * Demo data for a new workspace (`create-tenant --demo-data`, `pnpm start --demo`): products with
 * stock, customers, a week of posted invoices (some paid, one part-paid, some open), an expense, and
 * suppliers with a purchase order half received and its bill part paid, a quote still open and one
 * converted into an invoice —
 * through the same operations the API uses, so the books, stock and reports agree.
 *
 * Deterministic (same rows every time; invoice dates count back from `today`), idempotent (each part
 * is skipped when it exists: products by SKU, customers by email, invoices and the expense by their
 * "Demo data" marker), and one transaction with bulk inserts where possible.
 */
export interface SeedDemoDataOptions {
  /** Also create a second location (multi-location workspaces only). Default false: the demo uses the existing location. */
  locations?: boolean;
  /** `YYYY-MM-DD` the invoice dates count back from; default today in the tenant's time zone. */
  today?: string;
  /**
   * Company settings to apply first (name, currency, locale, time zone…), so a demo workspace can
   * trade in another currency: the currency must be set before anything is posted.
   */
  company?: SettingsPatch;
}

export interface SeedDemoDataResult {
  /** Rows created by this run (all zero on a second run). */
  created: {
    locations: number;
    products: number;
    stockLevels: number;
    customers: number;
    invoices: number;
    expenses: number;
    suppliers: number;
    purchaseOrders: number;
    creditNotes: number;
    /** Quotes: one left open, one accepted and converted into an invoice. */
    quotes: number;
    /** Stock batches of the batch-tracked demo product. */
    batches: number;
  };
}

export const DEMO_MARKER = 'Demo data';

/** The demo quotes' notes (the converted quote's invoice carries them too). */
export const DEMO_QUOTE_NOTES = {
  open: `${DEMO_MARKER}: quote for the café's next order`,
  converted: `${DEMO_MARKER}: quote accepted`,
} as const;

const EXTRA_LOCATION = { code: 'NORTH', name: 'North Street shop', address: '12 North Street' };

interface DemoProduct {
  sku: string;
  name: string;
  unitPrice: number;
  costPrice: number | null;
  taxed: boolean;
  allowNegativeStock?: boolean;
  stock: number;
}

export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  { sku: 'COFFEE-250', name: 'Coffee beans 250 g', unitPrice: 1290, costPrice: 700, taxed: true, stock: 40 },
  { sku: 'TEA-GREEN', name: 'Green tea, 50 bags', unitPrice: 650, costPrice: 300, taxed: true, stock: 60 },
  { sku: 'MUG-WHITE', name: 'White mug', unitPrice: 899, costPrice: 350, taxed: true, stock: 24 },
  { sku: 'CHOC-DARK', name: 'Dark chocolate bar', unitPrice: 349, costPrice: 150, taxed: true, stock: 80 },
  { sku: 'CAKE-LEMON', name: 'Lemon cake slice', unitPrice: 425, costPrice: null, taxed: true, stock: 30 },
  { sku: 'SYRUP-VAN', name: 'Vanilla syrup', unitPrice: 795, costPrice: 400, taxed: true, stock: 20 },
  { sku: 'FILTER-100', name: 'Paper filters, 100', unitPrice: 399, costPrice: 120, taxed: true, stock: 50 },
  { sku: 'GRINDER', name: 'Hand grinder', unitPrice: 3999, costPrice: 2100, taxed: true, stock: 6 },
  { sku: 'GIFT-CARD', name: 'Gift card', unitPrice: 2500, costPrice: null, taxed: false, allowNegativeStock: true, stock: 50 },
  { sku: 'BOOK-BREW', name: 'The home brewing guide (book)', unitPrice: 1800, costPrice: 900, taxed: false, stock: 12 },
];

/** A batch-tracked product (expiry dates, sold first-expiry-first-out) received in two batches. */
export const DEMO_BATCH_PRODUCT = {
  sku: 'OAT-MILK',
  name: 'Oat milk 1 l',
  unitPrice: 299,
  costPrice: 110,
  batches: [
    { batchNumber: 'OM-0412', expiresInDays: 12, quantity: 12 },
    { batchNumber: 'OM-0520', expiresInDays: 75, quantity: 24 },
  ],
} as const;

export const DEMO_SUPPLIERS = [
  { name: 'Roastery Wholesale', email: 'orders@roastery.demo.example.com', phone: '+44 117 496 0100', taxNumber: 'GB987654321' },
  { name: 'Paper Goods Co', email: 'sales@papergoods.demo.example.com', phone: null },
] as const;

export const DEMO_CUSTOMERS = [
  { name: 'Ada Lovelace', email: 'ada@demo.example.com', phone: '+44 20 7946 0001' },
  { name: 'Grace Hopper', email: 'grace@demo.example.com', phone: '+1 202 555 0102' },
  { name: 'Alan Turing', email: 'alan@demo.example.com', phone: null },
  { name: 'Katherine Johnson', email: 'katherine@demo.example.com', phone: null },
  { name: 'Corner Café Ltd', email: 'orders@cornercafe.demo.example.com', phone: '+44 161 496 0005', taxNumber: 'GB123456789' },
] as const;

function daysBefore(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

export async function seedDemoData(models: TenantModels, options: SeedDemoDataOptions = {}): Promise<SeedDemoDataResult> {
  if (options.today !== undefined) checkDate(options.today, 'today');
  return writeTransaction(models.sequelize, async (transaction) => {
    if (options.company) await updateSettings(models, options.company, { transaction });
    const today = options.today ?? dateInTimeZone((await getSettings(models, transaction)).timeZone);
    return seed(models, { locations: options.locations === true, today }, transaction);
  });
}

async function seed(
  models: TenantModels,
  options: { locations: boolean; today: string },
  transaction: Transaction,
): Promise<SeedDemoDataResult> {
  const created = {
    locations: 0,
    products: 0,
    stockLevels: 0,
    customers: 0,
    invoices: 0,
    expenses: 0,
    suppliers: 0,
    purchaseOrders: 0,
    creditNotes: 0,
    quotes: 0,
    batches: 0,
  };
  const t = { transaction };

  const user =
    (await models.User.findOne({ where: { isSuperuser: true, isActive: true }, order: [['id', 'ASC']], attributes: ['id'], ...t })) ??
    (await models.User.findOne({ where: { isActive: true }, order: [['id', 'ASC']], attributes: ['id'], ...t }));
  if (!user) throw new Conflict('Seed the workspace (its admin user) before its demo data');
  const userId = user.id;

  // ── locations ──
  let locations = await models.Location.findAll({ where: { isActive: true }, order: [['id', 'ASC']], attributes: ['id', 'code'], ...t });
  if (locations.length === 0) throw new Conflict('The workspace has no active location');
  if (options.locations && !locations.some((l) => l.code === EXTRA_LOCATION.code)) {
    await models.Location.create({ ...EXTRA_LOCATION }, t);
    created.locations++;
    locations = await models.Location.findAll({ where: { isActive: true }, order: [['id', 'ASC']], attributes: ['id', 'code'], ...t });
  }
  const main = locations[0]!.id;
  const demoLocations = options.locations ? [main, locations.find((l) => l.code === EXTRA_LOCATION.code)!.id] : [main];
  const second = demoLocations[1] ?? main;

  // ── products ──
  const standard = await models.TaxRate.findOne({ where: { code: DEFAULT_TAX_RATE.code }, attributes: ['id'], ...t });
  const skus = DEMO_PRODUCTS.map((p) => p.sku);
  const existingSkus = new Set(
    (await models.Product.findAll({ where: { sku: { [Op.in]: skus } }, attributes: ['sku'], raw: true, ...t })).map((p) => p.sku),
  );
  const newProducts = DEMO_PRODUCTS.filter((p) => !existingSkus.has(p.sku));
  if (newProducts.length) {
    await models.Product.bulkCreate(
      newProducts.map((p) => ({
        sku: p.sku,
        name: p.name,
        unitPrice: p.unitPrice,
        costPrice: p.costPrice,
        taxRateId: p.taxed ? (standard?.id ?? null) : null,
        allowNegativeStock: p.allowNegativeStock ?? false,
      })),
      t,
    );
    created.products = newProducts.length;
  }
  const products = await models.Product.findAll({
    where: { sku: { [Op.in]: skus } },
    attributes: ['id', 'sku', 'costPrice'],
    raw: true,
    ...t,
  });
  const productId = new Map(products.map((p) => [p.sku, p.id]));

  // ── opening stock (where a demo product has no stock row at a demo location yet) ──
  const levels = await models.StockLevel.findAll({
    where: { productId: { [Op.in]: products.map((p) => p.id) }, locationId: { [Op.in]: demoLocations } },
    attributes: ['productId', 'locationId'],
    raw: true,
    ...t,
  });
  const hasLevel = new Set(levels.map((l) => `${l.productId}:${l.locationId}`));
  const opening: { productId: number; locationId: number; quantity: number; cost: number }[] = [];
  for (const p of DEMO_PRODUCTS) {
    if (p.stock === 0) continue;
    const id = productId.get(p.sku)!;
    demoLocations.forEach((locationId, i) => {
      if (hasLevel.has(`${id}:${locationId}`)) return;
      const quantity = units(i === 0 ? p.stock : Math.ceil(p.stock / 2));
      opening.push({ productId: id, locationId, quantity, cost: centsFor(quantity, p.costPrice ?? 0) });
    });
  }
  if (opening.length) {
    await models.StockLevel.bulkCreate(
      opening.map(({ productId, locationId, quantity }) => ({ productId, locationId, quantity })),
      t,
    );
    await models.StockMovement.bulkCreate(
      opening.map(({ productId, locationId, quantity }) => ({
        productId,
        locationId,
        quantity,
        reason: 'receipt' as const,
        reference: 'demo:opening stock',
        createdBy: userId,
      })),
      t,
    );
    created.stockLevels = opening.length;
    const valuation = await InventoryValuation.lock(
      models,
      opening.map((o) => o.productId),
      transaction,
    );
    for (const o of opening) valuation.receive(o.productId, o.quantity, o.cost);
    await valuation.save();
    // The goods came in as the owner's contribution: inventory up, equity up.
    const accounts = await systemAccounts(models, transaction);
    const value = opening.reduce((sum, o) => sum + o.cost, 0);
    await postJournalEntry(
      models,
      {
        entryDate: daysBefore(options.today, 7),
        memo: `${DEMO_MARKER}: opening stock`,
        sourceType: 'manual',
        postedBy: userId,
        lines: [
          { accountId: accounts.inventory, debit: value },
          { accountId: accounts.ownersEquity, credit: value },
        ],
      },
      transaction,
    );
  }

  // ── customers ──
  const emails = DEMO_CUSTOMERS.map((c) => c.email);
  const knownEmails = new Set(
    (await models.Customer.findAll({ where: { email: { [Op.in]: emails } }, attributes: ['email'], raw: true, ...t })).map((c) => c.email),
  );
  const newCustomers = DEMO_CUSTOMERS.filter((c) => !knownEmails.has(c.email));
  if (newCustomers.length) {
    await models.Customer.bulkCreate(
      newCustomers.map((c) => ({ ...c })),
      t,
    );
    created.customers = newCustomers.length;
  }
  const customers = await models.Customer.findAll({ where: { email: { [Op.in]: emails } }, attributes: ['id', 'email'], raw: true, ...t });
  const customerId = (email: string) => customers.find((c) => c.email === email)!.id;

  // ── invoices, posted through the real operations ──
  if ((await models.Invoice.count({ where: { notes: DEMO_MARKER }, ...t })) === 0) {
    const line = (sku: string, quantity: number) => ({ productId: productId.get(sku)!, quantity: units(quantity) });
    const sales: Omit<CreateInvoiceInput, 'userId' | 'notes'>[] = [
      {
        locationId: main,
        issueDate: daysBefore(options.today, 6),
        lines: [line('COFFEE-250', 2), line('CHOC-DARK', 3)],
        payment: { method: 'cash' },
      },
      {
        locationId: main,
        customerId: customerId('ada@demo.example.com'),
        issueDate: daysBefore(options.today, 5),
        lines: [line('MUG-WHITE', 4), line('FILTER-100', 2)],
      },
      {
        locationId: main,
        customerId: customerId('grace@demo.example.com'),
        issueDate: daysBefore(options.today, 4),
        lines: [line('GRINDER', 1), line('COFFEE-250', 1)],
        payment: { method: 'card', reference: 'card •••• 4242' },
      },
      {
        locationId: second,
        issueDate: daysBefore(options.today, 3),
        lines: [line('CAKE-LEMON', 2), line('TEA-GREEN', 1)],
        payment: { method: 'card' },
      },
      {
        locationId: main,
        customerId: customerId('alan@demo.example.com'),
        issueDate: daysBefore(options.today, 2),
        lines: [line('SYRUP-VAN', 2), line('BOOK-BREW', 1)],
        payment: { method: 'transfer', amount: 1000 },
      },
      {
        locationId: second,
        issueDate: daysBefore(options.today, 1),
        lines: [line('GIFT-CARD', 1), line('COFFEE-250', 1)],
        payment: { method: 'cash' },
      },
      {
        locationId: second,
        customerId: customerId('orders@cornercafe.demo.example.com'),
        issueDate: options.today,
        lines: [
          line('TEA-GREEN', 6),
          line('CHOC-DARK', 10),
          { description: 'Delivery', quantity: units(1), unitPrice: 500, taxRateBp: 2000 },
        ],
      },
    ];
    const ids = await issueInvoicesInBulk(
      models,
      sales.map((sale) => ({ ...sale, notes: DEMO_MARKER, userId })),
      transaction,
    );
    created.invoices = ids.length;
  }

  // ── a credit note: one unit of the first demo invoice's first product line came back damaged ──
  const creditReason = `${DEMO_MARKER}: damaged in transit`;
  if ((await models.CreditNote.count({ where: { reason: creditReason }, ...t })) === 0) {
    const invoice = await models.Invoice.findOne({
      where: { notes: DEMO_MARKER, status: { [Op.in]: ['issued', 'paid'] } },
      order: [['number', 'ASC']],
      ...t,
    });
    const line =
      invoice &&
      (await models.InvoiceLine.findOne({ where: { invoiceId: invoice.id, productId: { [Op.ne]: null } }, order: [['id', 'ASC']], ...t }));
    if (invoice && line) {
      await createCreditNote(
        models,
        invoice.id,
        {
          date: options.today,
          reason: creditReason,
          lines: [{ invoiceLineId: line.id, quantity: units(1) }],
          refundMethod: 'cash',
          userId,
        },
        t,
      );
      created.creditNotes++;
    }
  }

  // ── quotes: one accepted yesterday and converted into an invoice (stock taken, sale posted), one still open ──
  if ((await models.Quote.count({ where: { notes: { [Op.in]: [DEMO_QUOTE_NOTES.open, DEMO_QUOTE_NOTES.converted] } }, ...t })) === 0) {
    const line = (sku: string, quantity: number, discountBp?: number) => ({
      productId: productId.get(sku)!,
      quantity: units(quantity),
      ...(discountBp ? { discountBp } : {}),
    });
    // A quote is converted only while valid on the tenant's real today, which a back-dated demo may be past.
    const realToday = dateInTimeZone((await getSettings(models, transaction)).timeZone);
    const validUntil = [daysBefore(options.today, -30), realToday].sort().at(-1)!;
    const accepted = await createQuote(
      models,
      {
        locationId: main,
        customerId: customerId('katherine@demo.example.com'),
        issueDate: daysBefore(options.today, 3),
        validUntil,
        lines: [line('GRINDER', 1, 500), line('COFFEE-250', 2)],
        notes: DEMO_QUOTE_NOTES.converted,
        userId,
      },
      t,
    );
    await convertQuote(models, accepted.id, { issueDate: daysBefore(options.today, 1), userId }, t);
    await createQuote(
      models,
      {
        locationId: main,
        customerId: customerId('orders@cornercafe.demo.example.com'),
        issueDate: options.today,
        validUntil: daysBefore(options.today, -30),
        lines: [line('COFFEE-250', 12), line('MUG-WHITE', 6)],
        discountAmount: 1000,
        notes: DEMO_QUOTE_NOTES.open,
        userId,
      },
      t,
    );
    created.quotes = 2;
  }

  // ── an expense ──
  if ((await models.Expense.count({ where: { description: `${DEMO_MARKER}: electricity` }, ...t })) === 0) {
    const opex = await models.Account.findOne({ where: { code: ACCOUNT_CODES.operatingExpenses }, attributes: ['id'], ...t });
    const bank = await models.Account.findOne({ where: { code: ACCOUNT_CODES.bank }, attributes: ['id'], ...t });
    await createExpense(
      models,
      {
        expenseDate: daysBefore(options.today, 3),
        accountId: opex!.id,
        paidFromAccountId: bank!.id,
        amount: 8450,
        vendor: 'City Power & Light',
        description: `${DEMO_MARKER}: electricity`,
        locationId: main,
        userId,
      },
      t,
    );
    created.expenses++;
  }

  // ── suppliers and a purchase: ordered, half received (Inventory / Accounts payable at cost), part paid ──
  const knownSuppliers = new Set(
    (
      await models.Supplier.findAll({
        where: { email: { [Op.in]: DEMO_SUPPLIERS.map((s) => s.email) } },
        attributes: ['email'],
        raw: true,
        ...t,
      })
    ).map((s) => s.email),
  );
  const newSuppliers = DEMO_SUPPLIERS.filter((s) => !knownSuppliers.has(s.email));
  if (newSuppliers.length) {
    await models.Supplier.bulkCreate(
      newSuppliers.map((s) => ({ ...s })),
      t,
    );
    created.suppliers = newSuppliers.length;
  }
  if ((await models.PurchaseOrder.count({ where: { notes: DEMO_MARKER }, ...t })) === 0) {
    const roastery = await models.Supplier.findOne({ where: { email: DEMO_SUPPLIERS[0].email }, attributes: ['id'], ...t });
    const order = await createPurchaseOrder(
      models,
      {
        supplierId: roastery!.id,
        locationId: main,
        orderDate: daysBefore(options.today, 4),
        notes: DEMO_MARKER,
        lines: [
          // Bought with VAT at the standard rate: Inventory takes the net cost, 1300 the input tax.
          { productId: productId.get('MUG-WHITE')!, quantity: units(12), unitCost: 340, taxRateId: standard?.id ?? null },
          { productId: productId.get('FILTER-100')!, quantity: units(24), unitCost: 125, taxRateId: standard?.id ?? null },
        ],
        userId,
      },
      t,
    );
    const { bill } = await receivePurchaseOrder(
      models,
      order.id,
      {
        lines: [
          { lineId: order.lines![0]!.id, quantity: units(12) },
          { lineId: order.lines![1]!.id, quantity: units(12) },
        ],
        date: daysBefore(options.today, 2),
        supplierReference: 'RW-20417',
        userId,
      },
      t,
    );
    await paySupplierBill(models, bill.id, { amount: 3000, date: daysBefore(options.today, 1), reference: 'Transfer', userId }, t);
    created.purchaseOrders++;
  }

  // ── a batch-tracked product in two batches, the first expiring within the month ──
  if (!(await models.Product.findOne({ where: { sku: DEMO_BATCH_PRODUCT.sku }, attributes: ['id'], ...t }))) {
    const { batches, ...product } = DEMO_BATCH_PRODUCT;
    const milk = await models.Product.create({ ...product, costPrice: null, taxRateId: standard?.id ?? null, trackBatches: true }, t);
    for (const batch of batches) {
      await adjustStock(
        models,
        {
          productId: milk.id,
          locationId: main,
          quantity: units(batch.quantity),
          reason: 'receipt',
          unitCost: product.costPrice,
          batchNumber: batch.batchNumber,
          expiryDate: daysBefore(options.today, -batch.expiresInDays),
          offsetAccountId: (await systemAccounts(models, transaction)).ownersEquity,
          note: `${DEMO_MARKER}: opening stock`,
          date: daysBefore(options.today, 7),
          userId,
        },
        t,
      );
      created.batches++;
    }
  }

  return { created };
}
