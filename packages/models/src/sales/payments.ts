import { literal, Op, type Transaction } from 'sequelize';
import { postJournalEntry, systemAccounts, type PostingInput, type SystemAccounts } from '../accounting/posting';
import { writeTransaction, type WriteOptions } from '../accounting/transactions';
import { checkDate, findPage, nextDay, pageWindow, type Page, type PageOptions } from '../accounting/values';
import type { Invoice, Payment, TenantModels } from '../model-types';
import { FieldChecks, MAX_AMOUNT } from './fields';
import { getSettings, tenantDateOf } from '../settings/settings';
import { startOfDayInTimeZone } from '../settings/time-zone';
import { PAYMENT_METHODS, type PaymentMethod } from './payment';
import { withCreditedTotals } from './credited';
import { Conflict, NotFound } from '@salesfleet/contracts';
import { storedInstant } from '../timestamp-attribute';

/**
 * Payments against issued invoices: each one posts debit cash (cash) or bank (card, transfer, other),
 * credit accounts receivable; the invoice becomes `paid` when its payments reach its total.
 */

/** The account money received with `method` goes to. */
export function moneyAccount(accounts: SystemAccounts, method: PaymentMethod): number {
  return method === 'cash' ? accounts.cash : accounts.bank;
}

export interface PaymentInput {
  /** Cents, > 0 and at most what is still owed. */
  amount: number;
  method: PaymentMethod;
  reference?: string | null;
  /** When the money came in; default now. Its date is the posting date. */
  receivedAt?: Date;
  userId: number;
}

export function checkPaymentInput(input: Omit<PaymentInput, 'userId' | 'amount'> & { amount?: number }, pathPrefix = ''): void {
  const f = new FieldChecks();
  if (input.amount !== undefined) f.int(input.amount, `${pathPrefix}amount`, 1, MAX_AMOUNT);
  if (!(PAYMENT_METHODS as readonly unknown[]).includes(input.method))
    f.fail(`${pathPrefix}method`, `one of ${PAYMENT_METHODS.join(', ')}`);
  f.text(input.reference, `${pathPrefix}reference`, 100, false);
  if (input.receivedAt !== undefined && !(input.receivedAt instanceof Date && !Number.isNaN(input.receivedAt.getTime()))) {
    f.fail(`${pathPrefix}receivedAt`, 'a date-time');
  }
  f.done('payment');
}

/** The posting of a payment, dated `entryDate` (the tenant-local day it was received): debit cash (cash) or bank (other methods), credit receivable. */
export function paymentEntry(
  invoice: Pick<Invoice, 'number'>,
  payment: Pick<Payment, 'id' | 'amount' | 'method' | 'receivedAt'>,
  accounts: SystemAccounts,
  userId: number,
  entryDate: string,
): PostingInput {
  return {
    entryDate,
    memo: `Payment for ${invoice.number} (${payment.method})`,
    sourceType: 'payment',
    sourceId: payment.id,
    postedBy: userId,
    lines: [
      { accountId: moneyAccount(accounts, payment.method), debit: payment.amount },
      { accountId: accounts.accountsReceivable, credit: payment.amount },
    ],
  };
}

/** Writes the payment row and its journal entry (debit cash/bank, credit receivable). */
export async function writePayment(
  models: TenantModels,
  invoice: Pick<Invoice, 'id' | 'number'>,
  input: PaymentInput,
  accounts: SystemAccounts,
  transaction: Transaction,
  options: { post: boolean },
): Promise<Payment> {
  const receivedAt = storedInstant(models.sequelize.getDialect(), input.receivedAt);
  const payment = await models.Payment.create(
    {
      invoiceId: invoice.id,
      amount: input.amount,
      method: input.method,
      reference: input.reference?.trim() || null,
      receivedAt,
      createdBy: input.userId,
    },
    { transaction },
  );
  if (options.post) {
    const entryDate = await tenantDateOf(models, new Date(payment.receivedAt), transaction);
    await postJournalEntry(models, paymentEntry(invoice, payment, accounts, input.userId, entryDate), transaction);
  }
  return payment;
}

export interface PaymentResult {
  payment: Payment;
  invoice: Invoice;
}

/**
 * Records a payment against an issued invoice, in one transaction. The amount is added with a
 * conditional UPDATE (`amount_paid + a <= total AND status = 'issued'`), so concurrent payments can
 * never overpay an invoice. 409 for drafts, void or fully paid invoices and for more than is owed.
 */
export async function recordPayment(
  models: TenantModels,
  invoiceId: number,
  input: PaymentInput,
  options: WriteOptions = {},
): Promise<PaymentResult> {
  checkPaymentInput(input);
  return writeTransaction(
    models.sequelize,
    async (transaction) => {
      // Locked: a void (or another payment) of this invoice waits for this one, then sees it.
      const invoice = await models.Invoice.findByPk(invoiceId, { transaction, lock: transaction.LOCK.UPDATE });
      if (!invoice) throw new NotFound('Invoice', invoiceId);
      const qi = (id: string) => models.sequelize.getQueryInterface().quoteIdentifier(id);
      const [affected] = await models.Invoice.update(
        { amountPaid: literal(`${qi('amount_paid')} + ${input.amount}`) },
        {
          where: {
            [Op.and]: [
              { id: invoiceId },
              { status: 'issued' },
              literal(`${qi('amount_paid')} + ${qi('amount_credited')} + ${input.amount} <= ${qi('total')}`),
            ],
          },
          transaction,
        },
      );
      if (affected === 0) {
        await invoice.reload({ transaction });
        if (invoice.status !== 'issued') {
          throw new Conflict(
            invoice.status === 'draft'
              ? `Invoice ${invoice.number} is a draft; issue it first`
              : `Invoice ${invoice.number} is ${invoice.status}`,
            { status: invoice.status },
          );
        }
        const outstanding = invoice.total - invoice.amountPaid - invoice.amountCredited;
        throw new Conflict(`The payment exceeds what is owed on ${invoice.number} (${outstanding} cents)`, {
          field: 'amount',
          outstanding,
        });
      }
      const accounts = await systemAccounts(models, transaction);
      const payment = await writePayment(models, invoice, input, accounts, transaction, { post: true });
      await models.Invoice.update(
        { status: 'paid' },
        {
          where: {
            [Op.and]: [
              { id: invoiceId },
              { status: 'issued' },
              literal(`${qi('amount_paid')} + ${qi('amount_credited')} = ${qi('total')}`),
            ],
          },
          transaction,
        },
      );
      await invoice.reload({ transaction });
      await withCreditedTotals(models, [invoice], transaction);
      return { payment, invoice };
    },
    options,
  );
}

export interface PaymentFilter extends PageOptions {
  invoiceId?: number;
  method?: PaymentMethod;
  /** `YYYY-MM-DD`, inclusive, on the date received (in the tenant's time zone). */
  from?: string;
  to?: string;
}

/** Payments, newest first. */
export async function listPayments(models: TenantModels, filter: PaymentFilter = {}): Promise<Page<Payment>> {
  const { limit, offset } = pageWindow(filter);
  const where: Record<string | symbol, unknown> = {};
  if (filter.invoiceId !== undefined) where.invoiceId = filter.invoiceId;
  if (filter.method !== undefined) where.method = filter.method;
  if (filter.from || filter.to) {
    const { timeZone } = await getSettings(models);
    const range: Record<symbol, Date> = {};
    if (filter.from) range[Op.gte] = startOfDayInTimeZone(timeZone, checkDate(filter.from, 'from'));
    if (filter.to) range[Op.lt] = startOfDayInTimeZone(timeZone, nextDay(checkDate(filter.to, 'to')));
    where.receivedAt = range;
  }
  const { rows, count } = await findPage(models.Payment, { where, order: [['id', 'DESC']], limit, offset });
  return { items: rows, total: count, limit, offset };
}
