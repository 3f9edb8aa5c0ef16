import { type FormEvent, useState } from 'react';
import {
  type Column,
  EmptyState,
  ErrorNotice,
  FormActions,
  ListFrame,
  Loading,
  moneyInput,
  parseMoney,
  queryString,
  Reveal,
  TextField,
  toCsv,
  type MinorUnits,
} from '@salesfleet/ui';
import type { Account, GeneralLedger, JournalEntry, Page } from '../api/types';
import { useApi, useApiWrite } from '../api/use-api';
import { DateRangeFilter } from '../components/list-filters';
import { Tabs } from '../components/tabs';
import { allPages } from '../lib/all-pages';
import { useSession } from '../lib/session-context';
import { useUrlState } from '../lib/url-state';

const TYPES: Account['type'][] = ['asset', 'liability', 'equity', 'income', 'expense'];

export function AccountsScreen() {
  const { can } = useSession();
  const [f, setF] = useUrlState(['tab', 'accountId'] as const);
  const tabs = (
    [
      { id: 'chart', label: 'Chart of accounts', shown: can('accounting.view_account') },
      { id: 'journal', label: 'Journal', shown: can('accounting.view_journal_entry') },
      { id: 'ledger', label: 'Ledger', shown: can('accounting.view_account') && can('accounting.view_reports') },
    ] as const
  ).filter((t) => t.shown);
  const tab = tabs.find((t) => t.id === f.tab)?.id ?? tabs[0]?.id;
  return (
    <section>
      <h1>Accounts</h1>
      <Tabs label="Accounts" tabs={tabs} current={tab} onChange={(id) => setF({ tab: id, accountId: '' })} />
      {tab === 'chart' ? (
        <Chart onLedger={tabs.some((t) => t.id === 'ledger') ? (id) => setF({ tab: 'ledger', accountId: String(id) }) : undefined} />
      ) : tab === 'journal' ? (
        <Journal />
      ) : (
        <Ledger />
      )}
    </section>
  );
}

function Chart({ onLedger }: { onLedger: ((accountId: number) => void) | undefined }) {
  const list = useApi<{ accounts: Account[] }>('/accounts');
  if (list.isPending) return <Loading label="Loading the chart of accounts…" />;
  if (list.isError) return <ErrorNotice error={list.error} title="Could not load the accounts" onRetry={() => void list.refetch()} />;
  return (
    <>
      {TYPES.map((type) => {
        const rows = list.data.accounts.filter((a) => a.type === type);
        if (rows.length === 0) return null;
        return (
          <article key={type}>
            <h2>{type[0]!.toUpperCase() + type.slice(1)}</h2>
            <table className="data-table">
              <tbody>
                {rows.map((a) => (
                  <tr key={a.id}>
                    <td className="nowrap">{a.code}</td>
                    <td>
                      {onLedger ? (
                        <button type="button" className="link" onClick={() => onLedger(a.id)} aria-label={`Ledger of ${a.code} ${a.name}`}>
                          {a.name}
                        </button>
                      ) : (
                        a.name
                      )}{' '}
                      {!a.isActive && <span className="badge badge-muted">inactive</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </article>
        );
      })}
    </>
  );
}

/** The journal's CSV: one row per line, with its entry's date, number, memo, source and reversal. */
export function journalCsv(entries: readonly JournalEntry[], currency: string): string {
  const amount = (m: number) => (m ? moneyInput(m, currency) : '');
  return toCsv(
    ['Date', 'Entry', 'Memo', 'Source', 'Source id', 'Reversed by', 'Account code', 'Account', 'Debit', 'Credit'],
    entries.flatMap((e) =>
      e.lines.map((l) => [
        e.entryDate,
        e.id,
        e.memo,
        e.sourceType,
        e.sourceId,
        e.reversedBy,
        l.accountCode,
        l.accountName,
        amount(l.debit),
        amount(l.credit),
      ]),
    ),
  );
}

/** A reversed entry says which entry reversed it; a reversal says which entry it reverses. */
function ReversalMark({ entry }: { entry: JournalEntry }) {
  if (entry.reversedBy !== null) return <span className="badge badge-bad">Reversed by #{entry.reversedBy}</span>;
  if (entry.sourceType === 'reversal') return <span className="badge badge-muted">Reversal of #{entry.sourceId}</span>;
  return null;
}

function Journal() {
  const { money, date, can, workspace } = useSession();
  const [reversing, setReversing] = useState<number | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [offset, setOffset] = useState(0);
  const path = (page: Record<string, unknown>) => `/journal-entries${queryString({ from, to, ...page })}`;
  const list = useApi<{ entries: JournalEntry[] } & Page>(path({ offset, limit: 20 }));
  return (
    <>
      {can('accounting.add_journal_entry') && <Reveal label="New journal entry">{(close) => <ManualEntryForm onDone={close} />}</Reveal>}
      <ListFrame
        query={list}
        rows={(d) => d.entries ?? []}
        columns={[]}
        rowKey={(e) => e.id}
        noun="journal entries"
        filtered={Boolean(from || to)}
        filters={<DateRangeFilter from={from} to={to} onChange={(c) => ('from' in c ? setFrom(c.from) : setTo(c.to))} />}
        empty={<p>Every sale, payment, expense and manual entry posts one.</p>}
        page={(d) => d}
        onOffsetChange={setOffset}
        csvName={`${workspace.slug}-journal${from ? `-${from}` : ''}${to ? `-${to}` : ''}.csv`}
        allRows={() => allPages<JournalEntry>(path, 'entries')}
        csv={(entries) => journalCsv(entries, workspace.currency)}
        renderRows={(entries) =>
          entries.map((e) => (
            <article key={e.id} className={`journal-entry${e.reversedBy !== null ? ' reversed' : ''}`} aria-label={`Entry #${e.id}`}>
              <header>
                <strong>{date(e.entryDate)}</strong> · {e.memo ?? e.sourceType ?? 'entry'} <span className="muted">#{e.id}</span>{' '}
                <ReversalMark entry={e} />{' '}
                {can('accounting.add_journal_entry') && e.sourceType === 'manual' && e.reversedBy === null && reversing !== e.id && (
                  <button type="button" className="secondary outline small" onClick={() => setReversing(e.id)}>
                    Reverse…
                  </button>
                )}
              </header>
              {reversing === e.id && <ReverseForm entry={e} onDone={() => setReversing(null)} />}
              <table className="data-table">
                <tbody>
                  {e.lines.map((l) => (
                    <tr key={l.id}>
                      <td>
                        {l.accountCode} {l.accountName}
                      </td>
                      <td className="num">{l.debit ? money(l.debit) : ''}</td>
                      <td className="num">{l.credit ? money(l.credit) : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </article>
          ))
        }
      />
    </>
  );
}

interface DraftLine {
  key: number;
  accountId: string;
  debit: string;
  credit: string;
}

/** The totals of a manual entry's lines in minor units, and why it cannot be posted yet (or null). */
export function entryBalance(lines: readonly { accountId: string; debit: number | null; credit: number | null }[]) {
  const debit = lines.reduce((t, l) => t + (l.debit ?? 0), 0);
  const credit = lines.reduce((t, l) => t + (l.credit ?? 0), 0);
  const used = lines.filter((l) => l.accountId && ((l.debit ?? 0) > 0 || (l.credit ?? 0) > 0));
  const problem = lines.some((l) => (l.debit ?? 0) > 0 && (l.credit ?? 0) > 0)
    ? 'A line has a debit or a credit, not both'
    : used.length < 2
      ? 'At least two lines with an account and an amount'
      : debit !== credit
        ? 'Debits must equal credits'
        : null;
  return { debit, credit, problem };
}

/** A manual journal entry: lines of an account and a debit or a credit, balanced before it is sent. */
function ManualEntryForm({ onDone }: { onDone: () => void }) {
  const { workspace, money } = useSession();
  const accounts = useApi<{ accounts: Account[] }>('/accounts?active=true');
  const [entryDate, setEntryDate] = useState(workspace.today);
  const [memo, setMemo] = useState('');
  const blank = (key: number): DraftLine => ({ key, accountId: '', debit: '', credit: '' });
  const [lines, setLines] = useState<DraftLine[]>([blank(1), blank(2)]);
  const save = useApiWrite<Record<string, unknown>>('POST', () => '/journal-entries', ['journal-entries', 'reports', 'dashboard']);
  const amount = (text: string) => (text.trim() ? parseMoney(text, workspace.currency) : 0);
  const parsed = lines.map((l) => ({ accountId: l.accountId, debit: amount(l.debit), credit: amount(l.credit) }));
  const unreadable = parsed.some((l) => l.debit === null || l.credit === null);
  const { debit, credit, problem } = entryBalance(parsed);
  const setLine = (key: number, change: Partial<DraftLine>) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...change } : l)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (problem || unreadable || !memo.trim()) return;
    save.mutate(
      {
        entryDate,
        memo: memo.trim(),
        lines: parsed
          .filter((l) => l.accountId && ((l.debit ?? 0) > 0 || (l.credit ?? 0) > 0))
          .map((l) =>
            (l.debit ?? 0) > 0 ? { accountId: Number(l.accountId), debit: l.debit } : { accountId: Number(l.accountId), credit: l.credit },
          ),
      },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit} aria-label="New journal entry">
      <h2>New journal entry</h2>
      <div className="filters">
        <TextField id="je-date" label="Date" type="date" value={entryDate} onValueChange={setEntryDate} />
        <TextField id="je-memo" label="Memo" value={memo} onValueChange={setMemo} maxLength={255} required />
      </div>
      {lines.map((l, i) => (
        <fieldset key={l.key} className="filters" aria-label={`Line ${i + 1}`}>
          <div className="field">
            <label htmlFor={`je-account-${l.key}`}>Account</label>
            <select id={`je-account-${l.key}`} value={l.accountId} onChange={(e) => setLine(l.key, { accountId: e.target.value })}>
              <option value="">Choose…</option>
              {accounts.data?.accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.code} {a.name}
                </option>
              ))}
            </select>
          </div>
          <TextField
            id={`je-debit-${l.key}`}
            label="Debit"
            inputMode="decimal"
            value={l.debit}
            onValueChange={(debit) => setLine(l.key, { debit })}
            error={parsed[i]?.debit === null ? 'Not an amount' : undefined}
          />
          <TextField
            id={`je-credit-${l.key}`}
            label="Credit"
            inputMode="decimal"
            value={l.credit}
            onValueChange={(credit) => setLine(l.key, { credit })}
            error={parsed[i]?.credit === null ? 'Not an amount' : undefined}
          />
        </fieldset>
      ))}
      <p>
        <button
          type="button"
          className="secondary outline small"
          onClick={() => setLines((ls) => [...ls, blank(Math.max(...ls.map((x) => x.key)) + 1)])}
        >
          Add line
        </button>{' '}
        Debits <strong>{money(debit)}</strong> · Credits <strong>{money(credit)}</strong>
      </p>
      {problem && <small className="field-error">{problem}</small>}
      {save.isError && <ErrorNotice error={save.error} title="Could not post the entry" />}
      <FormActions submit="Post entry" disabled={save.isPending || Boolean(problem) || unreadable || !memo.trim()} onCancel={onDone} />
    </form>
  );
}

/** Reverse an entry: the same lines with debits and credits swapped, on a day chosen (default today). */
function ReverseForm({ entry, onDone }: { entry: JournalEntry; onDone: () => void }) {
  const { workspace } = useSession();
  const [date, setDate] = useState(workspace.today);
  const reverse = useApiWrite<Record<string, unknown>>('POST', () => `/journal-entries/${entry.id}/reverse`, [
    'journal-entries',
    'reports',
    'dashboard',
  ]);
  return (
    <form
      aria-label={`Reverse entry ${entry.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        reverse.mutate({ date }, { onSuccess: onDone });
      }}
    >
      <div className="filters">
        <TextField id={`rev-date-${entry.id}`} label="Reversal date" type="date" value={date} onValueChange={setDate} />
      </div>
      {reverse.isError && <ErrorNotice error={reverse.error} title="Could not reverse the entry" />}
      <FormActions submit="Post reversal" disabled={reverse.isPending} onCancel={onDone} />
    </form>
  );
}

const LEDGER_LIMIT = 50;

/** One account's postings in date order with the running balance (the general ledger report). */
function Ledger() {
  const { money, date, workspace } = useSession();
  const [f, setF] = useUrlState(['accountId', 'from', 'to', 'offset'] as const);
  const accounts = useApi<{ accounts: Account[] }>('/accounts');
  const path = (q: Record<string, unknown>) =>
    `/reports/general-ledger${queryString({ accountId: f.accountId, from: f.from, to: f.to, ...q })}`;
  const ledger = useApi<{ report: GeneralLedger }>(path({ offset: f.offset, limit: LEDGER_LIMIT }), { enabled: Boolean(f.accountId) });
  const csv = (m: MinorUnits) => moneyInput(m, workspace.currency);
  type Line = GeneralLedger['lines'][number];
  const columns: Column<Line>[] = [
    { header: 'Date', cell: (l) => date(l.date), csv: (l) => l.date },
    { header: 'Entry', cell: (l) => `#${l.entryId}`, csv: (l) => l.entryId },
    { header: 'Memo', cell: (l) => l.memo ?? l.sourceType ?? '—', csv: (l) => l.memo ?? l.sourceType },
    { header: 'Debit', cell: (l) => (l.debit ? money(l.debit) : ''), csv: (l) => csv(l.debit), num: true },
    { header: 'Credit', cell: (l) => (l.credit ? money(l.credit) : ''), csv: (l) => csv(l.credit), num: true },
    { header: 'Balance', cell: (l) => money(l.balance), csv: (l) => csv(l.balance), num: true },
  ];
  const account = accounts.data?.accounts.find((a) => String(a.id) === f.accountId);
  const filters = (
    <>
      <label>
        Account
        <select value={f.accountId} onChange={(e) => setF({ accountId: e.target.value })}>
          <option value="">Choose…</option>
          {accounts.data?.accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.code} {a.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        From
        <input type="date" value={f.from} max={f.to || undefined} onChange={(e) => setF({ from: e.target.value })} />
      </label>
      <label>
        To
        <input type="date" value={f.to} min={f.from || undefined} onChange={(e) => setF({ to: e.target.value })} />
      </label>
    </>
  );
  if (!f.accountId)
    return (
      <>
        <div className="filters">{filters}</div>
        <EmptyState title="Choose an account">
          <p>Its postings appear in date order with the running balance.</p>
        </EmptyState>
      </>
    );
  return (
    <ListFrame
      query={ledger}
      rows={(d) => d.report.lines}
      columns={columns}
      rowKey={(l) => l.lineId}
      noun="postings"
      label={account ? `Ledger of ${account.code} ${account.name}` : 'Ledger'}
      filters={filters}
      filtered={Boolean(f.from || f.to)}
      empty={<p>Nothing was posted to this account.</p>}
      page={(d) => d.report}
      onOffsetChange={(o) => setF({ offset: String(o) }, false)}
      csvName={`${workspace.slug}-ledger-${account?.code ?? f.accountId}.csv`}
      allRows={() => allPages<Line>((q) => path(q), 'lines', 'report')}
    >
      {(d) => (
        <p>
          Opening balance <strong>{money(d.report.openingBalance)}</strong> · closing balance{' '}
          <strong>{money(d.report.closingBalance)}</strong> <span className="muted">(debit − credit)</span>
        </p>
      )}
    </ListFrame>
  );
}
