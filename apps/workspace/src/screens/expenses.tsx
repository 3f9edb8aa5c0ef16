import { useState, type FormEvent } from 'react';
import { type Column, ErrorNotice, isApiError, ListFrame, moneyInput, parseMoney, queryString, TextField } from '@salesfleet/ui';
import type { Account, Expense, Page } from '../api/types';
import { useApi, useApiWrite } from '../api/use-api';
import { DateRangeFilter } from '../components/list-filters';
import { allPages } from '../lib/all-pages';
import { useSession } from '../lib/session-context';
import { useUrlState } from '../lib/url-state';

const LIMIT = 25;

export function ExpensesScreen() {
  const { can, money, date, workspace } = useSession();
  const [f, setF] = useUrlState(['from', 'to', 'offset'] as const);
  const [adding, setAdding] = useState(false);
  const accounts = useApi<{ accounts: Account[] }>('/accounts', { enabled: can('accounting.view_account') });
  const path = (page: Record<string, unknown>) => `/expenses${queryString({ ...f, ...page })}`;
  const list = useApi<{ expenses: Expense[] } & Page>(path({ limit: LIMIT }));
  const accountName = (id: number) => {
    const a = accounts.data?.accounts.find((x) => x.id === id);
    return a ? `${a.code} ${a.name}` : `#${id}`;
  };
  const columns: Column<Expense>[] = [
    { header: 'Date', cell: (x) => date(x.expenseDate), csv: (x) => x.expenseDate },
    { header: 'Account', cell: (x) => accountName(x.accountId), csv: (x) => accountName(x.accountId) },
    { header: 'Vendor', cell: (x) => x.vendor ?? '—', csv: (x) => x.vendor },
    { header: 'Description', cell: (x) => x.description ?? '—', csv: (x) => x.description },
    { header: 'Amount', cell: (x) => money(x.amount), csv: (x) => moneyInput(x.amount, workspace.currency), num: true },
  ];
  return (
    <section>
      <div className="page-head">
        <h1>Expenses</h1>
        {can('accounting.add_expense') && !adding && (
          <button type="button" onClick={() => setAdding(true)}>
            Record expense
          </button>
        )}
      </div>
      {adding && <ExpenseForm accounts={accounts.data?.accounts ?? []} onDone={() => setAdding(false)} />}
      <ListFrame
        query={list}
        rows={(d) => d.expenses}
        columns={columns}
        rowKey={(x) => x.id}
        noun="expenses"
        label="Expenses"
        filtered={Boolean(f.from || f.to)}
        filters={<DateRangeFilter from={f.from} to={f.to} onChange={setF} />}
        empty={<p>Recorded expenses are posted to the books and appear here.</p>}
        page={(d) => d}
        onOffsetChange={(o) => setF({ offset: String(o) }, false)}
        csvName={`${workspace.slug}-expenses${f.from ? `-${f.from}` : ''}${f.to ? `-${f.to}` : ''}.csv`}
        allRows={() => allPages<Expense>(path, 'expenses')}
      />
    </section>
  );
}

function ExpenseForm({ accounts, onDone }: { accounts: Account[]; onDone: () => void }) {
  const { workspace } = useSession();
  const expenseAccounts = accounts.filter((a) => a.type === 'expense' && a.isActive);
  const payFrom = accounts.filter((a) => (a.type === 'asset' || a.type === 'liability') && a.isActive);
  const [v, setV] = useState({
    expenseDate: workspace.today,
    accountId: '',
    amount: '',
    vendor: '',
    description: '',
    paidFromAccountId: '',
  });
  const save = useApiWrite<Record<string, unknown>>('POST', () => '/expenses', ['expenses', 'reports', 'journal-entries']);
  const fields = isApiError(save.error) ? save.error.fieldErrors() : {};
  const amount = parseMoney(v.amount, workspace.currency);
  const set = (k: keyof typeof v) => (value: string) => setV((o) => ({ ...o, [k]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!amount || !v.accountId) return;
    save.mutate(
      {
        expenseDate: v.expenseDate,
        accountId: Number(v.accountId),
        amount,
        vendor: v.vendor.trim() || null,
        description: v.description.trim() || null,
        ...(v.paidFromAccountId ? { paidFromAccountId: Number(v.paidFromAccountId) } : {}),
      },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit} aria-label="New expense">
      <h2>Record an expense</h2>
      <div className="filters">
        <TextField
          id="e-date"
          label="Date"
          type="date"
          value={v.expenseDate}
          onValueChange={set('expenseDate')}
          error={fields.expenseDate}
        />
        <div className="field">
          <label htmlFor="e-account">Expense account</label>
          <select id="e-account" value={v.accountId} onChange={(e) => set('accountId')(e.target.value)} required>
            <option value="">Choose…</option>
            {expenseAccounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.code} {a.name}
              </option>
            ))}
          </select>
        </div>
        <TextField
          id="e-amount"
          label="Amount"
          inputMode="decimal"
          value={v.amount}
          onValueChange={set('amount')}
          error={v.amount && amount === null ? 'Not an amount' : fields.amount}
        />
        <div className="field">
          <label htmlFor="e-from">Paid from</label>
          <select id="e-from" value={v.paidFromAccountId} onChange={(e) => set('paidFromAccountId')(e.target.value)}>
            <option value="">Cash (default)</option>
            {payFrom.map((a) => (
              <option key={a.id} value={a.id}>
                {a.code} {a.name}
              </option>
            ))}
          </select>
        </div>
        <TextField id="e-vendor" label="Vendor" value={v.vendor} onValueChange={set('vendor')} optional maxLength={200} />
        <TextField id="e-desc" label="Description" value={v.description} onValueChange={set('description')} optional maxLength={5000} />
      </div>
      {save.isError && <ErrorNotice error={save.error} title="Could not record the expense" />}
      <div className="actions">
        <button type="submit" disabled={save.isPending || !amount || !v.accountId}>
          Record
        </button>
        <button type="button" className="secondary outline" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
