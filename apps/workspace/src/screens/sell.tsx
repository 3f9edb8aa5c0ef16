import { useEffect, useMemo, useReducer, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ErrorNotice, Loading, moneyInput, Notice, parseMoney, plural } from '@salesfleet/ui';
import { api } from '../api/client';
import { locationName, useCustomerSearch, useLocations, useSellableProducts } from '../api/queries';
import type { Customer, Invoice, Product } from '../api/types';
import { Receipt } from '../components/receipt';
import { cartReducer, cartTotals, planPayment, type PaymentPlan, type Tender } from '../lib/cart';
import { type Discount, parseDiscount } from '../lib/discount';
import { useSession } from '../lib/session-context';

type TenderKind = Tender['kind'];
const TENDERS: { kind: TenderKind; label: string }[] = [
  { kind: 'cash', label: 'Cash' },
  { kind: 'card', label: 'Card' },
  { kind: 'transfer', label: 'Transfer' },
  { kind: 'split', label: 'Card + cash' },
  { kind: 'credit', label: 'On credit' },
];

const LOCATION_KEY = 'salesfleet.till.location';

/** What a search box finds: an exact SKU (a scanner's input) first, then names and SKUs that contain the text. */
export function findProducts(products: readonly Product[], text: string, limit = 8): { exact: Product | null; matches: Product[] } {
  const q = text.trim().toLowerCase();
  if (!q) return { exact: null, matches: [] };
  const exact = products.find((p) => p.sku.toLowerCase() === q) ?? null;
  const matches = products
    .filter((p) => p !== exact && (p.name.toLowerCase().includes(q) || p.sku.toLowerCase().includes(q)))
    .slice(0, limit);
  return { exact, matches: exact ? [exact, ...matches].slice(0, limit) : matches };
}

interface Sale {
  invoice: Invoice;
  change: number;
  customer: Customer | null;
}

/**
 * The till. Type or scan into the search box (Enter adds the exact SKU or the only match), adjust
 * quantities and prices in the cart, pick how the customer pays, then Complete sale (Ctrl+Enter).
 * One request issues the invoice with all its payments (a split's card and cash parts together).
 */
export function SellScreen() {
  const { workspace, money, can, me } = useSession();
  const locations = useLocations();
  const products = useSellableProducts();
  const client = useQueryClient();
  const [lines, dispatch] = useReducer(cartReducer, []);
  const [search, setSearch] = useState('');
  const [notFound, setNotFound] = useState<string | null>(null);
  const [locationId, setLocationId] = useState<number | null>(() => Number(localStorage.getItem(LOCATION_KEY)) || null);
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [tenderKind, setTenderKind] = useState<TenderKind>('cash');
  const [cashGiven, setCashGiven] = useState('');
  const [cardPart, setCardPart] = useState('');
  const [reference, setReference] = useState('');
  const [sale, setSale] = useState<Sale | null>(null);
  // Discounts are for users with sales.give_discount (the API refuses a cashier's).
  const mayDiscount = can('sales.give_discount');
  const [saleDiscount, setSaleDiscount] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);

  // Where this user may sell: the active locations, narrowed to the ones an admin allowed them.
  const allowedIds = me.locationIds;
  const active = useMemo(
    () => (locations.data ?? []).filter((l) => l.isActive && (allowedIds === null || allowedIds.includes(l.id))),
    [locations.data, allowedIds],
  );
  useEffect(() => {
    if (active.length && !active.some((l) => l.id === locationId)) setLocationId(active[0]!.id);
  }, [active, locationId]);
  useEffect(() => {
    if (locationId) localStorage.setItem(LOCATION_KEY, String(locationId));
  }, [locationId]);

  const rates = useMemo(() => new Map(workspace.taxRates.map((r) => [r.id, r])), [workspace.taxRates]);
  const catalog = products.data?.products ?? [];
  const found = useMemo(() => findProducts(catalog, search), [catalog, search]);
  const discount = mayDiscount ? parseDiscount(saleDiscount, workspace.currency) : {};
  const totals = cartTotals(lines, discount ?? {});
  const currency = workspace.currency;

  const tender: Tender = (() => {
    switch (tenderKind) {
      case 'cash':
        return { kind: 'cash', given: cashGiven.trim() === '' ? totals.total : (parseMoney(cashGiven, currency) ?? -1) };
      case 'card':
        return { kind: 'card' };
      case 'transfer':
        return { kind: 'transfer', reference: reference.trim() };
      case 'split':
        return { kind: 'split', card: parseMoney(cardPart, currency) ?? 0, cash: parseMoney(cashGiven, currency) ?? 0 };
      case 'credit':
        return { kind: 'credit', customerId: customer?.id ?? null };
    }
  })();
  const plan = planPayment(totals.total, tender);

  const add = (product: Product) => {
    const rate = product.taxRateId === null ? undefined : rates.get(product.taxRateId);
    dispatch({ type: 'add', product, taxRateBp: rate?.rateBp ?? 0, taxInclusive: Boolean(rate?.isInclusive) });
    setSearch('');
    setNotFound(null);
  };

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const pick = found.exact ?? (found.matches.length === 1 ? found.matches[0] : null);
    if (pick) add(pick);
    else if (search.trim()) setNotFound(search.trim());
  };

  const complete = useMutation({
    // One request: the sale and every part of its payment in the one transaction; the API says the change.
    mutationFn: ({ plan }: { plan: PaymentPlan }) =>
      api.post<{ invoice: Invoice; change: number }>('/invoices', {
        ...(locationId ? { locationId } : {}),
        customerId: customer?.id ?? null,
        lines: lines.map((l) => ({
          productId: l.productId,
          quantity: l.quantity,
          ...(l.unitPrice !== l.listPrice ? { unitPrice: l.unitPrice } : {}),
          ...l.discount,
        })),
        ...discount,
        ...(plan.payments.length ? { payments: plan.payments } : {}),
      }),
    onSuccess: ({ invoice, change }) => {
      setSale({ invoice, change, customer });
      dispatch({ type: 'clear' });
      setCustomer(null);
      setCashGiven('');
      setCardPart('');
      setReference('');
      setSaleDiscount('');
      void client.invalidateQueries({ queryKey: ['products'] });
      void client.invalidateQueries({ queryKey: ['invoices'] });
    },
  });

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (lines.length === 0 || 'problem' in plan || discount === null || complete.isPending) return;
    complete.mutate({ plan });
  };

  if (locations.isPending || products.isPending) return <Loading label="Opening the till…" />;
  if (locations.isError)
    return <ErrorNotice error={locations.error} title="Could not load the locations" onRetry={() => void locations.refetch()} />;
  if (products.isError)
    return <ErrorNotice error={products.error} title="Could not load the products" onRetry={() => void products.refetch()} />;

  if (sale) {
    return (
      <section className="sale-done">
        <div className="no-print">
          <h1>Sale complete</h1>
          {sale.change > 0 && (
            <p className="change-due" role="status">
              Change due: <strong>{money(sale.change)}</strong>
            </p>
          )}
          <div className="actions">
            <button type="button" onClick={() => printReceipt('80mm')} autoFocus>
              Print receipt
            </button>
            <button type="button" className="secondary" onClick={() => printReceipt('a4')}>
              Print A4
            </button>
            <button
              type="button"
              className="secondary outline"
              onClick={() => {
                setSale(null);
                complete.reset();
                setTimeout(() => searchRef.current?.focus(), 0);
              }}
            >
              New sale
            </button>
          </div>
        </div>
        <Receipt
          invoice={sale.invoice}
          customer={sale.customer}
          change={sale.change}
          locationName={locationName(locations.data, sale.invoice.locationId)}
          servedBy={me.user.firstName || me.user.username}
        />
      </section>
    );
  }

  if (active.length === 0) {
    return (
      <section>
        <h1>Sell</h1>
        <Notice kind="warning">
          {me.locationIds === null
            ? 'This workspace has no active location to sell from. An admin can add one under Settings.'
            : 'None of the locations you may sell at is open. Ask a workspace admin.'}
        </Notice>
      </section>
    );
  }

  return (
    <form className="till" onSubmit={submit} onKeyDown={(e) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && submit()}>
      <div className="till-head">
        <h1>Sell</h1>
        {active.length > 1 ? (
          <label className="inline">
            Location{' '}
            <select value={locationId ?? ''} onChange={(e) => setLocationId(Number(e.target.value))} aria-label="Location">
              {active.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span className="muted">{active[0]!.name}</span>
        )}
      </div>

      <div className="till-grid">
        <div className="till-search">
          <label htmlFor="product-search">Find product (name, SKU or scan)</label>
          <input
            id="product-search"
            ref={searchRef}
            type="search"
            value={search}
            autoFocus
            autoComplete="off"
            onChange={(e) => {
              setSearch(e.target.value);
              setNotFound(null);
            }}
            onKeyDown={onSearchKey}
            aria-describedby="search-help"
          />
          <small id="search-help">Enter adds the exact SKU or the only match. Ctrl+Enter completes the sale.</small>
          {notFound && <Notice kind="warning">No product matches “{notFound}”.</Notice>}
          {found.matches.length > 0 && (
            <ul className="search-results" aria-label="Matching products">
              {found.matches.map((p) => {
                const onHand = p.stock.find((s) => s.locationId === locationId)?.quantity ?? 0;
                return (
                  <li key={p.id}>
                    <button type="button" className="secondary outline" onClick={() => add(p)}>
                      <span>{p.name}</span>
                      <span className="muted">
                        {p.sku} · {money(p.unitPrice)} · {onHand} in stock
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </div>

        <div className="till-cart">
          <h2>
            Cart <span className="muted">({plural(totals.items, { one: 'item', other: 'items' })})</span>
          </h2>
          {lines.length === 0 ? (
            <p className="muted">Nothing in the cart yet: scan or search a product.</p>
          ) : (
            <table className="cart">
              <thead>
                <tr>
                  <th>Product</th>
                  <th>Qty</th>
                  <th>Price</th>
                  {mayDiscount && <th>Discount</th>}
                  <th className="num">Total</th>
                  <th>
                    <span className="visually-hidden">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {lines.map((l, i) => (
                  <tr key={l.productId}>
                    <td>
                      {l.name}
                      <br />
                      <small className="muted">{l.sku}</small>
                    </td>
                    <td>
                      <input
                        className="qty"
                        type="number"
                        min={0}
                        step={1}
                        inputMode="numeric"
                        value={l.quantity}
                        aria-label={`Quantity of ${l.name}`}
                        onChange={(e) => dispatch({ type: 'quantity', productId: l.productId, quantity: Number(e.target.value) })}
                      />
                    </td>
                    <td>
                      <PriceInput
                        value={l.unitPrice}
                        currency={currency}
                        label={`Price of ${l.name}`}
                        onChange={(unitPrice) => dispatch({ type: 'price', productId: l.productId, unitPrice })}
                      />
                    </td>
                    {mayDiscount && (
                      <td>
                        <DiscountInput
                          label={`Discount on ${l.name}`}
                          currency={currency}
                          onChange={(d) => dispatch({ type: 'discount', productId: l.productId, discount: d })}
                        />
                      </td>
                    )}
                    <td className="num">{money(totals.lineTotals[i] ?? 0)}</td>
                    <td>
                      <button
                        type="button"
                        className="secondary outline small"
                        aria-label={`Remove ${l.name}`}
                        onClick={() => dispatch({ type: 'remove', productId: l.productId })}
                      >
                        ×
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {mayDiscount && lines.length > 0 && (
            <label className="inline sale-discount">
              Discount on the sale{' '}
              <input
                value={saleDiscount}
                placeholder="10% or 5.00"
                aria-invalid={discount === null || undefined}
                onChange={(e) => setSaleDiscount(e.target.value)}
              />
            </label>
          )}
          <dl className="totals">
            {totals.discountTotal > 0 && (
              <>
                <dt>Discounts</dt>
                <dd>−{money(totals.discountTotal)}</dd>
              </>
            )}
            <dt>Subtotal</dt>
            <dd>{money(totals.subtotal)}</dd>
            <dt>{lines.some((l) => l.taxInclusive) ? 'Tax (included in prices)' : 'Tax'}</dt>
            <dd>{money(totals.tax)}</dd>
            <dt>Total</dt>
            <dd className="grand" aria-label="Total to pay">
              {money(totals.total)}
            </dd>
          </dl>
        </div>

        <div className="till-pay">
          <CustomerPicker customer={customer} onChange={setCustomer} canAdd={can('sales.add_customer')} />
          <fieldset>
            <legend>Payment</legend>
            <div className="tenders" role="radiogroup" aria-label="Payment method">
              {TENDERS.map((t) => (
                <label key={t.kind}>
                  <input type="radio" name="tender" value={t.kind} checked={tenderKind === t.kind} onChange={() => setTenderKind(t.kind)} />
                  {t.label}
                </label>
              ))}
            </div>
            {tenderKind === 'split' && (
              <label>
                Card part
                <input
                  inputMode="decimal"
                  value={cardPart}
                  onChange={(e) => setCardPart(e.target.value)}
                  placeholder={moneyInput(0, currency)}
                />
              </label>
            )}
            {(tenderKind === 'cash' || tenderKind === 'split') && (
              <label>
                Cash given
                <input
                  inputMode="decimal"
                  value={cashGiven}
                  onChange={(e) => setCashGiven(e.target.value)}
                  placeholder={tenderKind === 'cash' ? moneyInput(totals.total, currency) : ''}
                />
              </label>
            )}
            {tenderKind === 'transfer' && (
              <label>
                Transfer reference <span className="muted">(optional)</span>
                <input value={reference} maxLength={100} onChange={(e) => setReference(e.target.value)} />
              </label>
            )}
            {lines.length > 0 &&
              ('problem' in plan ? (
                <p className="field-error" role="status">
                  {plan.problem}
                </p>
              ) : (
                plan.change > 0 && (
                  <p className="change-due" role="status">
                    Change due: <strong>{money(plan.change)}</strong>
                  </p>
                )
              ))}
          </fieldset>
          {complete.isError && <ErrorNotice error={complete.error} title="The sale was not completed" />}
          <button
            type="submit"
            className="complete"
            disabled={lines.length === 0 || 'problem' in plan || discount === null || complete.isPending}
            aria-busy={complete.isPending}
          >
            Complete sale · {money(totals.total)}
          </button>
          {lines.length > 0 && (
            <button type="button" className="secondary outline" onClick={() => dispatch({ type: 'clear' })}>
              Clear cart
            </button>
          )}
        </div>
      </div>
    </form>
  );
}

function printReceipt(paper: '80mm' | 'a4') {
  document.documentElement.dataset.paper = paper;
  window.print();
}

/** A line's discount: `10%` or an amount; applied once it reads as one (blank: none). */
function DiscountInput({ label, currency, onChange }: { label: string; currency: string; onChange: (d: Discount) => void }) {
  const [text, setText] = useState('');
  const parsed = parseDiscount(text, currency);
  return (
    <input
      className="price"
      value={text}
      placeholder="—"
      aria-label={label}
      aria-invalid={parsed === null || undefined}
      onChange={(e) => {
        setText(e.target.value);
        const d = parseDiscount(e.target.value, currency);
        if (d !== null) onChange(d);
      }}
    />
  );
}

function PriceInput({
  value,
  currency,
  label,
  onChange,
}: {
  value: number;
  currency: string;
  label: string;
  onChange: (minor: number) => void;
}) {
  const [text, setText] = useState(moneyInput(value, currency));
  useEffect(() => setText(moneyInput(value, currency)), [value, currency]);
  const invalid = parseMoney(text, currency) === null;
  return (
    <input
      className="price"
      inputMode="decimal"
      value={text}
      aria-label={label}
      aria-invalid={invalid || undefined}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => {
        const minor = parseMoney(text, currency);
        if (minor === null) setText(moneyInput(value, currency));
        else onChange(minor);
      }}
    />
  );
}

function CustomerPicker({
  customer,
  onChange,
  canAdd,
}: {
  customer: Customer | null;
  onChange: (c: Customer | null) => void;
  canAdd: boolean;
}) {
  const [q, setQ] = useState('');
  const results = useCustomerSearch(q, customer === null);
  if (customer) {
    return (
      <div className="customer-picked">
        <span>
          Customer: <strong>{customer.name}</strong>
        </span>
        <button type="button" className="secondary outline small" onClick={() => onChange(null)}>
          Change
        </button>
      </div>
    );
  }
  return (
    <div className="customer-picker">
      <label htmlFor="customer-search">
        Customer <span className="muted">(optional; needed on credit)</span>
      </label>
      <input
        id="customer-search"
        type="search"
        value={q}
        autoComplete="off"
        onChange={(e) => setQ(e.target.value)}
        placeholder="Name, email or phone"
      />
      {q.trim() && results.data && (
        <ul className="search-results" aria-label="Matching customers">
          {results.data.length === 0 && <li className="muted">No customer matches.{canAdd ? ' Add them under Customers.' : ''}</li>}
          {results.data.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                className="secondary outline"
                onClick={() => {
                  onChange(c);
                  setQ('');
                }}
              >
                {c.name} <span className="muted">{c.email ?? c.phone ?? ''}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
