import { priceLines, QUANTITY_SCALE } from '@salesfleet/contracts';
import { moneyInput, parseMoney } from '@salesfleet/ui';
import type { Customer, Location, Product } from '../api/types';
import { type Discount, parseDiscount } from '../lib/discount';
import { useSession } from '../lib/session-context';
import { CustomerSelect } from './customer-select';

/**
 * The editor of a sales document (a new invoice, a new quote): customer, location, date, product
 * lines with quantities, prices and — for users with sales.give_discount — a discount per line and
 * one on the whole document, previewed with the API's own pricing (priceLines in
 * @salesfleet/contracts), so the total shown is the total the document gets.
 */

export interface DraftLine {
  key: number;
  productId: string;
  quantity: string;
  price: string;
  discount: string;
}

export interface DocumentDraft {
  customer: Customer | null;
  locationId: string;
  date: string;
  notes: string;
  lines: DraftLine[];
  /** The discount on the whole document. */
  discount: string;
}

let keys = 0;
export const newLine = (): DraftLine => ({ key: ++keys, productId: '', quantity: '1', price: '', discount: '' });
export const newDraft = (date: string): DocumentDraft => ({
  customer: null,
  locationId: '',
  date,
  notes: '',
  lines: [newLine()],
  discount: '',
});

/** The document's lines and discounts as the API takes them, or what is wrong (null body). */
export function draftBody(draft: DocumentDraft, currency: string, catalog: readonly Product[]) {
  const problems: string[] = [];
  const lines = draft.lines
    .filter((l) => l.productId)
    .map((l, i) => {
      const quantity = Number(l.quantity);
      if (!Number.isInteger(quantity) || quantity < 1) problems.push(`Line ${i + 1}: a whole number of units`);
      const price = l.price.trim() ? parseMoney(l.price, currency) : null;
      if (l.price.trim() && price === null) problems.push(`Line ${i + 1}: the price is not an amount`);
      const discount = parseDiscount(l.discount, currency);
      if (discount === null) problems.push(`Line ${i + 1}: a discount is a percentage (10%) or an amount`);
      const product = catalog.find((p) => String(p.id) === l.productId);
      return {
        productId: Number(l.productId),
        quantity,
        ...(price !== null ? { unitPrice: price } : {}),
        ...(discount ?? {}),
        listPrice: product?.unitPrice ?? 0,
        taxRateId: product?.taxRateId ?? null,
      };
    });
  if (lines.length === 0) problems.push('Add a product');
  const discount = parseDiscount(draft.discount, currency);
  if (discount === null) problems.push('The discount is a percentage (10%) or an amount');
  return { lines, discount: (discount ?? {}) as Discount, problems };
}

export function DocumentFields({
  draft,
  onChange,
  catalog,
  locations,
  dateLabel,
  idPrefix,
}: {
  draft: DocumentDraft;
  onChange: (draft: DocumentDraft) => void;
  catalog: readonly Product[];
  locations: readonly Location[];
  dateLabel: string;
  idPrefix: string;
}) {
  const { workspace, money, can } = useSession();
  const mayDiscount = can('sales.give_discount');
  const currency = workspace.currency;
  const active = locations.filter((l) => l.isActive);
  const set = (change: Partial<DocumentDraft>) => onChange({ ...draft, ...change });
  const update = (key: number, change: Partial<DraftLine>) =>
    set({ lines: draft.lines.map((l) => (l.key === key ? { ...l, ...change } : l)) });

  // The preview: the API's pricing over the lines that can be priced.
  const rates = new Map(workspace.taxRates.map((r) => [r.id, r]));
  const { lines, discount } = draftBody(draft, currency, catalog);
  const priceable = lines.filter((l) => Number.isInteger(l.quantity) && l.quantity > 0);
  const { priced, issues } = priceLines(
    priceable.map((l) => {
      const rate = l.taxRateId === null ? undefined : rates.get(l.taxRateId);
      return {
        quantity: l.quantity * QUANTITY_SCALE,
        unitPrice: l.unitPrice ?? l.listPrice,
        taxRateBp: rate?.rateBp ?? 0,
        taxInclusive: Boolean(rate?.isInclusive),
        ...('discountBp' in l ? { discountBp: l.discountBp } : {}),
        ...('discountAmount' in l ? { discountAmount: l.discountAmount } : {}),
      };
    }),
    discount,
  );

  return (
    <>
      <div className="filters">
        <CustomerSelect id={`${idPrefix}-customer`} label="Customer" value={draft.customer} onChange={(customer) => set({ customer })} />
        {active.length > 1 && (
          <label>
            Location
            <select value={draft.locationId} onChange={(e) => set({ locationId: e.target.value })} required>
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
          {dateLabel}
          <input type="date" value={draft.date} onChange={(e) => set({ date: e.target.value })} />
        </label>
      </div>
      <div className="table-scroll">
        <table className="data-table document-lines">
          <thead>
            <tr>
              <th>Product</th>
              <th>Quantity</th>
              <th>Price (empty: list price)</th>
              {mayDiscount && <th>Discount (10% or amount)</th>}
              <th />
            </tr>
          </thead>
          <tbody>
            {draft.lines.map((l, index) => (
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
                    placeholder={l.productId ? moneyInput(catalog.find((p) => String(p.id) === l.productId)?.unitPrice ?? 0, currency) : ''}
                    onChange={(e) => update(l.key, { price: e.target.value })}
                  />
                </td>
                {mayDiscount && (
                  <td>
                    <input
                      aria-label={`Discount of line ${index + 1}`}
                      value={l.discount}
                      aria-invalid={parseDiscount(l.discount, currency) === null || undefined}
                      onChange={(e) => update(l.key, { discount: e.target.value })}
                    />
                  </td>
                )}
                <td>
                  {draft.lines.length > 1 && (
                    <button
                      type="button"
                      className="secondary outline small"
                      aria-label={`Remove line ${index + 1}`}
                      onClick={() => set({ lines: draft.lines.filter((x) => x.key !== l.key) })}
                    >
                      ×
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="secondary outline small" onClick={() => set({ lines: [...draft.lines, newLine()] })}>
        Add line
      </button>
      {mayDiscount && (
        <label className="discount-field">
          Discount on the whole {idPrefix} <span className="muted">(10% or an amount; optional)</span>
          <input
            value={draft.discount}
            aria-invalid={parseDiscount(draft.discount, currency) === null || undefined}
            onChange={(e) => set({ discount: e.target.value })}
          />
        </label>
      )}
      <dl className="totals" aria-label="Totals">
        {priced.discountTotal > 0 && (
          <>
            <dt>Discounts</dt>
            <dd>−{money(priced.discountTotal)}</dd>
          </>
        )}
        <dt>Subtotal</dt>
        <dd>{money(priced.subtotal)}</dd>
        <dt>Tax</dt>
        <dd>{money(priced.tax)}</dd>
        <dt>Total</dt>
        <dd className="grand">{money(priced.total)}</dd>
      </dl>
      {issues.length > 0 && (
        <p className="field-error" role="status">
          A discount is more than what it comes off.
        </p>
      )}
      <label>
        Notes <span className="muted">(optional)</span>
        <textarea value={draft.notes} maxLength={5000} onChange={(e) => set({ notes: e.target.value })} />
      </label>
    </>
  );
}

/** The request body of a document from its draft (lines without the editor's own fields). */
export function documentRequest(draft: DocumentDraft, currency: string, catalog: readonly Product[]) {
  const { lines, discount, problems } = draftBody(draft, currency, catalog);
  return {
    problems,
    body: {
      ...(draft.locationId ? { locationId: Number(draft.locationId) } : {}),
      customerId: draft.customer?.id ?? null,
      notes: draft.notes.trim() || null,
      lines: lines.map(({ listPrice: _list, taxRateId: _rate, ...line }) => line),
      ...discount,
    },
  };
}
