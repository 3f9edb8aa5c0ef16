import { MAX_MANUAL_LINES } from '@salesfleet/contracts';
import { Op } from 'sequelize';
import type { TenantModels } from '../model-types';
import { FieldChecks, MAX_AMOUNT, MAX_INT32 } from '../sales/fields';
import { tenantToday } from '../settings/settings';
import { ACCOUNT_CODES } from './chart-of-accounts';
import { getJournalEntry, type JournalEntryView } from './journal';
import { assertBalanced, postJournalEntry, type PostingLine } from './posting';
import { writeTransaction, type WriteOptions } from './transactions';
import { Conflict, NotFound, ValidationFailed } from '@salesfleet/contracts';

/**
 * Manual journal entries: balanced, on active accounts, never on the control accounts whose balance
 * a sub-ledger owns (receivables = open invoices, payables = open bills, inventory = stock at cost).
 * An entry is never deleted or edited: it is reversed by a mirror entry (source `reversal`).
 */

/** Accounts only their documents post to; a manual line there would break a sub-ledger's reconciliation. */
export const CONTROL_ACCOUNT_CODES: readonly string[] = [
  ACCOUNT_CODES.accountsReceivable,
  ACCOUNT_CODES.accountsPayable,
  ACCOUNT_CODES.inventory,
];

export { MAX_MANUAL_LINES } from '@salesfleet/contracts';

export interface ManualEntryInput {
  /** `YYYY-MM-DD`; default today in the tenant's time zone; never in a closed period. */
  entryDate?: string;
  memo: string;
  lines: readonly PostingLine[];
  userId: number;
}

export async function createManualEntry(
  models: TenantModels,
  input: ManualEntryInput,
  options: WriteOptions = {},
): Promise<JournalEntryView> {
  const f = new FieldChecks();
  if (input.entryDate !== undefined) f.date(input.entryDate, 'entryDate');
  const memo = f.text(input.memo, 'memo', 255, true);
  if (!Array.isArray(input.lines) || input.lines.length < 2 || input.lines.length > MAX_MANUAL_LINES) {
    f.fail('lines', `2 to ${MAX_MANUAL_LINES} lines`);
  } else {
    input.lines.forEach((line, i) => {
      f.int(line.accountId, `lines.${i}.accountId`, 1, MAX_INT32);
      const sides = [line.debit, line.credit].filter((v) => v !== undefined && v !== 0);
      if (sides.length !== 1) f.fail(`lines.${i}`, 'exactly one of debit and credit, not zero');
      else f.int(sides[0], `lines.${i}.${line.debit ? 'debit' : 'credit'}`, 1, MAX_AMOUNT);
    });
  }
  f.done('journal entry');
  const lines = input.lines.map((l) => ({ accountId: l.accountId, ...(l.debit ? { debit: l.debit } : { credit: l.credit! }) }));
  assertBalanced(lines);

  const id = await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const ids = [...new Set(lines.map((l) => l.accountId))];
      const accounts = await models.Account.findAll({ where: { id: { [Op.in]: ids } }, transaction });
      const byId = new Map(accounts.map((a) => [a.id, a]));
      const issues: { path: string; message: string }[] = [];
      lines.forEach((l, i) => {
        const account = byId.get(l.accountId);
        if (!account) issues.push({ path: `lines.${i}.accountId`, message: `no account ${l.accountId}` });
        else if (!account.isActive) issues.push({ path: `lines.${i}.accountId`, message: `account ${account.code} is inactive` });
        else if (CONTROL_ACCOUNT_CODES.includes(account.code)) {
          issues.push({
            path: `lines.${i}.accountId`,
            message: `account ${account.code} is posted only by its documents (invoices, bills, stock)`,
          });
        }
      });
      if (issues.length) throw new ValidationFailed('Invalid journal entry', issues);
      const entry = await postJournalEntry(
        models,
        {
          entryDate: input.entryDate ?? (await tenantToday(models, transaction)),
          memo,
          sourceType: 'manual',
          postedBy: input.userId,
          lines,
        },
        transaction,
      );
      return entry!.id;
    },
    options,
  );
  return getJournalEntry(models, id, options.transaction);
}

export interface ReversalInput {
  /** `YYYY-MM-DD`, not before the entry's own date; default today in the tenant's time zone. */
  date?: string;
  memo?: string | null;
  userId: number;
}

/**
 * Reverses a manual entry with its mirror image (every debit becomes a credit), dated `date`. 409 for
 * entries posted by documents (void the invoice instead), reversals, and entries already reversed.
 */
export async function reverseJournalEntry(
  models: TenantModels,
  entryId: number,
  input: ReversalInput,
  options: WriteOptions = {},
): Promise<JournalEntryView> {
  const f = new FieldChecks();
  if (input.date !== undefined) f.date(input.date, 'date');
  const memo = f.text(input.memo, 'memo', 200, false) ?? null;
  f.done('reversal');
  const id = await writeTransaction(
    models.sequelize,
    async (transaction) => {
      // Locked, so two concurrent reversals of one entry cannot both find it unreversed.
      const entry = await models.JournalEntry.findByPk(entryId, { transaction, lock: transaction.LOCK.UPDATE });
      if (!entry) throw new NotFound('Journal entry', entryId);
      if (entry.sourceType !== 'manual') {
        throw new Conflict(
          `Journal entry ${entryId} was posted by its ${entry.sourceType ?? 'source'}; only manual entries are reversed here`,
          { reason: 'notManual' },
        );
      }
      const already = await models.JournalEntry.findOne({
        where: { sourceType: 'reversal', sourceId: entryId },
        attributes: ['id'],
        transaction,
      });
      if (already)
        throw new Conflict(`Journal entry ${entryId} is already reversed by entry ${already.id}`, {
          reason: 'alreadyReversed',
          reversalId: already.id,
        });
      const entryDate = String(entry.entryDate).slice(0, 10);
      const date = input.date ?? (await tenantToday(models, transaction));
      if (date < entryDate)
        throw new ValidationFailed('A reversal is not dated before its entry', [{ path: 'date', message: `on or after ${entryDate}` }]);
      const lines = await models.JournalLine.findAll({ where: { journalEntryId: entryId }, order: [['id', 'ASC']], transaction });
      const reversed = await postJournalEntry(
        models,
        {
          entryDate: date,
          memo: `Reversal of entry ${entryId}${memo ? `: ${memo}` : ''}`.slice(0, 255),
          sourceType: 'reversal',
          sourceId: entryId,
          postedBy: input.userId,
          lines: lines.map((l) => ({ accountId: l.accountId as number, debit: Number(l.credit), credit: Number(l.debit) })),
        },
        transaction,
      );
      return reversed!.id;
    },
    options,
  );
  return getJournalEntry(models, id, options.transaction);
}
