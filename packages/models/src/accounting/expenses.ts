import { Op } from 'sequelize';
import { NotFound, ValidationFailed } from '../errors';
import type { Expense, TenantModels } from '../model-types';
import { FieldChecks, MAX_AMOUNT, MAX_INT32 } from '../sales/fields';
import { postJournalEntry, systemAccounts } from './posting';
import { writeTransaction, type WriteOptions } from './transactions';
import { checkDate, findPage, pageWindow, type Page, type PageOptions } from './values';
import { tenantToday } from '../settings/settings';

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
      const [account, paidFrom, location] = await Promise.all([
        models.Account.findByPk(input.accountId, { transaction }),
        models.Account.findByPk(paidFromAccountId, { transaction }),
        input.locationId ? models.Location.findByPk(input.locationId, { attributes: ['id'], transaction }) : Promise.resolve(null),
      ]);
      const issues: { path: string; message: string }[] = [];
      if (!account) issues.push({ path: 'accountId', message: `no account ${input.accountId}` });
      else if (account.type !== 'expense') issues.push({ path: 'accountId', message: `account ${account.code} is not an expense account` });
      else if (!account.isActive) issues.push({ path: 'accountId', message: `account ${account.code} is inactive` });
      if (!paidFrom) issues.push({ path: 'paidFromAccountId', message: `no account ${paidFromAccountId}` });
      else if (paidFrom.type !== 'asset' && paidFrom.type !== 'liability') {
        issues.push({ path: 'paidFromAccountId', message: `account ${paidFrom.code} is not an asset or liability account` });
      } else if (!paidFrom.isActive) issues.push({ path: 'paidFromAccountId', message: `account ${paidFrom.code} is inactive` });
      if (input.locationId && !location) issues.push({ path: 'locationId', message: `no location ${input.locationId}` });
      if (issues.length) throw new ValidationFailed('Invalid expense', issues);

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
          memo: `Expense${vendor ? `: ${vendor}` : ''}${description ? ` — ${description}` : ''}`.slice(0, 255),
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
