import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { EmptyState, ErrorNotice, Loading, Pager, queryString } from '@salesfleet/ui';
import { locationName, useLocations } from '../api/queries';
import type { Customer, InvoiceSummary, Page } from '../api/types';
import { useApi } from '../api/use-api';
import { CustomerSelect } from '../components/customer-select';
import { StatusBadge } from '../components/status-badge';
import { useSession } from '../lib/session-context';
import { useUrlState } from '../lib/url-state';

const LIMIT = 25;

export function InvoicesScreen() {
  const { money, date, can, workspace } = useSession();
  const locations = useLocations();
  const [f, setF] = useUrlState(['q', 'status', 'customerId', 'from', 'to', 'locationId', 'offset'] as const);
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [q, setQ] = useState(f.q);
  useEffect(() => {
    const timer = setTimeout(() => q !== f.q && setF({ q }), 300);
    return () => clearTimeout(timer);
  }, [q, f.q, setF]);
  const path = `/invoices${queryString({ ...f, limit: LIMIT })}`;
  const list = useApi<{ invoices: InvoiceSummary[] } & Page>(path);
  const filtered = Boolean(f.q || f.status || f.customerId || f.from || f.to || f.locationId);
  return (
    <section>
      <div className="page-head">
        <h1>Invoices</h1>
        {can('sales.add_invoice') && (
          <Link role="button" to="/invoices/new">
            New invoice
          </Link>
        )}
      </div>
      <div className="filters" role="search">
        <label>
          Number
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="INV-0001" />
        </label>
        <label>
          Status
          <select value={f.status} onChange={(e) => setF({ status: e.target.value })}>
            <option value="">Any</option>
            <option value="draft">Draft</option>
            <option value="issued">Issued (unpaid)</option>
            <option value="paid">Paid</option>
            <option value="void">Void</option>
          </select>
        </label>
        <CustomerSelect
          id="filter-customer"
          label="Customer"
          value={customer && String(customer.id) === f.customerId ? customer : null}
          onChange={(c) => {
            setCustomer(c);
            setF({ customerId: c ? String(c.id) : '' });
          }}
        />
        <label>
          From
          <input type="date" value={f.from} onChange={(e) => setF({ from: e.target.value })} />
        </label>
        <label>
          To
          <input type="date" value={f.to} onChange={(e) => setF({ to: e.target.value })} />
        </label>
        {workspace.multiLocation && (
          <label>
            Location
            <select value={f.locationId} onChange={(e) => setF({ locationId: e.target.value })}>
              <option value="">All</option>
              {locations.data?.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {list.isPending ? (
        <Loading label="Loading invoices…" />
      ) : list.isError ? (
        <ErrorNotice error={list.error} title="Could not load the invoices" onRetry={() => void list.refetch()} />
      ) : list.data.invoices.length === 0 ? (
        <EmptyState title={filtered ? 'No invoice matches these filters' : 'No invoices yet'}>
          <p>{filtered ? 'Change or clear the filters.' : 'Invoices appear here once you sell or create one.'}</p>
        </EmptyState>
      ) : (
        <>
          <div className="table-scroll">
            <table className="data-table">
              <thead>
                <tr>
                  <th>Number</th>
                  <th>Date</th>
                  <th>Status</th>
                  {workspace.multiLocation && <th>Location</th>}
                  <th className="num">Total</th>
                  <th className="num">Due</th>
                </tr>
              </thead>
              <tbody>
                {list.data.invoices.map((i) => (
                  <tr key={i.id}>
                    <td>
                      <Link to={`/invoices/${i.id}`}>{i.number}</Link>
                    </td>
                    <td>{date(i.issueDate)}</td>
                    <td>
                      <StatusBadge invoice={i} />
                    </td>
                    {workspace.multiLocation && <td>{locationName(locations.data, i.locationId)}</td>}
                    <td className="num">{money(i.total)}</td>
                    <td className="num">{i.amountDue ? money(i.amountDue) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            total={list.data.total}
            limit={LIMIT}
            offset={Number(f.offset) || 0}
            onOffsetChange={(o) => setF({ offset: String(o) }, false)}
            label="Invoice pages"
          />
        </>
      )}
    </section>
  );
}
