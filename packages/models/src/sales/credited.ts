import { QueryTypes, type Transaction } from 'sequelize';
import type { Invoice, TenantModels } from '../model-types';

/**
 * Sets each invoice's creditedTotal: what its credit notes add up to, applied or refunded (one grouped
 * query). The invoice's status says whether it is paid; this says how much of it was taken back.
 */
export async function withCreditedTotals<T extends Invoice>(models: TenantModels, invoices: T[], transaction?: Transaction): Promise<T[]> {
  if (invoices.length === 0) return invoices;
  const rows = await models.sequelize.query<{ invoice_id: number; credited: number | string }>(
    'SELECT invoice_id, SUM(total) AS credited FROM credit_notes WHERE invoice_id IN (:ids) GROUP BY invoice_id',
    { replacements: { ids: invoices.map((i) => i.id) }, type: QueryTypes.SELECT, ...(transaction ? { transaction } : {}) },
  );
  const credited = new Map(rows.map((r) => [Number(r.invoice_id), Number(r.credited)]));
  for (const invoice of invoices) invoice.creditedTotal = credited.get(invoice.id) ?? 0;
  return invoices;
}
