import { UniqueConstraintError, type Transaction } from 'sequelize';
import { Conflict, NotFound, ValidationFailed } from '@salesfleet/contracts';
import { RetryableConflict, writeTransaction, type WriteOptions } from '../accounting/transactions';
import { checkDate, nextDay, type Page, type PageOptions } from '../accounting/values';
import type { Invoice, Quote, TenantModels } from '../model-types';
import { postingSettings, tenantToday } from '../settings/settings';
import { FieldChecks, MAX_INT32 } from './fields';
import {
  checkDiscountShape,
  checkLineShapes,
  checkReferences,
  documentAmounts,
  getInvoice,
  listDocuments,
  nextDocumentNumbers,
  resolveLines,
  writeInvoice,
  type DocumentDiscountInput,
  type InvoiceLineInput,
  type InvoiceWriteOptions,
  type TillPayments,
  checkTillPayments,
} from './invoicing';
import type { QuoteStatus } from './quote';

/**
 * Quotes: the lines, prices and discounts offered to a customer until a date. A quote posts nothing
 * and takes no stock. Converting one issues an invoice from its lines — at the quoted prices and
 * discounts, with the products' tax rates of the day of sale — and can happen once: the quote is
 * claimed (`open` → `converted`) in the invoice's transaction, so two conversions racing each other
 * give one invoice. An expired quote (by `expireQuote`, or once its `validUntil` is past) is not
 * converted; an open one can be changed.
 */

export const DEFAULT_QUOTE_VALIDITY_DAYS = 30;

export interface QuoteInput extends DocumentDiscountInput {
  locationId: number;
  customerId?: number | null;
  /** `YYYY-MM-DD`; default today in the tenant's time zone. */
  issueDate?: string;
  /** `YYYY-MM-DD`, not before the issue date; default 30 days after it. */
  validUntil?: string;
  notes?: string | null;
  lines: readonly InvoiceLineInput[];
  userId: number;
}

export type QuotePatch = Partial<Omit<QuoteInput, 'userId'>>;

export interface ConvertQuoteInput extends TillPayments {
  /** The invoice's date; default today in the tenant's time zone. */
  issueDate?: string;
  userId: number;
}

function addDays(date: string, days: number): string {
  let d = date;
  for (let i = 0; i < days; i++) d = nextDay(d);
  return d;
}

function check(input: QuotePatch, creating: boolean): void {
  const f = new FieldChecks();
  if (creating || input.locationId !== undefined) f.int(input.locationId, 'locationId', 1, MAX_INT32);
  if (input.customerId !== undefined && input.customerId !== null) f.int(input.customerId, 'customerId', 1, MAX_INT32);
  if (input.issueDate !== undefined) f.date(input.issueDate, 'issueDate');
  if (input.validUntil !== undefined) f.date(input.validUntil, 'validUntil');
  f.text(input.notes, 'notes', 5000, false);
  if (creating || input.lines !== undefined) checkLineShapes(input.lines ?? [], f);
  checkDiscountShape(input, f);
  f.done('quote');
}

function quoteNumberTaken(err: unknown): never {
  if (err instanceof UniqueConstraintError) throw new RetryableConflict('Quote number taken concurrently');
  throw err;
}

/** Prices the lines and writes them (replacing any the quote had); returns the document amounts. */
async function writeLines(
  models: TenantModels,
  quoteId: number | null,
  lines: readonly InvoiceLineInput[],
  discount: DocumentDiscountInput,
  transaction: Transaction,
) {
  const resolved = await resolveLines(models, lines, discount, transaction);
  return {
    amounts: documentAmounts(resolved),
    save: async (id: number) => {
      if (quoteId !== null) await models.QuoteLine.destroy({ where: { quoteId }, transaction });
      await models.QuoteLine.bulkCreate(
        resolved.lines.map(({ costAmount: _cost, ...l }) => ({ ...l, quoteId: id })),
        { transaction },
      );
    },
  };
}

function checkValidity(issueDate: string, validUntil: string): void {
  if (validUntil < issueDate)
    throw new ValidationFailed('A quote is valid until a date on or after its issue date', [
      { path: 'validUntil', message: `on or after ${issueDate}` },
    ]);
}

export async function createQuote(models: TenantModels, input: QuoteInput, options: WriteOptions = {}): Promise<Quote> {
  check(input, true);
  const id = await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const issueDate = input.issueDate ?? (await tenantToday(models, transaction));
      const validUntil = input.validUntil ?? addDays(issueDate, DEFAULT_QUOTE_VALIDITY_DAYS);
      checkValidity(issueDate, validUntil);
      await checkReferences(models, input.locationId, input.customerId, transaction);
      const { amounts, save } = await writeLines(models, null, input.lines, input, transaction);
      const { quotePrefix } = await postingSettings(models, transaction);
      const [number] = await nextDocumentNumbers(models.Quote, quotePrefix, transaction);
      const quote = await models.Quote.create(
        {
          number: number!,
          locationId: input.locationId,
          customerId: input.customerId ?? null,
          issueDate,
          validUntil,
          ...amounts,
          notes: input.notes?.trim() || null,
          createdBy: input.userId,
        },
        { transaction },
      ).catch(quoteNumberTaken);
      await save(quote.id);
      return quote.id;
    },
    options,
  );
  return getQuote(models, id, options.transaction);
}

async function lockOpenQuote(models: TenantModels, id: number, transaction: Transaction): Promise<Quote> {
  const quote = await models.Quote.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
  if (!quote) throw new NotFound('Quote', id);
  if (quote.status !== 'open') throw new Conflict(`Quote ${quote.number} is ${quote.status}`, { status: quote.status });
  return quote;
}

/** Changes an open quote: any of its fields; new lines replace the old ones, and everything is priced again. */
export async function updateQuote(models: TenantModels, id: number, patch: QuotePatch, options: WriteOptions = {}): Promise<Quote> {
  check(patch, false);
  await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const quote = await lockOpenQuote(models, id, transaction);
      const issueDate = patch.issueDate ?? String(quote.issueDate).slice(0, 10);
      const validUntil = patch.validUntil ?? String(quote.validUntil).slice(0, 10);
      checkValidity(issueDate, validUntil);
      const locationId = patch.locationId ?? (quote.locationId as number);
      const customerId = patch.customerId === undefined ? ((quote.customerId as number | null) ?? null) : patch.customerId;
      await checkReferences(models, locationId, customerId, transaction);
      const discount: DocumentDiscountInput =
        patch.discountBp !== undefined || patch.discountAmount !== undefined
          ? { discountBp: patch.discountBp ?? null, discountAmount: patch.discountAmount ?? null }
          : quote.discountBp !== null && quote.discountBp !== undefined
            ? { discountBp: quote.discountBp }
            : { discountAmount: quote.discountAmount };
      const lines = patch.lines ?? (await quoteLinesAsInput(models, id, transaction));
      const { amounts, save } = await writeLines(models, id, lines, discount, transaction);
      await quote.update(
        {
          locationId,
          customerId,
          issueDate,
          validUntil,
          ...amounts,
          ...(patch.notes !== undefined ? { notes: patch.notes?.trim() || null } : {}),
        },
        { transaction },
      );
      await save(id);
    },
    options,
  );
  return getQuote(models, id, options.transaction);
}

/** A quote's lines as invoice line input: the quoted prices, discounts and tax rates (whatever the rates are today). */
async function quoteLinesAsInput(models: TenantModels, quoteId: number, transaction: Transaction): Promise<InvoiceLineInput[]> {
  const lines = await models.QuoteLine.findAll({ where: { quoteId }, order: [['id', 'ASC']], transaction });
  return lines.map((l) => {
    const productId = (l.productId as number | null | undefined) ?? null;
    return {
      productId,
      description: l.description,
      quantity: Number(l.quantity),
      unitPrice: Number(l.unitPrice),
      taxRateBp: l.taxRateBp,
      taxInclusive: Boolean(l.taxInclusive),
      ...(l.discountBp !== null && l.discountBp !== undefined
        ? { discountBp: l.discountBp }
        : { discountAmount: Number(l.discountAmount) }),
    };
  });
}

/** Marks an open quote expired (it can no longer be converted or changed). */
export async function expireQuote(models: TenantModels, id: number, options: WriteOptions = {}): Promise<Quote> {
  await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const quote = await lockOpenQuote(models, id, transaction);
      await quote.update({ status: 'expired' }, { transaction });
    },
    options,
  );
  return getQuote(models, id, options.transaction);
}

/**
 * Converts an open, unexpired quote into an issued invoice (its stock taken and its sale posted as
 * any invoice), once. Returns the invoice, which references the quote.
 */
export async function convertQuote(
  models: TenantModels,
  id: number,
  input: ConvertQuoteInput,
  options: InvoiceWriteOptions = {},
): Promise<Invoice> {
  if (input.issueDate !== undefined) checkDate(input.issueDate, 'issueDate');
  checkTillPayments(input);
  const invoiceId = await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const quote = await lockOpenQuote(models, id, transaction);
      const today = await tenantToday(models, transaction);
      const validUntil = String(quote.validUntil).slice(0, 10);
      if (validUntil < today) throw new Conflict(`Quote ${quote.number} expired on ${validUntil}`, { status: 'expired', validUntil });
      // Claim the quote: a concurrent conversion finds it converted and stops (the lock above makes it wait first).
      const [claimed] = await models.Quote.update({ status: 'converted' }, { where: { id, status: 'open' }, transaction });
      if (claimed === 0) throw new Conflict(`Quote ${quote.number} was converted meanwhile`, { status: 'converted' });
      const { id: newId } = await writeInvoice(
        models,
        {
          locationId: quote.locationId as number,
          customerId: (quote.customerId as number | null) ?? null,
          ...(input.issueDate ? { issueDate: input.issueDate } : {}),
          notes: quote.notes ?? null,
          lines: await quoteLinesAsInput(models, id, transaction),
          ...(quote.discountBp !== null && quote.discountBp !== undefined
            ? { discountBp: quote.discountBp }
            : { discountAmount: Number(quote.discountAmount) }),
          ...(input.payment ? { payment: input.payment } : {}),
          ...(input.payments ? { payments: input.payments } : {}),
          userId: input.userId,
          quoteId: id,
        },
        { transaction, ...(options.hooks ? { hooks: options.hooks } : {}) },
      );
      await models.Quote.update({ invoiceId: newId }, { where: { id }, transaction });
      return newId;
    },
    options,
  );
  return getInvoice(models, invoiceId, options.transaction);
}

export async function getQuote(models: TenantModels, id: number, transaction?: Transaction): Promise<Quote> {
  const quote = await models.Quote.findByPk(id, {
    include: [{ model: models.QuoteLine, as: 'lines' }],
    order: [[{ model: models.QuoteLine, as: 'lines' }, 'id', 'ASC']],
    ...(transaction ? { transaction } : {}),
  });
  if (!quote) throw new NotFound('Quote', id);
  return quote;
}

export interface QuoteFilter extends PageOptions {
  from?: string;
  to?: string;
  status?: QuoteStatus;
  customerId?: number;
  locationId?: number;
  /** Quote number contains this (case-insensitive). */
  q?: string;
}

/** Quotes (without lines), newest first. */
export async function listQuotes(models: TenantModels, filter: QuoteFilter = {}): Promise<Page<Quote>> {
  return listDocuments(models, 'Quote', filter);
}
