import { type FormEvent, useState } from 'react';
import { CheckboxField, ErrorNotice, FormActions, isApiError, Notice, seg, TextField } from '@salesfleet/ui';
import type { CreditNote, Invoice, PaymentMethod } from '../api/types';
import { useApiWrite } from '../api/use-api';
import { positiveQuantity, quantityText, thousandths } from '../lib/quantity';
import { useSession } from '../lib/session-context';

/**
 * What a credit of some units of each line is worth, as the API computes it: the line's total in
 * proportion of the units, the last units taking exactly what is left (a preview; the server decides).
 */
export function creditPreview(invoice: Invoice, quantities: Record<number, number>): number {
  return invoice.lines.reduce((sum, line) => {
    const q = quantities[line.id] ?? 0;
    const all = thousandths(line.quantity);
    if (q <= 0 || all <= 0) return sum;
    return sum + (q >= all ? line.lineTotal : Math.round((line.lineTotal * q) / all));
  }, 0);
}

/** Credit an issued invoice by line (part or all of each); the rest of what was paid goes back as a refund. */
export function CreditNoteForm({ invoice, onDone }: { invoice: Invoice; onDone: (note: CreditNote | null) => void }) {
  const { money } = useSession();
  const [qty, setQty] = useState<Record<number, string>>({});
  const [restock, setRestock] = useState(true);
  const [reason, setReason] = useState('');
  const [refundMethod, setRefundMethod] = useState<PaymentMethod>('cash');
  const save = useApiWrite<Record<string, unknown>, { creditNote: CreditNote }>('POST', () => `/invoices/${seg(invoice.id)}/credit-notes`, [
    'invoices',
    'credit-notes',
    'products',
    'stock',
    'dashboard',
    'reports',
    'journal-entries',
  ]);
  const fields = isApiError(save.error) ? save.error.fieldErrors() : {};
  const parsed = Object.fromEntries(invoice.lines.map((l) => [l.id, qty[l.id]?.trim() ? positiveQuantity(qty[l.id] ?? '') : 0]));
  const invalid = invoice.lines.some((l) => parsed[l.id] === null || (parsed[l.id] ?? 0) > thousandths(l.quantity));
  const chosen = invoice.lines.filter((l) => (parsed[l.id] ?? 0) > 0);
  const value = creditPreview(invoice, parsed as Record<number, number>);
  const refund = Math.max(0, value - invoice.amountDue);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (invalid || chosen.length === 0) return;
    save.mutate(
      {
        lines: chosen.map((l) => ({ invoiceLineId: l.id, quantity: quantityText(parsed[l.id] ?? 0) })),
        restock,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(refund > 0 ? { refundMethod } : {}),
      },
      { onSuccess: (r) => onDone(r.creditNote) },
    );
  };
  return (
    <form className="no-print" onSubmit={submit} aria-label="Credit note">
      <h2>Credit or refund</h2>
      <p className="muted">Units coming back, per line. Leave a line empty to keep it.</p>
      <div className="filters">
        {invoice.lines.map((l) => {
          const q = parsed[l.id];
          return (
            <TextField
              key={l.id}
              id={`cn-${l.id}`}
              label={`${l.description} (of ${l.quantity})`}
              inputMode="decimal"
              value={qty[l.id] ?? ''}
              onValueChange={(v) => setQty((o) => ({ ...o, [l.id]: v }))}
              error={
                q === null
                  ? 'More than 0, at most 3 decimals'
                  : (q ?? 0) > thousandths(l.quantity)
                    ? `At most ${l.quantity}`
                    : chosen.includes(l)
                      ? fields[`lines.${chosen.indexOf(l)}.quantity`]
                      : undefined
              }
            />
          );
        })}
        <TextField id="cn-reason" label="Reason" value={reason} onValueChange={setReason} optional maxLength={200} />
      </div>
      <CheckboxField
        id="cn-restock"
        label="Put the goods back into stock"
        checked={restock}
        onCheckedChange={setRestock}
        hint="Untick for damaged goods: they are written off."
      />
      {chosen.length > 0 && (
        <Notice kind="info" announce={false}>
          Credit of about {money(value)}
          {refund > 0 ? `, of which ${money(refund)} is paid back` : ', taken off what is owed'}.
        </Notice>
      )}
      {refund > 0 && (
        <label>
          Refund by
          <select value={refundMethod} onChange={(e) => setRefundMethod(e.target.value as PaymentMethod)}>
            <option value="cash">Cash</option>
            <option value="card">Card</option>
            <option value="transfer">Transfer</option>
            <option value="other">Other</option>
          </select>
        </label>
      )}
      {save.isError && <ErrorNotice error={save.error} title="Could not credit the invoice" />}
      <FormActions submit="Create credit note" disabled={save.isPending || invalid || chosen.length === 0} onCancel={() => onDone(null)} />
    </form>
  );
}
