import { Op, QueryTypes, type WhereOptions } from 'sequelize';
import { salesByDay } from '../accounting/reports';
import { addReportAmounts, reportAmount, reportAmountBigInt, type ReportAmount } from '@salesfleet/contracts';
import { checkDate, sumAsText, toCents } from '../accounting/values';
import type { TenantModels } from '../model-types';
import { QUANTITY_SCALE, quantityNumber } from './quantity';

export interface DashboardOptions {
  /** The workspace's today (`YYYY-MM-DD`), in its time zone. */
  today: string;
  /** Only this location's sales, receivables and stock. */
  locationId?: number;
  /** Days in the chart, ending today (default 30). */
  days?: number;
  /** Stock at or below this many units is low (default 5). */
  lowStockAt?: number;
}

export interface DashboardSummary {
  today: string;
  from: string;
  locationId: number | null;
  sales: { today: ReportAmount; month: ReportAmount; todayCount: number; monthCount: number };
  receivables: { open: ReportAmount; count: number };
  lowStock: { productId: number; sku: string; name: string; locationId: number; quantity: number }[];
  /** Every day from `from` to `today`, days without sales as zero. */
  days: { date: string; total: ReportAmount; count: number }[];
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * The figures a manager opens the day with: today's and this month's sales, what customers owe,
 * products running out, and sales per day — three queries, the same definitions as the reports
 * (issued and paid invoices are sales; issued ones with money owed are receivables).
 */
export async function dashboardSummary(models: TenantModels, options: DashboardOptions): Promise<DashboardSummary> {
  const today = checkDate(options.today, 'today');
  const span = Math.min(Math.max(options.days ?? 30, 1), 366);
  const chartFrom = addDays(today, -(span - 1));
  const monthStart = `${today.slice(0, 8)}01`;
  const from = chartFrom < monthStart ? chartFrom : monthStart;
  const locationId = options.locationId;

  const rows = await salesByDay(models, { from, to: today, ...(locationId !== undefined ? { locationId } : {}) });
  const byDate = new Map(rows.map((r) => [r.date, r]));
  const days: DashboardSummary['days'] = [];
  for (let d = chartFrom; d <= today; d = addDays(d, 1))
    days.push({ date: d, total: byDate.get(d)?.total ?? 0, count: byDate.get(d)?.invoices ?? 0 });
  const month = rows.filter((r) => r.date >= monthStart);

  const replacements: Record<string, unknown> = {};
  let where = "i.status = 'issued'";
  if (locationId !== undefined) {
    replacements.locationId = locationId;
    where += ' AND i.location_id = :locationId';
  }
  const [open] = await models.sequelize.query<{ count: unknown; open: unknown }>(
    `SELECT COUNT(*) AS count, ${sumAsText(models.sequelize, 'i.total - i.amount_paid')} AS open FROM invoices i WHERE ${where}`,
    { type: QueryTypes.SELECT, replacements },
  );

  const threshold = options.lowStockAt ?? 5;
  // Stock levels hold thousandths (quantity.ts); the threshold and the answer are in units.
  const stockWhere: WhereOptions = {
    quantity: { [Op.lte]: threshold * QUANTITY_SCALE },
    ...(locationId !== undefined ? { locationId } : {}),
  };
  const low = await models.StockLevel.findAll({
    where: stockWhere,
    include: [{ model: models.Product, as: 'product', attributes: ['id', 'sku', 'name'], where: { isActive: true }, required: true }],
    order: [
      ['quantity', 'ASC'],
      ['id', 'ASC'],
    ],
    limit: 10,
  });

  return {
    today,
    from: chartFrom,
    locationId: locationId ?? null,
    sales: {
      today: byDate.get(today)?.total ?? 0,
      month: addReportAmounts(...month.map((r) => r.total)),
      todayCount: byDate.get(today)?.invoices ?? 0,
      monthCount: month.reduce((s, r) => s + r.invoices, 0),
    },
    receivables: { open: reportAmount(reportAmountBigInt(open?.open as string | null | undefined)), count: toCents(open?.count ?? 0) },
    lowStock: low.map((s) => ({
      productId: s.productId as number,
      sku: s.product?.sku ?? '',
      name: s.product?.name ?? '',
      locationId: s.locationId as number,
      quantity: quantityNumber(s.quantity),
    })),
    days,
  };
}
