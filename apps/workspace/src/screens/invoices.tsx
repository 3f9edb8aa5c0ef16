import { useState } from 'react';
import { Link } from 'react-router';
import { type Column, ListFrame, moneyInput, queryString, useDebouncedInput } from '@salesfleet/ui';
import type { Customer, InvoiceSummary, Page } from '../api/types';
import { useApi } from '../api/use-api';
import { allPages } from '../lib/all-pages';
import { CustomerSelect } from '../components/customer-select';
import { DateRangeFilter, LocationFilter, useLocationColumn } from '../components/list-filters';
import { StatusBadge } from '../components/status-badge';
import { useSession } from '../lib/session-context';
import { useUrlState } from '../lib/url-state';

const LIMIT = 25;

export function InvoicesScreen() {
  const { money, date, can, workspace } = useSession();
  const [f, setF] = useUrlState(['q', 'status', 'customerId', 'from', 'to', 'locationId', 'offset'] as const);
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [q, setQ] = useDebouncedInput(f.q, (q) => setF({ q }));
  const path = (page: Record<string, unknown>) => `/invoices${queryString({ ...f, ...page })}`;
  const list = useApi<{ invoices: InvoiceSummary[] } & Page>(path({ limit: LIMIT }));
  const amount = (v: number) => moneyInput(v, workspace.currency);
  const locationColumn = useLocationColumn<InvoiceSummary>((i) => i.locationId);
  const columns: Column<InvoiceSummary>[] = [
    { header: 'Number', cell: (i) => <Link to={`/invoices/${i.id}`}>{i.number}</Link>, csv: (i) => i.number },
    { header: 'Date', cell: (i) => date(i.issueDate), csv: (i) => i.issueDate },
    { header: 'Status', cell: (i) => <StatusBadge invoice={i} />, csv: (i) => i.status },
    ...locationColumn,
    { header: 'Total', cell: (i) => money(i.total), csv: (i) => amount(i.total), num: true },
    { header: 'Due', cell: (i) => (i.amountDue ? money(i.amountDue) : '—'), csv: (i) => amount(i.amountDue), num: true },
  ];
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
      <ListFrame
        query={list}
        rows={(d) => d.invoices}
        columns={columns}
        rowKey={(i) => i.id}
        noun="invoices"
        label="Invoices"
        filtered={filtered}
        filters={
          <>
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
            <DateRangeFilter from={f.from} to={f.to} onChange={setF} />
            <LocationFilter value={f.locationId} onChange={(locationId) => setF({ locationId })} />
          </>
        }
        empty={<p>Invoices appear here once you sell or create one.</p>}
        page={(d) => d}
        onOffsetChange={(o) => setF({ offset: String(o) }, false)}
        csvName={`${workspace.slug}-invoices.csv`}
        allRows={() => allPages<InvoiceSummary>(path, 'invoices')}
      />
    </section>
  );
}
