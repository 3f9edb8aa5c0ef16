import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ErrorNotice, Loading, moneyInput, parseMoney } from '@salesfleet/ui';
import { useLocations, useSellableProducts } from '../api/queries';
import type { Customer, Invoice } from '../api/types';
import { useApiWrite } from '../api/use-api';
import { CustomerSelect } from '../components/customer-select';
import { useSession } from '../lib/session-context';

interface DraftLine {
  key: number;
  productId: string;
  quantity: string;
  price: string;
}

let keys = 0;

/** A draft invoice: customer, location, lines; saved as a draft (issued from its page) or issued at once. */
export function NewInvoiceScreen() {
  const { workspace, money } = useSession();
  const navigate = useNavigate();
  const locations = useLocations();
  const products = useSellableProducts();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [locationId, setLocationId] = useState('');
  const [issueDate, setIssueDate] = useState(workspace.today);
  const [notes, setNotes] = useState('');
  const [lines, setLines] = useState<DraftLine[]>([{ key: ++keys, productId: '', quantity: '1', price: '' }]);
  const create = useApiWrite<{ draft: boolean }, { invoice: Invoice }>(
    'POST',
    () => '/invoices',
    ['invoices', 'products'],
    ({ draft }) => ({
      ...(locationId ? { locationId: Number(locationId) } : {}),
      customerId: customer?.id ?? null,
      issueDate,
      notes: notes.trim() || null,
      draft,
      lines: lines
        .filter((l) => l.productId)
        .map((l) => {
          const price = parseMoney(l.price, workspace.currency);
          return {
            productId: Number(l.productId),
            quantity: Number(l.quantity),
            ...(l.price && price !== null ? { unitPrice: price } : {}),
          };
        }),
    }),
  );
  if (locations.isPending || products.isPending) return <Loading label="Loading…" />;
  if (products.isError) return <ErrorNotice error={products.error} title="Could not load the products" />;
  const catalog = products.data.products;
  const active = (locations.data ?? []).filter((l) => l.isActive);
  const update = (key: number, change: Partial<DraftLine>) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...change } : l)));
  const valid =
    lines.some((l) => l.productId) && lines.every((l) => !l.productId || (Number.isInteger(Number(l.quantity)) && Number(l.quantity) > 0));
  const submit = (draft: boolean) => (e?: FormEvent) => {
    e?.preventDefault();
    if (!valid) return;
    create.mutate({ draft }, { onSuccess: ({ invoice }) => void navigate(`/invoices/${invoice.id}`) });
  };
  return (
    <form onSubmit={submit(true)}>
      <h1>New invoice</h1>
      <div className="filters">
        <CustomerSelect id="invoice-customer" label="Customer" value={customer} onChange={setCustomer} />
        {active.length > 1 && (
          <label>
            Location
            <select value={locationId} onChange={(e) => setLocationId(e.target.value)} required>
              <option value="">Choose…</option>
              {active.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Date
          <input type="date" value={issueDate} onChange={(e) => setIssueDate(e.target.value)} />
        </label>
      </div>
      <table className="data-table">
        <thead>
          <tr>
            <th>Product</th>
            <th>Quantity</th>
            <th>Price (empty: list price)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {lines.map((l, index) => (
            <tr key={l.key}>
              <td>
                <select
                  aria-label={`Product of line ${index + 1}`}
                  value={l.productId}
                  onChange={(e) => update(l.key, { productId: e.target.value })}
                >
                  <option value="">Choose…</option>
                  {catalog.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name} ({p.sku}) · {money(p.unitPrice)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input
                  aria-label={`Quantity of line ${index + 1}`}
                  type="number"
                  min={1}
                  step={1}
                  value={l.quantity}
                  onChange={(e) => update(l.key, { quantity: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`Price of line ${index + 1}`}
                  inputMode="decimal"
                  value={l.price}
                  placeholder={
                    l.productId ? moneyInput(catalog.find((p) => String(p.id) === l.productId)?.unitPrice ?? 0, workspace.currency) : ''
                  }
                  onChange={(e) => update(l.key, { price: e.target.value })}
                />
              </td>
              <td>
                {lines.length > 1 && (
                  <button
                    type="button"
                    className="secondary outline small"
                    aria-label={`Remove line ${index + 1}`}
                    onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))}
                  >
                    ×
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        className="secondary outline small"
        onClick={() => setLines((ls) => [...ls, { key: ++keys, productId: '', quantity: '1', price: '' }])}
      >
        Add line
      </button>
      <label>
        Notes <span className="muted">(optional)</span>
        <textarea value={notes} maxLength={5000} onChange={(e) => setNotes(e.target.value)} />
      </label>
      {create.isError && <ErrorNotice error={create.error} title="Could not save the invoice" />}
      <div className="actions">
        <button type="submit" disabled={!valid || create.isPending}>
          Save draft
        </button>
        <button type="button" className="secondary" disabled={!valid || create.isPending} onClick={() => submit(false)()}>
          Issue now
        </button>
      </div>
    </form>
  );
}
