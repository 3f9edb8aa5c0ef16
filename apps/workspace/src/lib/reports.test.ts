import { describe, expect, it } from 'vitest';
import { csvAmount, presetRange, reportCsv } from './reports';

describe('report ranges', () => {
  it('names the ranges relative to the workspace’s today', () => {
    expect(presetRange('month', '2026-03-15')).toEqual({ from: '2026-03-01', to: '2026-03-15' });
    expect(presetRange('last-month', '2026-03-15')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(presetRange('last-month', '2026-01-10')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetRange('year', '2026-03-15')).toEqual({ from: '2026-01-01', to: '2026-03-15' });
    expect(presetRange('30-days', '2026-03-15')).toEqual({ from: '2026-02-14', to: '2026-03-15' });
  });
});

describe('report CSV', () => {
  it('writes amounts as plain decimals in the currency’s minor units', () => {
    expect([csvAmount(123456, 2), csvAmount(-5, 2), csvAmount(1500, 0), csvAmount(7, 3)]).toEqual(['1234.56', '-0.05', '1500', '0.007']);
  });

  it('has one row per location with the figures', () => {
    const csv = reportCsv(
      'sales-by-location',
      { locations: [{ locationId: 1, code: 'MAIN', name: 'Main', invoices: 2, subtotal: 2000, tax: 400, total: 2400 }] },
      2,
    );
    expect(csv).toEqual({
      header: ['code', 'location', 'invoices', 'subtotal', 'tax', 'total'],
      rows: [['MAIN', 'Main', 2, '20.00', '4.00', '24.00']],
    });
  });

  it('ends a trial balance with its totals', () => {
    const csv = reportCsv(
      'trial-balance',
      {
        accounts: [{ code: '1000', name: 'Cash', type: 'asset', debit: 100, credit: 0, balance: 100 }],
        totals: { debit: 100, credit: 100 },
        balanced: true,
      },
      2,
    );
    expect(csv.rows.at(-1)).toEqual(['', 'Total', '', '1.00', '1.00']);
  });
});
