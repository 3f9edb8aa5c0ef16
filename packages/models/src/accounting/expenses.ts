import { Op, type Transaction } from 'sequelize';
import type { Expense, TenantModels } from '../model-types';
import { FieldChecks, MAX_AMOUNT, MAX_INT32 } from '../sales/fields';
import { assertBalanced, postJournalEntry, systemAccounts } from './posting';
import { writeTransaction, type WriteOptions } from './transactions';
import { checkDate, findPage, pageWindow, type Page, type PageOptions } from './values';
import { assertPeriodOpen, tenantToday } from '../settings/settings';
import { Conflict, NotFound, ValidationFailed } from '@salesfleet/contracts';

/**
 * Expenses: each is recorded and posted in one transaction — debit the expense account, credit the
 * account it was paid from (cash by default; any asset or liability account, e.g. bank or payables).
 */

export interface ExpenseInput {
  /** `YYYY-MM-DD`; default today in the tenant's time zone. */
  expenseDate?: string;
  /** An active account of type `expense`. */
  accountId: number;
  /** Cents, > 0. */
  amount: number;
  vendor?: string | null;
  description?: string | null;
  locationId?: number | null;
  /** An active asset or liability account; default cash (1000). */
  paidFromAccountId?: number;
  userId: number;
}

export async function createExpense(models: TenantModels, input: ExpenseInput, options: WriteOptions = {}): Promise<Expense> {
  const f = new FieldChecks();
  if (input.expenseDate !== undefined) f.date(input.expenseDate, 'expenseDate');
  f.int(input.accountId, 'accountId', 1, MAX_INT32);
  f.int(input.amount, 'amount', 1, MAX_AMOUNT);
  const vendor = f.text(input.vendor, 'vendor', 200, false) ?? null;
  const description = f.text(input.description, 'description', 5000, false) ?? null;
  if (input.locationId !== undefined && input.locationId !== null) f.int(input.locationId, 'locationId', 1, MAX_INT32);
  if (input.paidFromAccountId !== undefined) f.int(input.paidFromAccountId, 'paidFromAccountId', 1, MAX_INT32);
  f.done('expense');

  const id = await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const expenseDate = input.expenseDate ?? (await tenantToday(models, transaction));
      const paidFromAccountId = input.paidFromAccountId ?? (await systemAccounts(models, transaction)).cash;
      await checkExpenseReferences(
        models,
        { accountId: input.accountId, paidFromAccountId, locationId: input.locationId ?? null },
        transaction,
      );

      const expense = await models.Expense.create(
        {
          expenseDate,
          accountId: input.accountId,
          amount: input.amount,
          vendor,
          description,
          locationId: input.locationId ?? null,
          paidFromAccountId,
          createdBy: input.userId,
        },
        { transaction },
      );
      const entry = await postJournalEntry(
        models,
        {
          entryDate: expenseDate,
          memo: expenseMemo(vendor, description),
          sourceType: 'expense',
          sourceId: expense.id,
          postedBy: input.userId,
          lines: [
            { accountId: input.accountId, debit: input.amount },
            { accountId: paidFromAccountId, credit: input.amount },
          ],
        },
        transaction,
      );
      await expense.update({ journalEntryId: entry!.id }, { transaction });
      return expense.id;
    },
    options,
  );
  return getExpense(models, id, options);
}

/** The expense account is an active expense account, the account paid from an active asset or liability, the location exists. */
async function checkExpenseReferences(
  models: TenantModels,
  refs: { accountId: number; paidFromAccountId: number; locationId: number | null },
  transaction: Transaction,
): Promise<void> {
  // One query at a time: statements on one transaction never run concurrently.
  const account = await models.Account.findByPk(refs.accountId, { transaction });
  const paidFrom = await models.Account.findByPk(refs.paidFromAccountId, { transaction });
  const location = refs.locationId ? await models.Location.findByPk(refs.locationId, { attributes: ['id'], transaction }) : null;
  const issues: { path: string; message: string }[] = [];
  if (!account) issues.push({ path: 'accountId', message: `no account ${refs.accountId}` });
  else if (account.type !== 'expense') issues.push({ path: 'accountId', message: `account ${account.code} is not an expense account` });
  else if (!account.isActive) issues.push({ path: 'accountId', message: `account ${account.code} is inactive` });
  if (!paidFrom) issues.push({ path: 'paidFromAccountId', message: `no account ${refs.paidFromAccountId}` });
  else if (paidFrom.type !== 'asset' && paidFrom.type !== 'liability') {
    issues.push({ path: 'paidFromAccountId', message: `account ${paidFrom.code} is not an asset or liability account` });
  } else if (!paidFrom.isActive) issues.push({ path: 'paidFromAccountId', message: `account ${paidFrom.code} is inactive` });
  if (refs.locationId && !location) issues.push({ path: 'locationId', message: `no location ${refs.locationId}` });
  if (issues.length) throw new ValidationFailed('Invalid expense', issues);
}

function expenseMemo(vendor: string | null, description: string | null): string {
  return `Expense${vendor ? `: ${vendor}` : ''}${description ? ` — ${description}` : ''}`.slice(0, 255);
}

export type ExpensePatch = Partial<Omit<ExpenseInput, 'userId'>>;

/**
 * Edits an expense and its posting in one transaction, while both its old and its new date are in an
 * open period (409 periodClosed otherwise: a closed period's books are changed by a new entry, never
 * by editing). The journal entry keeps its id; its date, memo and lines are rewritten.
 */
export async function updateExpense(models: TenantModels, id: number, patch: ExpensePatch, options: WriteOptions = {}): Promise<Expense> {
  const f = new FieldChecks();
  if (patch.expenseDate !== undefined) f.date(patch.expenseDate, 'expenseDate');
  if (patch.accountId !== undefined) f.int(patch.accountId, 'accountId', 1, MAX_INT32);
  if (patch.amount !== undefined) f.int(patch.amount, 'amount', 1, MAX_AMOUNT);
  const vendor = patch.vendor === undefined ? undefined : (f.text(patch.vendor, 'vendor', 200, false) ?? null);
  const description = patch.description === undefined ? undefined : (f.text(patch.description, 'description', 5000, false) ?? null);
  if (patch.locationId !== undefined && patch.locationId !== null) f.int(patch.locationId, 'locationId', 1, MAX_INT32);
  if (patch.paidFromAccountId !== undefined) f.int(patch.paidFromAccountId, 'paidFromAccountId', 1, MAX_INT32);
  f.done('expense');

  await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const expense = await models.Expense.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!expense) throw new NotFound('Expense', id);
      const before = String(expense.expenseDate).slice(0, 10);
      await assertPeriodOpen(models, before, transaction);
      const next = {
        expenseDate: patch.expenseDate ?? before,
        accountId: patch.accountId ?? (expense.accountId as number),
        amount: patch.amount ?? expense.amount,
        vendor: vendor === undefined ? (expense.vendor ?? null) : vendor,
        description: description === undefined ? (expense.description ?? null) : description,
        locationId: patch.locationId === undefined ? ((expense.locationId as number | null | undefined) ?? null) : patch.locationId,
        paidFromAccountId: patch.paidFromAccountId ?? (expense.paidFromAccountId as number),
      };
      await assertPeriodOpen(models, next.expenseDate, transaction);
      await checkExpenseReferences(models, next, transaction);
      await expense.update(next, { transaction });
      const lines = [
        { accountId: next.accountId, debit: next.amount },
        { accountId: next.paidFromAccountId, credit: next.amount },
      ];
      assertBalanced(lines);
      const entryId = expense.journalEntryId as number | null;
      if (entryId === null) throw new Conflict(`Expense ${id} has no journal entry to update`);
      await models.JournalEntry.update(
        { entryDate: next.expenseDate, memo: expenseMemo(next.vendor, next.description) },
        { where: { id: entryId }, transaction },
      );
      await models.JournalLine.destroy({ where: { journalEntryId: entryId }, transaction });
      await models.JournalLine.bulkCreate(
        lines.map((l) => ({ journalEntryId: entryId, accountId: l.accountId, debit: l.debit ?? 0, credit: l.credit ?? 0 })),
        { transaction },
      );
    },
    options,
  );
  return getExpense(models, id, options);
}

export async function getExpense(models: TenantModels, id: number, options: WriteOptions = {}): Promise<Expense> {
  const row = await models.Expense.findByPk(id, options.transaction ? { transaction: options.transaction } : {});
  if (!row) throw new NotFound('Expense', id);
  return row;
}

export interface ExpenseFilter extends PageOptions {
  /** Expense date from/to (inclusive), `YYYY-MM-DD`. */
  from?: string;
  to?: string;
  accountId?: number;
  locationId?: number;
}

/** Expenses, newest first. */
export async function listExpenses(models: TenantModels, filter: ExpenseFilter = {}): Promise<Page<Expense>> {
  const { limit, offset } = pageWindow(filter);
  const where: Record<string | symbol, unknown> = {};
  const range: Record<symbol, string> = {};
  if (filter.from) range[Op.gte] = checkDate(filter.from, 'from');
  if (filter.to) range[Op.lte] = checkDate(filter.to, 'to');
  if (filter.from || filter.to) where.expenseDate = range;
  if (filter.accountId !== undefined) where.accountId = filter.accountId;
  if (filter.locationId !== undefined) where.locationId = filter.locationId;
  const { rows, count } = await findPage(models.Expense, {
    where,
    order: [
      ['expenseDate', 'DESC'],
      ['id', 'DESC'],
    ],
    limit,
    offset,
  });
  return { items: rows, total: count, limit, offset };
}
