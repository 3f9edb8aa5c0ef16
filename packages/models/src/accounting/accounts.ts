import { ForeignKeyConstraintError, Op, type Transaction, type WhereOptions } from 'sequelize';
import type { Account, TenantModels } from '../model-types';
import { FieldChecks, rethrowAsDomainError } from '../sales/fields';
import { equalsIgnoringCase } from '../sales/search';
import { ACCOUNT_TYPES, type AccountType } from './account';
import { isSystemAccountCode } from './posting';
import { writeTransaction, type WriteOptions } from './transactions';
import { CODE_MESSAGE, CODE_PATTERN, Conflict, NotFound } from '@salesfleet/contracts';

/**
 * The chart of accounts. Codes are unique (ignoring case); an account with journal lines (or
 * expenses) cannot be deleted or change type — deactivate it instead. The system accounts that
 * automatic postings use (ACCOUNT_CODES) keep their code and type and stay active.
 */

export interface AccountInput {
  code: string;
  name: string;
  type: AccountType;
  isActive?: boolean;
}

export type AccountPatch = Partial<AccountInput>;

function checkAccount(input: AccountPatch, creating: boolean): AccountPatch {
  const f = new FieldChecks();
  const out: AccountPatch = {};
  if (creating || input.code !== undefined) {
    out.code = f.text(input.code, 'code', 20, true);
    if (out.code && !CODE_PATTERN.test(out.code)) f.fail('code', CODE_MESSAGE);
  }
  if (creating || input.name !== undefined) out.name = f.text(input.name, 'name', 150, true);
  if (creating || input.type !== undefined) {
    if (!(ACCOUNT_TYPES as readonly unknown[]).includes(input.type)) f.fail('type', `one of ${ACCOUNT_TYPES.join(', ')}`);
    out.type = input.type!;
  }
  if (input.isActive !== undefined) out.isActive = f.bool(input.isActive, 'isActive');
  f.done('account');
  return out;
}

function codeTaken(code: string | undefined): Conflict {
  return new Conflict(`An account with code "${code}" exists`, { field: 'code' });
}

async function assertCodeFree(models: TenantModels, code: string, exceptId?: number): Promise<void> {
  const where: WhereOptions[] = [equalsIgnoringCase(models, 'Account', 'code', code)];
  if (exceptId !== undefined) where.push({ id: { [Op.ne]: exceptId } });
  if ((await models.Account.count({ where: { [Op.and]: where } })) > 0) throw codeTaken(code);
}

export interface AccountFilter {
  type?: AccountType;
  active?: boolean;
}

/** Accounts by code. */
export async function listAccounts(models: TenantModels, filter: AccountFilter = {}): Promise<Account[]> {
  const where: Record<string, unknown> = {};
  if (filter.type) where.type = filter.type;
  if (filter.active !== undefined) where.isActive = filter.active;
  return models.Account.findAll({ where, order: [['code', 'ASC']] });
}

export async function getAccount(models: TenantModels, id: number): Promise<Account> {
  const row = await models.Account.findByPk(id);
  if (!row) throw new NotFound('Account', id);
  return row;
}

export async function createAccount(models: TenantModels, input: AccountInput): Promise<Account> {
  const values = checkAccount(input, true);
  await assertCodeFree(models, values.code!);
  return models.Account.create({ code: values.code!, name: values.name!, type: values.type!, isActive: values.isActive ?? true }).catch(
    (err: unknown) => rethrowAsDomainError(err, () => codeTaken(values.code)),
  );
}

/** What refers to an account: journal lines first, then expenses. */
async function accountUse(models: TenantModels, id: number, transaction?: Transaction): Promise<string | null> {
  const t = transaction ? { transaction } : {};
  if ((await models.JournalLine.count({ where: { accountId: id }, ...t })) > 0) return 'journal lines';
  const expenses = await models.Expense.count({ where: { [Op.or]: [{ accountId: id }, { paidFromAccountId: id }] }, ...t });
  return expenses > 0 ? 'expenses' : null;
}

export async function updateAccount(models: TenantModels, id: number, patch: AccountPatch): Promise<Account> {
  const values = checkAccount(patch, false);
  const row = await getAccount(models, id);
  const system = isSystemAccountCode(row.code);
  if (system && values.code !== undefined && values.code !== row.code) {
    throw new Conflict(`Account ${row.code} is used by automatic postings; its code cannot change`, { reason: 'systemAccount' });
  }
  if (system && values.isActive === false) {
    throw new Conflict(`Account ${row.code} is used by automatic postings; it cannot be deactivated`, { reason: 'systemAccount' });
  }
  if (values.type !== undefined && values.type !== row.type) {
    if (system)
      throw new Conflict(`Account ${row.code} is used by automatic postings; its type cannot change`, { reason: 'systemAccount' });
    const use = await accountUse(models, id);
    if (use) throw new Conflict(`Account ${row.code} has ${use}; its type cannot change`, { reason: 'inUse' });
  }
  if (values.code !== undefined && values.code !== row.code) await assertCodeFree(models, values.code, id);
  await row.update(values).catch((err: unknown) => rethrowAsDomainError(err, () => codeTaken(values.code)));
  return row;
}

/** Deletes an account nothing refers to; 409 with journal lines or expenses (deactivate instead) or for a system account. */
export async function deleteAccount(models: TenantModels, id: number, options: WriteOptions = {}): Promise<void> {
  await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const row = await models.Account.findByPk(id, { transaction });
      if (!row) throw new NotFound('Account', id);
      if (isSystemAccountCode(row.code)) {
        throw new Conflict(`Account ${row.code} is used by automatic postings and cannot be deleted`, { reason: 'systemAccount' });
      }
      const use = await accountUse(models, id, transaction);
      if (use) throw new Conflict(`Account ${row.code} has ${use}; deactivate it instead (isActive: false)`, { reason: 'inUse' });
      try {
        await row.destroy({ transaction });
      } catch (err) {
        if (err instanceof ForeignKeyConstraintError)
          throw new Conflict(`Account ${row.code} is in use; deactivate it instead`, { reason: 'inUse' });
        throw err;
      }
    },
    options,
  );
}
