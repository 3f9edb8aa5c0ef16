import type { Customer, Invoice } from '../api/types';
import { useSession } from '../lib/session-context';

const METHOD: Record<string, string> = { cash: 'Cash', card: 'Card', transfer: 'Transfer', other: 'Other' };

/**
 * The printed document of a sale or invoice. On screen it is a preview; the print stylesheet shows
 * only it, on an 80 mm roll or an A4 page (`data-paper` on <html>, set by the print buttons).
 */
export function Receipt({
  invoice,
  customer,
  change = 0,
  locationName,
  servedBy,
}: {
  invoice: Invoice;
  customer: Customer | null;
  change?: number;
  locationName: string;
  /** The cashier's name, on a receipt printed at the till. */
  servedBy?: string;
}) {
  const { workspace, money, date, dateTime } = useSession();
  return (
    <article className="receipt print-area" aria-label={`Receipt ${invoice.number}`}>
      <header>
        <h2>{workspace.name}</h2>
        <p>{locationName}</p>
        <p>
          {invoice.status === 'draft' ? 'Draft' : 'Invoice'} <strong>{invoice.number}</strong>
          <br />
          {date(invoice.issueDate)} · printed {dateTime(new Date().toISOString())}
        </p>
        {customer && (
          <p>
            Customer: {customer.name}
            {customer.taxNumber ? ` · ${customer.taxNumber}` : ''}
          </p>
        )}
        {invoice.status === 'void' && <p className="void-mark">VOID</p>}
      </header>
      <table>
        <thead>
          <tr>
            <th>Item</th>
            <th className="num">Qty</th>
            <th className="num">Price</th>
            <th className="num">Amount</th>
          </tr>
        </thead>
        <tbody>
          {invoice.lines.map((l) => (
            <tr key={l.id}>
              <td>{l.description}</td>
              <td className="num">{l.quantity}</td>
              <td className="num">{money(l.unitPrice)}</td>
              <td className="num">{money(l.lineSubtotal)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="totals">
        <dt>Subtotal</dt>
        <dd>{money(invoice.subtotal)}</dd>
        <dt>Tax</dt>
        <dd>{money(invoice.tax)}</dd>
        <dt>Total</dt>
        <dd className="grand">{money(invoice.total)}</dd>
        {invoice.payments.map((p) => (
          <PaymentRow key={p.id} label={`Paid (${METHOD[p.method] ?? p.method})`} value={money(p.amount)} />
        ))}
        {change > 0 && <PaymentRow label="Change" value={money(change)} />}
        {invoice.amountDue > 0 && <PaymentRow label="Amount due" value={money(invoice.amountDue)} />}
      </dl>
      <footer>
        <p>{servedBy ? `Served by ${servedBy}. ` : ''}Thank you!</p>
      </footer>
    </article>
  );
}

function PaymentRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
