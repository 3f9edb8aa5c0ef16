import { Op, type Transaction } from 'sequelize';
import type { JournalEntry, TenantModels } from '../model-types';
import { rawSelectParts } from '../raw-select';
import { ACCOUNT_CODES, type AccountCodeKey } from './chart-of-accounts';
import type { JournalSourceType } from './journal-entry';
import { assertPeriodOpen } from '../settings/settings';
import { Conflict, ValidationFailed } from '@salesfleet/contracts';

/** One side of a posting, in integer cents: give exactly one of debit and credit. */
export interface PostingLine {
  accountId: number;
  debit?: number;
  credit?: number;
}

export interface PostingInput {
  /** `YYYY-MM-DD`. */
  entryDate: string;
  memo?: string | null;
  sourceType?: JournalSourceType | null;
  sourceId?: number | null;
  postedBy?: number | null;
  lines: readonly PostingLine[];
}

/** Thrown when a posting would not balance: a programming error in the caller, never stored. */
export class UnbalancedEntry extends ValidationFailed {
  constructor(debits: bigint, credits: bigint) {
    super(`The journal entry does not balance: debits ${debits} ≠ credits ${credits}`);
  }
}

function cents(value: number | undefined, path: string): bigint {
  const v = value ?? 0;
  if (!Number.isSafeInteger(v) || v < 0)
    throw new ValidationFailed('Journal amounts are non-negative integer cents', [{ path, message: 'a non-negative integer' }]);
  return BigInt(v);
}

/**
 * Checks a posting: every line has exactly one non-zero side, there are at least two lines, and the
 * debits equal the credits (summed exactly, in BigInt). Returns the total.
 */
export function assertBalanced(lines: readonly PostingLine[]): bigint {
  let debits = 0n;
  let credits = 0n;
  for (const [i, line] of lines.entries()) {
    const d = cents(line.debit, `lines.${i}.debit`);
    const c = cents(line.credit, `lines.${i}.credit`);
    if ((d === 0n) === (c === 0n)) {
      throw new ValidationFailed('A journal line has exactly one non-zero side', [
        { path: `lines.${i}`, message: 'give a debit or a credit' },
      ]);
    }
    debits += d;
    credits += c;
  }
  if (lines.length < 2) throw new ValidationFailed('A journal entry needs at least two lines');
  if (debits !== credits) throw new UnbalancedEntry(debits, credits);
  return debits;
}

/** Lines with both sides zero are dropped; a line with a negative amount moves to the other side. */
function normalise(lines: readonly PostingLine[]): PostingLine[] {
  const out: PostingLine[] = [];
  for (const line of lines) {
    const net = (line.debit ?? 0) - (line.credit ?? 0);
    if (line.debit !== undefined && line.credit !== undefined && line.debit !== 0 && line.credit !== 0) {
      throw new ValidationFailed('A journal line has exactly one non-zero side');
    }
    if (net > 0) out.push({ accountId: line.accountId, debit: net });
    else if (net < 0) out.push({ accountId: line.accountId, credit: -net });
  }
  return out;
}

/**
 * The lines postJournalEntry writes for `input` (zero lines dropped, balanced, dated after the closed
 * period), or null when nothing is left to post; for a writer that sends the INSERTs itself.
 */
export async function checkedPosting(models: TenantModels, input: PostingInput, transaction: Transaction): Promise<PostingLine[] | null> {
  const lines = normalise(input.lines);
  if (lines.length === 0) return null;
  assertBalanced(lines);
  await assertPeriodOpen(models, input.entryDate, transaction);
  return lines;
}

/**
 * Writes a balanced journal entry and its lines inside `transaction`. Zero lines are dropped; when
 * nothing is left (a free sale at no cost) no entry is written and null is returned. Asserts that
 * debits equal credits before anything is written, so an unbalanced entry can never be committed,
 * and that the entry's date is after the closed period (every posting path comes through here or
 * postJournalEntries, so none can post into closed books).
 */
export async function postJournalEntry(models: TenantModels, input: PostingInput, transaction: Transaction): Promise<JournalEntry | null> {
  const lines = await checkedPosting(models, input, transaction);
  if (lines === null) return null;
  const entry = await models.JournalEntry.create(
    {
      entryDate: input.entryDate,
      memo: input.memo ?? null,
      sourceType: input.sourceType ?? null,
      sourceId: input.sourceId ?? null,
      postedBy: input.postedBy ?? null,
    },
    { transaction },
  );
  await models.JournalLine.bulkCreate(
    lines.map((l) => ({ journalEntryId: entry.id, accountId: l.accountId, debit: l.debit ?? 0, credit: l.credit ?? 0 })),
    { transaction },
  );
  return entry;
}

/**
 * Writes several balanced entries with two statements (entries, then all their lines), each asserted
 * like postJournalEntry; entries left without lines are skipped.
 */
export async function postJournalEntries(
  models: TenantModels,
  inputs: readonly PostingInput[],
  transaction: Transaction,
): Promise<JournalEntry[]> {
  const postings = inputs.map((input) => ({ input, lines: normalise(input.lines) })).filter((p) => p.lines.length > 0);
  for (const p of postings) assertBalanced(p.lines);
  if (postings.length === 0) return [];
  for (const date of new Set(postings.map((p) => p.input.entryDate))) await assertPeriodOpen(models, date, transaction);
  const entries = await models.JournalEntry.bulkCreate(
    postings.map(({ input }) => ({
      entryDate: input.entryDate,
      memo: input.memo ?? null,
      sourceType: input.sourceType ?? null,
      sourceId: input.sourceId ?? null,
      postedBy: input.postedBy ?? null,
    })),
    { transaction },
  );
  if (entries.some((e) => !Number.isSafeInteger(e.id))) throw new Error("The database did not return the new journal entries' ids");
  await models.JournalLine.bulkCreate(
    postings.flatMap(({ lines }, i) =>
      lines.map((l) => ({ journalEntryId: entries[i]!.id, accountId: l.accountId, debit: l.debit ?? 0, credit: l.credit ?? 0 })),
    ),
    { transaction },
  );
  return entries;
}

/**
 * The lines that undo the given entries' lines: per account, the net of all their debits and credits
 * on the other side. Posting them brings every touched account back to where it was.
 */
export function reversalLines(lines: readonly { accountId: number; debit: number; credit: number }[]): PostingLine[] {
  const net = new Map<number, bigint>();
  for (const l of lines) net.set(l.accountId, (net.get(l.accountId) ?? 0n) + BigInt(l.debit) - BigInt(l.credit));
  const out: PostingLine[] = [];
  for (const [accountId, amount] of [...net.entries()].sort((a, b) => a[0] - b[0])) {
    if (amount > 0n) out.push({ accountId, credit: Number(amount) });
    else if (amount < 0n) out.push({ accountId, debit: Number(-amount) });
  }
  return out;
}

/** Ids of the chart's system accounts (those automatic postings use), by key. */
export type SystemAccounts = Record<AccountCodeKey, number>;

const SYSTEM_CODES = new Set<string>(Object.values(ACCOUNT_CODES));

/** Whether automatic postings rely on this account code (it cannot be deleted, recoded or retyped). */
export function isSystemAccountCode(code: string): boolean {
  return SYSTEM_CODES.has(code);
}

// Within one transaction the chart does not change under us: read it once per transaction.
const accountsByTransaction = new WeakMap<Transaction, SystemAccounts>();

/** Looks up the system accounts by code; a tenant missing one cannot post (409, naming the code). */
export async function systemAccounts(models: TenantModels, transaction?: Transaction): Promise<SystemAccounts> {
  const cached = transaction && accountsByTransaction.get(transaction);
  if (cached) return cached;
  const rows = await models.Account.findAll({
    where: { code: { [Op.in]: [...SYSTEM_CODES] } },
    attributes: ['id', 'code'],
    raw: true,
    ...(transaction ? { transaction } : {}),
  });
  const byCode = new Map(rows.map((r) => [r.code, r.id]));
  return accountsOf((key) => byCode.get(ACCOUNT_CODES[key]), transaction);
}

function accountsOf(idOf: (key: AccountCodeKey) => unknown, transaction: Transaction | undefined): SystemAccounts {
  const out = {} as SystemAccounts;
  for (const [key, code] of Object.entries(ACCOUNT_CODES) as [AccountCodeKey, string][]) {
    const id = idOf(key);
    if (id === undefined || id === null)
      throw new Conflict(`The chart of accounts has no account ${code}; postings need it`, { accountCode: code });
    out[key] = Number(id);
  }
  if (transaction) accountsByTransaction.set(transaction, out);
  return out;
}

/**
 * The system accounts' ids as scalar subqueries (`(SELECT id FROM accounts WHERE code = '1000')`), by
 * key, for a statement that reads them along with other things (a sale's first read).
 */
export function systemAccountColumns(models: TenantModels): Record<AccountCodeKey, string> {
  const s = rawSelectParts(models.unassociated('Account'));
  const out = {} as Record<AccountCodeKey, string>;
  for (const [key, code] of Object.entries(ACCOUNT_CODES) as [AccountCodeKey, string][])
    out[key] = `(SELECT ${s.col('id')} FROM ${s.from} WHERE ${s.col('code')} = ${s.escape(code)})`;
  return out;
}

/** The accounts read by systemAccountColumns, checked as systemAccounts checks them and remembered for the transaction. */
export function systemAccountsRead(values: Record<AccountCodeKey, unknown>, transaction: Transaction): SystemAccounts {
  return accountsOf((key) => values[key], transaction);
}
