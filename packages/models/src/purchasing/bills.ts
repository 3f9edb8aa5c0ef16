import { literal, Op, type Transaction, type WhereOptions } from 'sequelize';
import { postJournalEntry, reversalLines, systemAccounts } from '../accounting/posting';
import { writeTransaction, type WriteOptions } from '../accounting/transactions';
import { findPage, type Page, type PageOptions, pageWindow } from '../accounting/values';
import { tenantToday } from '../settings/settings';
import { Conflict, NotFound, ValidationFailed } from '@salesfleet/contracts';
import type { SupplierBill, SupplierPayment, TenantModels } from '../model-types';
import { FieldChecks, type FieldIssue, MAX_AMOUNT, MAX_INT32 } from '../sales/fields';
import { nextDocumentNumber, numberTaken } from './numbering';
import { BILL_PREFIX } from './purchases';
import { billAmounts, billPostingLines, NO_TAX, purchaseTaxTerms, recordBillTaxes } from './purchase-tax';
import type { SupplierBillStatus } from './supplier-bill';

/**
 * Supplier bills and payments. A bill for goods comes from receiving them (purchases.ts); any other
 * bill (rent, repairs, a service) is entered here and posts debit its account (net) and Input tax
 * (its tax, when it names a rate) / credit Accounts payable (the total; purchase-tax.ts). A payment posts debit Accounts payable / credit the money account it was paid from, and is
 * refused beyond what is still owed — also when two payments race (a conditional update, as for
 * invoices). Accounts payable = Σ (total − amount paid) over all bills.
 */

export interface SupplierBillInput {
  supplierId: number;
  /** The expense (or asset) account the bill is for. */
  accountId: number;
  /** Cents: with tax when the rate is inclusive, before tax otherwise (or when there is no rate). */
  amount: number;
  /** The tax rate charged on the bill; none: no tax. */
  taxRateId?: number | null;
  billDate?: string;
  dueDate?: string | null;
  supplierReference?: string | null;
  description?: string | null;
  userId: number;
}

export async function createSupplierBill(
  models: TenantModels,
  input: SupplierBillInput,
  options: WriteOptions = {},
): Promise<SupplierBill> {
  const f = new FieldChecks();
  f.int(input.supplierId, 'supplierId', 1, MAX_INT32);
  f.int(input.accountId, 'accountId', 1, MAX_INT32);
  f.int(input.amount, 'amount', 1, MAX_AMOUNT);
  if (input.taxRateId !== undefined && input.taxRateId !== null) f.int(input.taxRateId, 'taxRateId', 1, MAX_INT32);
  if (input.billDate !== undefined) f.date(input.billDate, 'billDate');
  if (input.dueDate !== undefined && input.dueDate !== null) f.date(input.dueDate, 'dueDate');
  const supplierReference = f.text(input.supplierReference, 'supplierReference', 100, false) ?? null;
  const description = f.text(input.description, 'description', 255, false) ?? null;
  f.done('supplier bill');

  const id = await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const billDate = input.billDate ?? (await tenantToday(models, transaction));
      const issues: FieldIssue[] = [];
      const supplier = await models.Supplier.findByPk(input.supplierId, { attributes: ['id', 'name', 'isActive'], transaction });
      if (!supplier) issues.push({ path: 'supplierId', message: `no supplier ${input.supplierId}` });
      else if (!supplier.isActive) issues.push({ path: 'supplierId', message: `supplier ${input.supplierId} is inactive` });
      const account = await models.Account.findByPk(input.accountId, { transaction });
      const accounts = await systemAccounts(models, transaction);
      if (!account) issues.push({ path: 'accountId', message: `no account ${input.accountId}` });
      else if (!account.isActive) issues.push({ path: 'accountId', message: `account ${account.code} is inactive` });
      else if (account.type !== 'expense' && account.type !== 'asset')
        issues.push({ path: 'accountId', message: `account ${account.code} is not an expense or asset account` });
      else if (account.id === accounts.inventory)
        issues.push({ path: 'accountId', message: 'goods for stock are billed by receiving them against a purchase order' });
      else if (account.id === accounts.inputTax)
        issues.push({ path: 'accountId', message: 'input tax is charged by naming a tax rate (taxRateId)' });
      const terms = await purchaseTaxTerms(models, input.taxRateId, 'taxRateId', transaction);
      if ('path' in terms) issues.push(terms);
      const taxTerms = 'path' in terms ? NO_TAX : terms;
      const amounts = billAmounts(input.amount, taxTerms);
      if (amounts.gross > MAX_AMOUNT) issues.push({ path: 'amount', message: `a total with tax of at most ${MAX_AMOUNT} cents` });
      if (issues.length) throw new ValidationFailed('Invalid supplier bill', issues);
      const number = await nextDocumentNumber(models, 'SupplierBill', BILL_PREFIX, transaction);
      const bill = await models.SupplierBill.create(
        {
          number,
          supplierReference,
          supplierId: input.supplierId,
          accountId: input.accountId,
          billDate,
          dueDate: input.dueDate ?? null,
          total: amounts.gross,
          tax: amounts.tax,
          description,
          createdBy: input.userId,
        },
        { transaction },
      ).catch(numberTaken);
      await recordBillTaxes(models, bill.id, [{ taxRateBp: taxTerms.taxRateBp, amounts }], transaction);
      await postJournalEntry(
        models,
        {
          entryDate: billDate,
          memo: `Bill ${number} from ${supplier!.name}${description ? `: ${description}` : ''}`.slice(0, 255),
          sourceType: 'supplier_bill',
          sourceId: bill.id,
          postedBy: input.userId,
          lines: billPostingLines(accounts, input.accountId, [amounts]),
        },
        transaction,
      );
      return bill.id;
    },
    options,
  );
  return getSupplierBill(models, id, options.transaction);
}

export async function getSupplierBill(models: TenantModels, id: number, transaction?: Transaction): Promise<SupplierBill> {
  const bill = await models.SupplierBill.findByPk(id, {
    include: [{ model: models.SupplierPayment, as: 'payments' }],
    order: [[{ model: models.SupplierPayment, as: 'payments' }, 'id', 'ASC']],
    ...(transaction ? { transaction } : {}),
  });
  if (!bill) throw new NotFound('SupplierBill', id);
  return bill;
}

export interface SupplierBillFilter extends PageOptions {
  supplierId?: number;
  status?: SupplierBillStatus;
}

export async function listSupplierBills(models: TenantModels, filter: SupplierBillFilter = {}): Promise<Page<SupplierBill>> {
  const { limit, offset } = pageWindow(filter);
  const where: WhereOptions = {};
  if (filter.supplierId !== undefined) Object.assign(where, { supplierId: filter.supplierId });
  if (filter.status !== undefined) Object.assign(where, { status: filter.status });
  const { rows, count } = await findPage(models.unassociated('SupplierBill'), { where, order: [['id', 'DESC']], limit, offset });
  return { items: rows, total: count, limit, offset };
}

export interface SupplierPaymentInput {
  /** Cents, > 0 and at most what is still owed. */
  amount: number;
  /** Cash, bank or another asset account; default Bank. */
  paidFromAccountId?: number;
  /** `YYYY-MM-DD`; default today. */
  date?: string;
  reference?: string | null;
  userId: number;
}

/** Pays (part of) a bill; the bill is `paid` once its payments reach its total. */
export async function paySupplierBill(
  models: TenantModels,
  billId: number,
  input: SupplierPaymentInput,
  options: WriteOptions = {},
): Promise<{ bill: SupplierBill; payment: SupplierPayment }> {
  const f = new FieldChecks();
  f.int(input.amount, 'amount', 1, MAX_AMOUNT);
  if (input.paidFromAccountId !== undefined) f.int(input.paidFromAccountId, 'paidFromAccountId', 1, MAX_INT32);
  if (input.date !== undefined) f.date(input.date, 'date');
  const reference = f.text(input.reference, 'reference', 100, false) ?? null;
  f.done('supplier payment');

  const paymentId = await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const date = input.date ?? (await tenantToday(models, transaction));
      const bill = await models.SupplierBill.findByPk(billId, { attributes: ['id', 'number', 'total', 'amountPaid'], transaction });
      if (!bill) throw new NotFound('SupplierBill', billId);
      const accounts = await systemAccounts(models, transaction);
      const paidFrom = input.paidFromAccountId ?? accounts.bank;
      const account = await models.Account.findByPk(paidFrom, { attributes: ['id', 'code', 'type', 'isActive'], transaction });
      if (
        account?.type !== 'asset' ||
        !account.isActive ||
        account.id === accounts.inventory ||
        account.id === accounts.inputTax ||
        account.id === accounts.accountsReceivable
      ) {
        throw new ValidationFailed('Invalid supplier payment', [
          { path: 'paidFromAccountId', message: 'an active money account (cash, bank)' },
        ]);
      }
      // Conditional: never past the total, never on a void bill, whatever committed meanwhile.
      const column = models.sequelize.getQueryInterface().quoteIdentifier('amount_paid');
      const [affected] = await models.SupplierBill.update(
        { amountPaid: literal(`${column} + ${input.amount}`) as unknown as number },
        { where: { id: billId, status: { [Op.ne]: 'void' }, [Op.and]: [literal(`${column} + ${input.amount} <= total`)] }, transaction },
      );
      if (affected === 0) {
        const fresh = await models.SupplierBill.findByPk(billId, {
          attributes: ['total', 'amountPaid', 'status'],
          transaction,
          lock: transaction.LOCK.SHARE,
        });
        if (fresh!.status === 'void') throw new Conflict(`Bill ${bill.number} is void`, { status: 'void' });
        const owed = Number(fresh!.total) - Number(fresh!.amountPaid);
        throw new Conflict(`Bill ${bill.number} has ${owed} cents left to pay; cannot pay ${input.amount}`, { owed });
      }
      await models.SupplierBill.update(
        { status: 'paid' },
        { where: { id: billId, [Op.and]: [literal(`${column} >= total`)] }, transaction },
      );
      const payment = await models.SupplierPayment.create(
        {
          supplierBillId: billId,
          amount: input.amount,
          paidFromAccountId: paidFrom,
          paymentDate: date,
          reference,
          createdBy: input.userId,
        },
        { transaction },
      );
      await postJournalEntry(
        models,
        {
          entryDate: date,
          memo: `Payment of bill ${bill.number}`,
          sourceType: 'supplier_payment',
          sourceId: payment.id,
          postedBy: input.userId,
          lines: [
            { accountId: accounts.accountsPayable, debit: input.amount },
            { accountId: paidFrom, credit: input.amount },
          ],
        },
        transaction,
      );
      return payment.id;
    },
    options,
  );
  const payment = await models.SupplierPayment.findByPk(paymentId, options.transaction ? { transaction: options.transaction } : {});
  return { bill: await getSupplierBill(models, billId, options.transaction), payment: payment! };
}

export interface VoidSupplierBillInput {
  reason?: string | null;
  /** Posting date of the reversal, `YYYY-MM-DD`; default today. */
  date?: string;
  userId: number;
}

/**
 * Voids a bill entered by mistake: status `void` and one journal entry reversing its posting (dated
 * `date`, in an open period), so Accounts payable drops by its total. Refused (409) when it has
 * payments — money went out against it; the supplier owes it back, which a void cannot say — and for
 * the bill of a goods receipt, whose goods are in stock at that cost (reversing it would leave
 * Inventory below the stock it values). The bill is locked first, so a payment racing the void either
 * lands before it (and the void is refused) or finds the bill void.
 */
export async function voidSupplierBill(
  models: TenantModels,
  billId: number,
  input: VoidSupplierBillInput,
  options: WriteOptions = {},
): Promise<SupplierBill> {
  const f = new FieldChecks();
  const reason = f.text(input.reason, 'reason', 200, false) ?? null;
  if (input.date !== undefined) f.date(input.date, 'date');
  f.done('void');
  await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const bill = await models.SupplierBill.findByPk(billId, { transaction, lock: transaction.LOCK.UPDATE });
      if (!bill) throw new NotFound('SupplierBill', billId);
      if (bill.status === 'void') throw new Conflict(`Bill ${bill.number} is already void`, { status: 'void' });
      if (bill.purchaseOrderId !== null && bill.purchaseOrderId !== undefined)
        throw new Conflict(`Bill ${bill.number} is for goods received into stock; it is not voided`, { reason: 'goodsReceived' });
      if (Number(bill.amountPaid) > 0)
        throw new Conflict(`Bill ${bill.number} has payments (${Number(bill.amountPaid)} cents); it cannot be voided`, {
          reason: 'paid',
          amountPaid: Number(bill.amountPaid),
        });
      const date = input.date ?? (await tenantToday(models, transaction));
      const billDate = String(bill.billDate).slice(0, 10);
      if (date < billDate)
        throw new ValidationFailed('A void is not dated before its bill', [{ path: 'date', message: `on or after ${billDate}` }]);
      const entries = await models.JournalEntry.findAll({
        where: { sourceType: 'supplier_bill', sourceId: billId },
        attributes: ['id'],
        raw: true,
        transaction,
      });
      const posted = entries.length
        ? await models.JournalLine.findAll({
            where: { journalEntryId: { [Op.in]: entries.map((e) => e.id) } },
            attributes: ['accountId', 'debit', 'credit'],
            raw: true,
            transaction,
          })
        : [];
      await models.SupplierBill.update({ status: 'void' }, { where: { id: billId }, transaction });
      await postJournalEntry(
        models,
        {
          entryDate: date,
          memo: `Void of bill ${bill.number}${reason ? `: ${reason}` : ''}`.slice(0, 255),
          sourceType: 'supplier_bill_void',
          sourceId: billId,
          postedBy: input.userId,
          lines: reversalLines(posted.map((l) => ({ accountId: l.accountId as number, debit: Number(l.debit), credit: Number(l.credit) }))),
        },
        transaction,
      );
    },
    options,
  );
  return getSupplierBill(models, billId, options.transaction);
}
