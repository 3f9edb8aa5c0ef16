import type { InvoiceSummary } from '../api/types';

type Shown = Pick<InvoiceSummary, 'status' | 'amountPaid' | 'creditStatus'>;

/**
 * What an invoice's badge says, from the API's status, what was paid and what its credit notes took
 * back: a paid invoice credited in part says so, one credited in full is "Credited", never "Paid".
 */
export function invoiceStatusLabel(i: Shown): { label: string; kind: string } {
  if (i.status === 'draft') return { label: 'Draft', kind: 'badge-muted' };
  if (i.status === 'void') return { label: 'Void', kind: 'badge-bad' };
  if (i.creditStatus === 'full') return { label: 'Credited', kind: 'badge-info' };
  const part = i.creditStatus === 'partial' ? ' · part credited' : '';
  if (i.status === 'paid') return { label: `Paid${part}`, kind: 'badge-good' };
  return { label: `${i.amountPaid > 0 ? 'Part paid' : 'Unpaid'}${part}`, kind: 'badge-warn' };
}

export function StatusBadge({ invoice }: { invoice: Shown }) {
  const { label, kind } = invoiceStatusLabel(invoice);
  return <span className={`badge ${kind}`}>{label}</span>;
}
