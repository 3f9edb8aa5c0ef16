import { useState } from 'react';
import { EmptyState, ErrorNotice, Loading, Pager, queryString } from '@salesfleet/ui';
import type { Account, JournalEntry, Page } from '../api/types';
import { useApi } from '../api/use-api';
import { useSession } from '../lib/session-context';

const TYPES: Account['type'][] = ['asset', 'liability', 'equity', 'income', 'expense'];

export function AccountsScreen() {
  const { can } = useSession();
  const [tab, setTab] = useState<'chart' | 'journal'>(can('accounting.view_account') ? 'chart' : 'journal');
  return (
    <section>
      <h1>Accounts</h1>
      <div className="actions" role="tablist">
        {can('accounting.view_account') && (
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'chart'}
            className={tab === 'chart' ? '' : 'secondary outline'}
            onClick={() => setTab('chart')}
          >
            Chart of accounts
          </button>
        )}
        {can('accounting.view_journal_entry') && (
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'journal'}
            className={tab === 'journal' ? '' : 'secondary outline'}
            onClick={() => setTab('journal')}
          >
            Journal
          </button>
        )}
      </div>
      {tab === 'chart' ? <Chart /> : <Journal />}
    </section>
  );
}

function Chart() {
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
                      {a.name} {!a.isActive && <span className="badge badge-muted">inactive</span>}
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

function Journal() {
  const { money, date } = useSession();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [offset, setOffset] = useState(0);
  const list = useApi<{ entries: JournalEntry[] } & Page>(`/journal-entries${queryString({ from, to, offset, limit: 20 })}`);
  return (
    <>
      <div className="filters">
        <label>
          From
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      {list.isPending ? (
        <Loading label="Loading the journal…" />
      ) : list.isError ? (
        <ErrorNotice error={list.error} title="Could not load the journal" onRetry={() => void list.refetch()} />
      ) : (list.data.entries ?? []).length === 0 ? (
        <EmptyState title="No journal entries in this period" />
      ) : (
        <>
          {list.data.entries.map((e) => (
            <article key={e.id} className="journal-entry">
              <header>
                <strong>{date(e.entryDate)}</strong> · {e.memo ?? e.sourceType ?? 'entry'} <span className="muted">#{e.id}</span>
              </header>
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
          ))}
          <Pager total={list.data.total} limit={20} offset={offset} onOffsetChange={setOffset} />
        </>
      )}
    </>
  );
}
