import { literal, Op, type Transaction } from 'sequelize';
import type { TenantModels } from '../model-types';
import type { JournalSourceType } from './journal-entry';
import { checkDate, dateOnly, findPage, pageWindow, toCents, type Page, type PageOptions } from './values';
import { NotFound } from '@salesfleet/contracts';

/** A journal entry with its lines (and each line's account code and name). */
export interface JournalEntryView {
  id: number;
  entryDate: string;
  memo: string | null;
  sourceType: JournalSourceType | null;
  sourceId: number | null;
  postedBy: number | null;
  createdAt: Date;
  /** Sum of the debits (= sum of the credits). */
  total: number;
  /** The entry that reversed this one (source `reversal`), if any. */
  reversedBy: number | null;
  lines: { id: number; accountId: number; accountCode: string; accountName: string; debit: number; credit: number }[];
}

export interface JournalFilter extends PageOptions {
  /** Entry date from/to (inclusive), `YYYY-MM-DD`. */
  from?: string;
  to?: string;
  sourceType?: JournalSourceType;
  sourceId?: number;
  /** Only entries with a line on this account. */
  accountId?: number;
}

async function withLines(
  models: TenantModels,
  entries: InstanceType<TenantModels['JournalEntry']>[],
  transaction?: Transaction,
): Promise<JournalEntryView[]> {
  if (entries.length === 0) return [];
  const lines = await models.JournalLine.findAll({
    ...(transaction ? { transaction } : {}),
    where: { journalEntryId: { [Op.in]: entries.map((e) => e.id) } },
    include: [{ model: models.Account, as: 'account', attributes: ['code', 'name'] }],
    order: [['id', 'ASC']],
  });
  // One query after the other: a transaction is one connection.
  const reversals = await models.JournalEntry.findAll({
    ...(transaction ? { transaction } : {}),
    where: { sourceType: 'reversal', sourceId: { [Op.in]: entries.map((e) => e.id) } },
    attributes: ['id', 'sourceId'],
    raw: true,
  });
  const reversedBy = new Map(reversals.map((r) => [r.sourceId as number, r.id]));
  const byEntry = new Map<number, JournalEntryView['lines']>(entries.map((e) => [e.id, []]));
  for (const l of lines) {
    byEntry.get(l.journalEntryId as number)?.push({
      id: l.id,
      accountId: l.accountId as number,
      accountCode: l.account?.code ?? '',
      accountName: l.account?.name ?? '',
      debit: toCents(l.debit),
      credit: toCents(l.credit),
    });
  }
  return entries.map((e) => {
    const entryLines = byEntry.get(e.id) ?? [];
    return {
      id: e.id,
      entryDate: dateOnly(e.entryDate),
      memo: e.memo ?? null,
      sourceType: e.sourceType ?? null,
      sourceId: e.sourceId ?? null,
      postedBy: (e.postedBy as number | null | undefined) ?? null,
      createdAt: e.createdAt,
      total: entryLines.reduce((sum, l) => sum + l.debit, 0),
      reversedBy: reversedBy.get(e.id) ?? null,
      lines: entryLines,
    };
  });
}

/** Journal entries with their lines, newest first. */
export async function listJournalEntries(models: TenantModels, filter: JournalFilter = {}): Promise<Page<JournalEntryView>> {
  const { limit, offset } = pageWindow(filter);
  const where: Record<string | symbol, unknown> = {};
  const range: Record<symbol, string> = {};
  if (filter.from) range[Op.gte] = checkDate(filter.from, 'from');
  if (filter.to) range[Op.lte] = checkDate(filter.to, 'to');
  if (filter.from || filter.to) where.entryDate = range;
  if (filter.sourceType) where.sourceType = filter.sourceType;
  if (filter.sourceId !== undefined) where.sourceId = filter.sourceId;
  if (filter.accountId !== undefined) {
    if (!Number.isSafeInteger(filter.accountId)) throw new TypeError('accountId must be an integer');
    where.id = { [Op.in]: literal(`(SELECT journal_entry_id FROM journal_lines WHERE account_id = ${filter.accountId})`) };
  }
  const { rows, count } = await findPage(models.JournalEntry, {
    where,
    order: [
      ['entryDate', 'DESC'],
      ['id', 'DESC'],
    ],
    limit,
    offset,
  });
  return { items: await withLines(models, rows), total: count, limit, offset };
}

export async function getJournalEntry(models: TenantModels, id: number, transaction?: Transaction): Promise<JournalEntryView> {
  const row = await models.JournalEntry.findByPk(id, transaction ? { transaction } : {});
  if (!row) throw new NotFound('Journal entry', id);
  return (await withLines(models, [row], transaction))[0]!;
}
