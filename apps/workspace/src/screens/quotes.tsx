import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { QuoteJson, QuoteSummaryJson } from '@salesfleet/contracts';
import { type Column, ErrorNotice, ListFrame, Loading, moneyInput, queryString, useDebouncedInput } from '@salesfleet/ui';
import { locationName, useLocations, useSellableProducts } from '../api/queries';
import type { Customer, Invoice, Page } from '../api/types';
import { useApi, useApiWrite } from '../api/use-api';
import { DocumentFields, documentRequest, newDraft } from '../components/document-form';
import { allPages } from '../lib/all-pages';
import { useSession } from '../lib/session-context';
import { useUrlState } from '../lib/url-state';

/**
 * Quotes: prices and discounts offered to a customer until a date. They post nothing and take no
 * stock; converting one (once) issues an invoice at the quoted prices.
 */

const LIMIT = 25;
const REFRESH = ['quotes', 'invoices', 'products', 'dashboard', 'reports'];

const QUOTE_STATUS: Record<QuoteSummaryJson['status'], [string, string]> = {
  open: ['Open', 'badge-info'],
  expired: ['Expired', 'badge-muted'],
  converted: ['Invoiced', 'badge-good'],
};

/** A quote past its valid-until day is expired whatever its stored status says (the API refuses to convert it). */
export function quoteState(q: Pick<QuoteSummaryJson, 'status' | 'validUntil'>, today: string): QuoteSummaryJson['status'] {
  return q.status === 'open' && q.validUntil < today ? 'expired' : q.status;
}

function QuoteBadge({ quote }: { quote: Pick<QuoteSummaryJson, 'status' | 'validUntil'> }) {
  const { workspace } = useSession();
  const [label, kind] = QUOTE_STATUS[quoteState(quote, workspace.today)];
  return <span className={`badge ${kind}`}>{label}</span>;
}

function useCustomerName(id: number | null) {
  const customer = useApi<{ customer: Customer }>(`/customers/${id ?? 0}`, { enabled: id !== null });
  return id === null ? 'Walk-in' : (customer.data?.customer.name ?? '…');
}

function CustomerName({ id }: { id: number | null }) {
  return <>{useCustomerName(id)}</>;
}

export function QuotesScreen() {
  const { money, date, can, workspace } = useSession();
  const [f, setF] = useUrlState(['q', 'status', 'offset'] as const);
  const [q, setQ] = useDebouncedInput(f.q, (q) => setF({ q }));
  const path = (q: Record<string, unknown>) => `/quotes${queryString({ q: f.q, status: f.status, ...q })}`;
  const list = useApi<{ quotes: QuoteSummaryJson[] } & Page>(path({ offset: f.offset, limit: LIMIT }));
  const amount = (v: number) => moneyInput(v, workspace.currency);
  const columns: Column<QuoteSummaryJson>[] = [
    { header: 'Number', cell: (q) => <Link to={`/quotes/${q.id}`}>{q.number}</Link>, csv: (q) => q.number },
    { header: 'Date', cell: (q) => date(q.issueDate), csv: (q) => q.issueDate },
    { header: 'Valid until', cell: (q) => date(q.validUntil), csv: (q) => q.validUntil },
    { header: 'Customer', cell: (q) => <CustomerName id={q.customerId} />, csv: (q) => q.customerId },
    { header: 'Status', cell: (q) => <QuoteBadge quote={q} />, csv: (q) => quoteState(q, workspace.today) },
    { header: 'Total', cell: (q) => money(q.total), csv: (q) => amount(q.total), num: true },
  ];
  return (
    <section>
      <div className="page-head">
        <h1>Quotes</h1>
        {can('sales.add_quote') && (
          <Link role="button" to="/quotes/new">
            New quote
          </Link>
        )}
      </div>
      <ListFrame
        query={list}
        rows={(d) => d.quotes}
        columns={columns}
        rowKey={(q) => q.id}
        noun="quotes"
        label="Quotes"
        filtered={Boolean(f.q || f.status)}
        filters={
          <>
            <label>
              Number
              <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="QT-0001" />
            </label>
            <label>
              Status
              <select value={f.status} onChange={(e) => setF({ status: e.target.value })}>
                <option value="">Any</option>
                <option value="open">Open</option>
                <option value="expired">Expired</option>
                <option value="converted">Invoiced</option>
              </select>
            </label>
          </>
        }
        empty={<p>A quote offers prices (and discounts) to a customer until a date; converting it issues the invoice.</p>}
        page={(d) => d}
        onOffsetChange={(o) => setF({ offset: String(o) }, false)}
        csvName={`${workspace.slug}-quotes.csv`}
        allRows={() => allPages<QuoteSummaryJson>(path, 'quotes')}
      />
    </section>
  );
}

export function NewQuoteScreen() {
  const { workspace } = useSession();
  const navigate = useNavigate();
  const locations = useLocations();
  const products = useSellableProducts();
  const [draft, setDraft] = useState(() => newDraft(workspace.today));
  const [validUntil, setValidUntil] = useState('');
  const catalog = products.data?.products ?? [];
  const { body, problems } = documentRequest(draft, workspace.currency, catalog);
  const active = (locations.data ?? []).filter((l) => l.isActive);
  const create = useApiWrite<void, { quote: QuoteJson }>(
    'POST',
    () => '/quotes',
    REFRESH,
    () => ({
      ...body,
      // The API wants the location named; with one location it is that one.
      locationId: body.locationId ?? active[0]?.id,
      issueDate: draft.date,
      ...(validUntil ? { validUntil } : {}),
    }),
  );
  if (locations.isPending || products.isPending) return <Loading label="Loading…" />;
  if (products.isError) return <ErrorNotice error={products.error} title="Could not load the products" />;
  const valid = problems.length === 0 && (active.length === 1 || Boolean(draft.locationId));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (valid) create.mutate(undefined, { onSuccess: ({ quote }) => void navigate(`/quotes/${quote.id}`) });
  };
  return (
    <form onSubmit={submit} aria-label="New quote">
      <p>
        <Link to="/quotes">← Quotes</Link>
      </p>
      <h1>New quote</h1>
      <DocumentFields
        draft={draft}
        onChange={setDraft}
        catalog={catalog}
        locations={locations.data ?? []}
        dateLabel="Date"
        idPrefix="quote"
      />
      <label>
        Valid until <span className="muted">(default 30 days)</span>
        <input type="date" value={validUntil} min={draft.date} onChange={(e) => setValidUntil(e.target.value)} />
      </label>
      {create.isError && <ErrorNotice error={create.error} title="Could not save the quote" />}
      <div className="actions">
        <button type="submit" disabled={!valid || create.isPending}>
          Save quote
        </button>
      </div>
    </form>
  );
}

export function QuoteDetailScreen() {
  const { id } = useParams();
  const { money, date, can, workspace } = useSession();
  const navigate = useNavigate();
  const locations = useLocations();
  const quote = useApi<{ quote: QuoteJson }>(`/quotes/${Number(id)}`);
  const convert = useApiWrite<void, { invoice: Invoice }>(
    'POST',
    () => `/quotes/${Number(id)}/convert`,
    REFRESH,
    () => ({}),
  );
  const expire = useApiWrite<void>(
    'POST',
    () => `/quotes/${Number(id)}/expire`,
    REFRESH,
    () => ({}),
  );
  const customer = useCustomerName(quote.data?.quote.customerId ?? null);
  if (quote.isPending) return <Loading label="Loading the quote…" />;
  if (quote.isError) return <ErrorNotice error={quote.error} title="Could not load the quote" onRetry={() => void quote.refetch()} />;
  const q = quote.data.quote;
  const open = quoteState(q, workspace.today) === 'open';
  // Converting needs the quote's permission and the invoice's (the API asks for both).
  const mayConvert = can('sales.change_quote') && can('sales.add_invoice');
  return (
    <section>
      <p>
        <Link to="/quotes">← Quotes</Link>
      </p>
      <div className="page-head">
        <h1>
          Quote {q.number} <QuoteBadge quote={q} />
        </h1>
        <div className="actions">
          {open && mayConvert && (
            <button
              type="button"
              disabled={convert.isPending}
              aria-busy={convert.isPending}
              onClick={() => convert.mutate(undefined, { onSuccess: ({ invoice }) => void navigate(`/invoices/${invoice.id}`) })}
            >
              Convert to invoice
            </button>
          )}
          {open && can('sales.change_quote') && (
            <button type="button" className="secondary outline" disabled={expire.isPending} onClick={() => expire.mutate()}>
              Mark expired
            </button>
          )}
          {q.invoiceId !== null && (
            <Link role="button" className="secondary" to={`/invoices/${q.invoiceId}`}>
              Open the invoice
            </Link>
          )}
        </div>
      </div>
      {convert.isError && <ErrorNotice error={convert.error} title="Could not convert the quote" />}
      {expire.isError && <ErrorNotice error={expire.error} title="Could not expire the quote" />}
      <dl className="facts">
        <dt>Customer</dt>
        <dd>{customer}</dd>
        <dt>Date</dt>
        <dd>{date(q.issueDate)}</dd>
        <dt>Valid until</dt>
        <dd>{date(q.validUntil)}</dd>
        {workspace.multiLocation && (
          <>
            <dt>Location</dt>
            <dd>{locationName(locations.data, q.locationId)}</dd>
          </>
        )}
      </dl>
      <div className="table-scroll">
        <table className="data-table" aria-label="Quote lines">
          <thead>
            <tr>
              <th>Item</th>
              <th className="num">Qty</th>
              <th className="num">Price</th>
              <th className="num">Discount</th>
              <th className="num">Total</th>
            </tr>
          </thead>
          <tbody>
            {q.lines.map((l) => (
              <tr key={l.id}>
                <td>{l.description}</td>
                <td className="num">{l.quantity}</td>
                <td className="num">{money(l.unitPrice)}</td>
                <td className="num">{l.discountAmount + l.invoiceDiscount ? `−${money(l.discountAmount + l.invoiceDiscount)}` : '—'}</td>
                <td className="num">{money(l.lineTotal)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="totals">
        {q.discountTotal > 0 && (
          <>
            <dt>Discounts</dt>
            <dd>−{money(q.discountTotal)}</dd>
          </>
        )}
        <dt>Subtotal</dt>
        <dd>{money(q.subtotal)}</dd>
        <dt>Tax</dt>
        <dd>{money(q.tax)}</dd>
        <dt>Total</dt>
        <dd className="grand">{money(q.total)}</dd>
      </dl>
      {q.notes && <p className="muted">{q.notes}</p>}
    </section>
  );
}
