import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { DataTable, ErrorNotice, Loading, moneyInput, Notice, parseMoney, seg } from '@salesfleet/ui';
import { locationName, useLocations } from '../api/queries';
import type { CreditNote, Customer, Invoice, Page, PaymentMethod } from '../api/types';
import { useApi, useApiWrite } from '../api/use-api';
import { CreditNoteForm } from '../components/credit-note-form';
import { Receipt } from '../components/receipt';
import { StatusBadge } from '../components/status-badge';
import { useSession } from '../lib/session-context';

export function InvoiceDetailScreen() {
  const { id = '' } = useParams();
  const { can, money, date, workspace } = useSession();
  const locations = useLocations();
  const invoice = useApi<{ invoice: Invoice }>(`/invoices/${seg(id)}`);
  const inv = invoice.data?.invoice;
  const customer = useApi<{ customer: Customer }>(`/customers/${inv?.customerId ?? 0}`, {
    enabled: Boolean(inv?.customerId) && can('sales.view_customer'),
  });
  const issue = useApiWrite<object>('POST', () => `/invoices/${seg(id)}/issue`, ['invoices', 'products', 'stock']);
  const voidIt = useApiWrite<{ reason: string }>('POST', () => `/invoices/${seg(id)}/void`, ['invoices', 'products', 'stock']);
  const remove = useApiWrite<object>('DELETE', () => `/invoices/${seg(id)}`, ['invoices']);
  const [confirmVoid, setConfirmVoid] = useState(false);
  const [crediting, setCrediting] = useState(false);
  const [credited, setCredited] = useState<CreditNote | null>(null);
  const notes = useApi<{ creditNotes: CreditNote[] } & Page>(`/credit-notes?invoiceId=${seg(id)}`, {
    // A paid invoice's credit is refunded, not applied (amountCredited stays 0): ask for any issued one.
    enabled: can('sales.view_credit_note') && (inv?.status === 'issued' || inv?.status === 'paid'),
  });
  const [reason, setReason] = useState('');

  if (invoice.isPending) return <Loading label="Loading the invoice…" />;
  if (invoice.isError)
    return <ErrorNotice error={invoice.error} title="Could not load the invoice" onRetry={() => void invoice.refetch()} />;
  const i = inv!;
  if (remove.isSuccess) {
    return (
      <section>
        <Notice kind="success">The draft was deleted.</Notice>
        <Link to="/invoices">Back to invoices</Link>
      </section>
    );
  }
  const print = () => {
    document.documentElement.dataset.paper = 'a4';
    window.print();
  };
  return (
    <section>
      <div className="page-head no-print">
        <h1>
          Invoice {i.number} <StatusBadge invoice={i} />
        </h1>
        <div className="actions">
          <button type="button" className="secondary" onClick={print}>
            Print
          </button>
          <a role="button" className="secondary" href={`/api/invoices/${seg(i.id)}/pdf`} download>
            Download PDF
          </a>
          {i.status === 'draft' && can('sales.add_invoice') && (
            <button type="button" onClick={() => issue.mutate({})} disabled={issue.isPending} aria-busy={issue.isPending}>
              Issue
            </button>
          )}
          {i.status === 'draft' && can('sales.delete_invoice') && (
            <button type="button" className="secondary outline" onClick={() => remove.mutate({})} disabled={remove.isPending}>
              Delete draft
            </button>
          )}
          {(i.status === 'issued' || i.status === 'paid') && can('sales.add_credit_note') && !crediting && (
            <button
              type="button"
              className="secondary outline"
              onClick={() => {
                setCredited(null);
                setCrediting(true);
              }}
            >
              Credit / refund…
            </button>
          )}
          {(i.status === 'issued' || i.status === 'paid') &&
            !credited &&
            !i.amountCredited &&
            !notes.data?.creditNotes.length &&
            can('sales.void_invoice') &&
            !confirmVoid && (
              <button type="button" className="danger outline" onClick={() => setConfirmVoid(true)}>
                Void…
              </button>
            )}
        </div>
      </div>
      {issue.isError && <ErrorNotice error={issue.error} title="Could not issue the invoice" />}
      {remove.isError && <ErrorNotice error={remove.error} title="Could not delete the draft" />}
      {confirmVoid && (
        <form
          className="no-print"
          onSubmit={(e) => {
            e.preventDefault();
            voidIt.mutate({ reason }, { onSuccess: () => setConfirmVoid(false) });
          }}
        >
          <Notice kind="warning" announce={false}>
            Voiding reverses the sale and its payments in the books and returns the stock. It cannot be undone.
          </Notice>
          <label>
            Reason <span className="muted">(optional)</span>
            <input value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
          </label>
          <div className="actions">
            <button type="submit" className="danger" disabled={voidIt.isPending}>
              Void invoice
            </button>
            <button type="button" className="secondary outline" onClick={() => setConfirmVoid(false)}>
              Keep it
            </button>
          </div>
          {voidIt.isError && <ErrorNotice error={voidIt.error} title="Could not void the invoice" />}
        </form>
      )}
      {crediting && (
        <CreditNoteForm
          invoice={i}
          onDone={(note) => {
            setCrediting(false);
            setCredited(note);
          }}
        />
      )}
      {credited && (
        <Notice kind="success">
          Credit note {credited.number} for {money(credited.total)}
          {credited.refunded > 0 ? `: ${money(credited.refunded)} to pay back by ${credited.refundMethod ?? 'cash'}` : ''}.
        </Notice>
      )}
      <dl className="facts no-print">
        <dt>Location</dt>
        <dd>{locationName(locations.data, i.locationId)}</dd>
        <dt>Customer</dt>
        <dd>{i.customerId ? (customer.data?.customer.name ?? `#${i.customerId}`) : 'Walk-in'}</dd>
        <dt>Total</dt>
        <dd>{money(i.total)}</dd>
        <dt>Paid</dt>
        <dd>{money(i.amountPaid)}</dd>
        {Boolean(i.amountCredited) && (
          <>
            <dt>Credited</dt>
            <dd>{money(i.amountCredited ?? 0)}</dd>
          </>
        )}
        <dt>Due</dt>
        <dd>{money(i.amountDue)}</dd>
      </dl>
      {notes.data && notes.data.creditNotes.length > 0 && (
        <DataTable
          label="Credit notes"
          rows={notes.data.creditNotes}
          rowKey={(n) => n.id}
          columns={[
            { header: 'Credit note', cell: (n) => n.number },
            { header: 'Date', cell: (n) => date(n.issueDate) },
            { header: 'Reason', cell: (n) => n.reason ?? '—' },
            { header: 'Total', cell: (n) => money(n.total), num: true },
            { header: 'Refunded', cell: (n) => (n.refunded ? money(n.refunded) : '—'), num: true },
          ]}
        />
      )}
      {i.status === 'issued' && i.amountDue > 0 && can('sales.add_payment') && <PaymentForm invoice={i} currency={workspace.currency} />}
      <Receipt invoice={i} customer={customer.data?.customer ?? null} locationName={locationName(locations.data, i.locationId)} />
    </section>
  );
}

function PaymentForm({ invoice, currency }: { invoice: Invoice; currency: string }) {
  const [amount, setAmount] = useState(moneyInput(invoice.amountDue, currency));
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [reference, setReference] = useState('');
  const pay = useApiWrite<{ amount: number; method: PaymentMethod; reference: string | null }>(
    'POST',
    () => `/invoices/${seg(invoice.id)}/payments`,
    ['invoices', 'dashboard'],
  );
  const minor = parseMoney(amount, currency);
  const problem = minor === null || minor <= 0 ? 'Enter an amount.' : minor > invoice.amountDue ? 'More than is owed.' : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (problem || minor === null) return;
    pay.mutate({ amount: minor, method, reference: reference.trim() || null }, { onSuccess: () => setReference('') });
  };
  return (
    <form className="no-print" onSubmit={submit} aria-label="Record a payment">
      <h2>Record a payment</h2>
      <div className="filters">
        <label>
          Amount
          <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} aria-invalid={problem ? true : undefined} />
        </label>
        <label>
          Method
          <select value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod)}>
            <option value="cash">Cash</option>
            <option value="card">Card</option>
            <option value="transfer">Transfer</option>
            <option value="other">Other</option>
          </select>
        </label>
        <label>
          Reference
          <input value={reference} maxLength={100} onChange={(e) => setReference(e.target.value)} />
        </label>
        <button type="submit" disabled={Boolean(problem) || pay.isPending}>
          Record payment
        </button>
      </div>
      {problem && amount && <small className="field-error">{problem}</small>}
      {pay.isError && <ErrorNotice error={pay.error} title="Could not record the payment" />}
    </form>
  );
}
