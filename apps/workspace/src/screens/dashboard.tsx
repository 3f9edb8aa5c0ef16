import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router';
import { DataTable, EmptyState, ErrorNotice, Loading, plural, queryString } from '@salesfleet/ui';
import { locationName, useLocations } from '../api/queries';
import type { Dashboard } from '../api/types';
import { useApi } from '../api/use-api';
import { useSession } from '../lib/session-context';

const SalesChart = lazy(() => import('../components/sales-chart'));

// The workspace's words are English: English plural rules.
const INVOICES = { one: 'invoice', other: 'invoices' };
const UNPAID = { one: 'unpaid invoice', other: 'unpaid invoices' };

export function DashboardScreen() {
  const { money, date, workspace } = useSession();
  const locations = useLocations();
  const [locationId, setLocationId] = useState('');
  const dashboard = useApi<{ dashboard: Dashboard }>(`/dashboard${queryString({ locationId })}`);
  const several = (locations.data?.length ?? 0) > 1;
  const d = dashboard.data?.dashboard;
  return (
    <section>
      <div className="page-head">
        <h1>Dashboard</h1>
        {several && (
          <label className="inline">
            Location
            <select value={locationId} onChange={(e) => setLocationId(e.target.value)} aria-label="Location">
              <option value="">All locations</option>
              {locations.data!.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {dashboard.isPending ? (
        <Loading label="Loading the figures…" />
      ) : dashboard.isError ? (
        <ErrorNotice error={dashboard.error} title="Could not load the dashboard" onRetry={() => void dashboard.refetch()} />
      ) : d ? (
        <>
          <div className="stats">
            <article className="stat">
              Today’s sales <strong>{money(d.sales.today)}</strong>
              <small className="muted">
                {plural(d.sales.todayCount, INVOICES)} · {date(d.today)}
              </small>
            </article>
            <article className="stat">
              This month <strong>{money(d.sales.month)}</strong>
              <small className="muted">{plural(d.sales.monthCount, INVOICES)}</small>
            </article>
            <article className="stat">
              Open receivables <strong>{money(d.receivables.open)}</strong>
              <small className="muted">
                <Link to="/invoices?status=issued">{plural(d.receivables.count, UNPAID)}</Link>
              </small>
            </article>
            <article className="stat">
              Low stock <strong>{d.lowStock.length}</strong>
              <small className="muted">{d.lowStock.length === 1 ? 'product' : 'products'} at 5 or fewer</small>
            </article>
          </div>
          <article>
            <h2>
              Sales per day{' '}
              <small className="muted">
                {locationId ? locationName(locations.data, Number(locationId)) : several ? 'all locations' : ''}
              </small>
            </h2>
            {d.days.every((day) => day.total === 0) ? (
              <EmptyState title="No sales in the last 30 days">
                <p>Sales appear here as soon as invoices are issued.</p>
              </EmptyState>
            ) : (
              <Suspense fallback={<Loading label="Drawing the chart…" />}>
                <SalesChart days={d.days} money={money} />
              </Suspense>
            )}
          </article>
          <article>
            <h2>Low stock</h2>
            {d.lowStock.length === 0 ? (
              <p className="muted">Nothing is running low.</p>
            ) : (
              <DataTable
                label="Low stock"
                rows={d.lowStock}
                rowKey={(s) => `${s.productId}-${s.locationId}`}
                columns={[
                  { header: 'Product', cell: (s) => s.name },
                  { header: 'SKU', className: 'wide-only', cell: (s) => <span className="nowrap">{s.sku}</span> },
                  ...(workspace.multiLocation
                    ? [{ header: 'Location', cell: (s: Dashboard['lowStock'][number]) => locationName(locations.data, s.locationId) }]
                    : []),
                  { header: 'On hand', cell: (s) => s.quantity, num: true },
                ]}
              />
            )}
          </article>
        </>
      ) : null}
    </section>
  );
}
