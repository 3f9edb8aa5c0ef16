import type { InvoiceStatus } from '../api/types';

const KIND: Record<InvoiceStatus, string> = { draft: 'badge-muted', issued: 'badge-warn', paid: 'badge-good', void: 'badge-bad' };
const LABEL: Record<InvoiceStatus, string> = { draft: 'Draft', issued: 'Unpaid', paid: 'Paid', void: 'Void' };

export function StatusBadge({ status }: { status: InvoiceStatus }) {
  return <span className={`badge ${KIND[status]}`}>{LABEL[status]}</span>;
}
