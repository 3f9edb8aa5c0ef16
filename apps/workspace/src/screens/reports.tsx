import { lazy, Suspense } from 'react';
import type { ReportAmount } from '@salesfleet/contracts';
import {
  DataTable,
  downloadCsv,
  EmptyState,
  ErrorNotice,
  Loading,
  minorUnits,
  type MinorUnits,
  Notice,
  queryString,
  toCsv,
} from '@salesfleet/ui';
import { useApi } from '../api/use-api';
import {
  ageingRows,
  type BalanceSheet,
  presetRange,
  type ReceivablesAgeing,
  REPORTS,
  reportCsv,
  reportQuery,
  type ProfitAndLoss,
  type ReportKind,
  type SalesByDay,
  type SalesByLocation,
  type TaxReport,
  type TrialBalance,
} from '../lib/reports';
import { useSession } from '../lib/session-context';
import { useUrlState } from '../lib/url-state';

const SalesChart = lazy(() => import('../components/sales-chart'));

export function ReportsScreen() {
  const { workspace, money, date } = useSession();
  const initial = presetRange('month', workspace.today);
  const [f, setF] = useUrlState(['report', 'from', 'to'] as const);
  const kind = (REPORTS.some((r) => r.kind === f.report) ? f.report : 'sales-by-day') as ReportKind;
  const from = f.from || initial.from;
  const to = f.to || initial.to;
  const report = useApi<{ report: unknown }>(`/reports/${kind}${queryString(reportQuery(kind, from, to))}`, { keepPrevious: false });
  const data = report.data?.report;
  const title = REPORTS.find((r) => r.kind === kind)!.title;
  const exportCsv = () => {
    if (!data) return;
    const { header, rows } = reportCsv(kind, data, minorUnits(workspace.currency));
    downloadCsv(`${workspace.slug}-${kind}-${from}-${to}.csv`, toCsv(header, rows));
  };
  return (
    <section>
      <h1>Reports</h1>
      <div className="actions" role="tablist" aria-label="Reports">
        {REPORTS.map((r) => (
          <button
            key={r.kind}
            type="button"
            role="tab"
            aria-selected={r.kind === kind}
            className={r.kind === kind ? '' : 'secondary outline'}
            onClick={() => setF({ report: r.kind })}
          >
            {r.title}
          </button>
        ))}
      </div>
      <div className="filters">
        <label>
          From
          <input type="date" value={from} max={to} onChange={(e) => setF({ from: e.target.value })} />
        </label>
        <label>
          To
          <input type="date" value={to} min={from} onChange={(e) => setF({ to: e.target.value })} />
        </label>
        <label>
          Period
          <select value="" onChange={(e) => e.target.value && setF(presetRange(e.target.value as 'month', workspace.today))}>
            <option value="">Choose…</option>
            <option value="today">Today</option>
            <option value="month">This month</option>
            <option value="last-month">Last month</option>
            <option value="30-days">Last 30 days</option>
            <option value="year">This year</option>
          </select>
        </label>
        <button type="button" className="secondary" onClick={exportCsv} disabled={!data}>
          Export CSV
        </button>
      </div>
      <h2>
        {title}{' '}
        <small className="muted">{REPORTS.find((r) => r.kind === kind)?.asOf ? `as of ${date(to)}` : `${date(from)} – ${date(to)}`}</small>
      </h2>
      {report.isPending ? (
        <Loading label="Running the report…" />
      ) : report.isError ? (
        <ErrorNotice error={report.error} title="Could not run the report" onRetry={() => void report.refetch()} />
      ) : kind === 'sales-by-day' ? (
        <SalesByDayView r={data as SalesByDay} money={money} date={date} />
      ) : kind === 'sales-by-location' ? (
        <SalesByLocationView r={data as SalesByLocation} money={money} />
      ) : kind === 'profit-and-loss' ? (
        <ProfitAndLossView r={data as ProfitAndLoss} money={money} />
      ) : kind === 'balance-sheet' ? (
        <BalanceSheetView r={data as BalanceSheet} money={money} />
      ) : kind === 'receivables-ageing' || kind === 'payables-ageing' ? (
        <AgeingView kind={kind} data={data} money={money} />
      ) : kind === 'tax' ? (
        <TaxView r={data as TaxReport} money={money} />
      ) : (
        <TrialBalanceView r={data as TrialBalance} money={money} />
      )}
    </section>
  );
}

type Money = (minor: MinorUnits) => string;

function SalesByDayView({ r, money, date }: { r: SalesByDay; money: Money; date: (d: string) => string }) {
  if (r.days.length === 0) return <EmptyState title="No sales in this period" />;
  return (
    <>
      <Suspense fallback={<Loading label="Drawing the chart…" />}>
        <SalesChart days={r.days} money={money} />
      </Suspense>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th>Day</th>
              <th className="num">Invoices</th>
              <th className="num wide-only">Subtotal</th>
              <th className="num wide-only">Tax</th>
              <th className="num">Total</th>
            </tr>
          </thead>
          <tbody>
            {r.days.map((d) => (
              <tr key={d.date}>
                <td className="nowrap">{date(d.date)}</td>
                <td className="num">{d.invoices}</td>
                <td className="num wide-only">{money(d.subtotal)}</td>
                <td className="num wide-only">{money(d.tax)}</td>
                <td className="num">{money(d.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function SalesByLocationView({ r, money }: { r: SalesByLocation; money: Money }) {
  if (r.locations.length === 0) return <EmptyState title="No sales in this period" />;
  return (
    <div className="table-scroll">
      <table className="data-table" aria-label="Sales by location">
        <thead>
          <tr>
            <th>Location</th>
            <th className="num">Invoices</th>
            <th className="num">Subtotal</th>
            <th className="num">Tax</th>
            <th className="num">Total</th>
          </tr>
        </thead>
        <tbody>
          {r.locations.map((l) => (
            <tr key={l.locationId}>
              <td>{l.name}</td>
              <td className="num">{l.invoices}</td>
              <td className="num">{money(l.subtotal)}</td>
              <td className="num">{money(l.tax)}</td>
              <td className="num">{money(l.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ProfitAndLossView({ r, money }: { r: ProfitAndLoss; money: Money }) {
  const section = (title: string, rows: ProfitAndLoss['income'], total: ReportAmount) => (
    <>
      <tr>
        <th colSpan={2}>{title}</th>
      </tr>
      {rows.map((x) => (
        <tr key={x.code}>
          <td>
            {x.code} {x.name}
          </td>
          <td className="num">{money(x.amount)}</td>
        </tr>
      ))}
      <tr>
        <td>
          <strong>Total {title.toLowerCase()}</strong>
        </td>
        <td className="num">
          <strong>{money(total)}</strong>
        </td>
      </tr>
    </>
  );
  return (
    <table className="data-table">
      <tbody>
        {section('Income', r.income, r.totals.income)}
        {section('Expenses', r.expenses, r.totals.expenses)}
        <tr>
          <th>Net profit</th>
          <td className="num">
            <strong>{money(r.totals.netProfit)}</strong>
          </td>
        </tr>
      </tbody>
    </table>
  );
}

function TrialBalanceView({ r, money }: { r: TrialBalance; money: Money }) {
  return (
    <>
      {!r.balanced && (
        <Notice kind="warning">The trial balance does not balance. Tell your accountant and the Salesfleet operators.</Notice>
      )}
      <table className="data-table">
        <thead>
          <tr>
            <th>Account</th>
            <th className="num">Debit</th>
            <th className="num">Credit</th>
          </tr>
        </thead>
        <tbody>
          {r.accounts.map((a) => (
            <tr key={a.code}>
              <td>
                {a.code} {a.name}
              </td>
              <td className="num">{a.debit ? money(a.debit) : ''}</td>
              <td className="num">{a.credit ? money(a.credit) : ''}</td>
            </tr>
          ))}
          <tr>
            <th>Total</th>
            <td className="num">
              <strong>{money(r.totals.debit)}</strong>
            </td>
            <td className="num">
              <strong>{money(r.totals.credit)}</strong>
            </td>
          </tr>
        </tbody>
      </table>
    </>
  );
}

function BalanceSheetView({ r, money }: { r: BalanceSheet; money: Money }) {
  const section = (title: string, rows: BalanceSheet['assets'], extra: [string, ReportAmount][], total: ReportAmount) => (
    <>
      <tr>
        <th colSpan={2}>{title}</th>
      </tr>
      {rows.map((x) => (
        <tr key={x.code}>
          <td>
            {x.code} {x.name}
          </td>
          <td className="num">{money(x.balance)}</td>
        </tr>
      ))}
      {extra.map(([label, amount]) => (
        <tr key={label}>
          <td>{label}</td>
          <td className="num">{money(amount)}</td>
        </tr>
      ))}
      <tr>
        <td>
          <strong>Total {title.toLowerCase()}</strong>
        </td>
        <td className="num">
          <strong>{money(total)}</strong>
        </td>
      </tr>
    </>
  );
  return (
    <>
      {!r.balanced && (
        <Notice kind="warning">Assets do not equal liabilities and equity. Tell your accountant and the Salesfleet operators.</Notice>
      )}
      <table className="data-table">
        <tbody>
          {section('Assets', r.assets, [], r.totals.assets)}
          {section('Liabilities', r.liabilities, [], r.totals.liabilities)}
          {section(
            'Equity',
            r.equity,
            [
              ['Retained earnings', r.retainedEarnings],
              ['Current year earnings', r.currentYearEarnings],
            ],
            r.totals.equity,
          )}
          <tr>
            <th>Liabilities and equity</th>
            <td className="num">
              <strong>{money(r.totals.liabilitiesAndEquity)}</strong>
            </td>
          </tr>
        </tbody>
      </table>
    </>
  );
}

function AgeingView({ kind, data, money }: { kind: 'receivables-ageing' | 'payables-ageing'; data: unknown; money: Money }) {
  const rows = ageingRows(kind, data);
  const payables = kind === 'payables-ageing';
  if (rows.length === 0) return <EmptyState title={payables ? 'Nothing is owed to a supplier' : 'No customer owes anything'} />;
  const totals = (data as ReceivablesAgeing).totals;
  const buckets = Object.keys(totals);
  return (
    <DataTable
      label={payables ? 'Payables ageing' : 'Receivables ageing'}
      rows={rows}
      rowKey={(r) => r.key}
      columns={[
        { header: payables ? 'Supplier' : 'Customer', cell: (r) => r.name },
        { header: payables ? 'Bills' : 'Invoices', cell: (r) => r.count, num: true },
        ...buckets.map((b) => ({
          header: b === 'total' ? 'Total' : `${b} days`,
          cell: (r: (typeof rows)[number]) => money(r.amounts[b] ?? 0),
          num: true,
        })),
      ]}
      footer={
        <tr>
          <th>Total</th>
          <td />
          {buckets.map((b) => (
            <td key={b} className="num">
              <strong>{money(totals[b] ?? 0)}</strong>
            </td>
          ))}
        </tr>
      }
    />
  );
}

function TaxView({ r, money }: { r: TaxReport; money: Money }) {
  if (r.rates.length === 0) return <EmptyState title="No taxed sales in this period" />;
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th>Rate</th>
          <th className="num">Taxable</th>
          <th className="num">Tax</th>
        </tr>
      </thead>
      <tbody>
        {r.rates.map((x) => (
          <tr key={x.rateBp}>
            <td>{x.rateBp / 100} %</td>
            <td className="num">{money(x.taxable)}</td>
            <td className="num">{money(x.tax)}</td>
          </tr>
        ))}
        <tr>
          <th>Total</th>
          <td className="num">
            <strong>{money(r.totals.taxable)}</strong>
          </td>
          <td className="num">
            <strong>{money(r.totals.tax)}</strong>
          </td>
        </tr>
      </tbody>
    </table>
  );
}
