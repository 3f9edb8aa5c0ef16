import { describe, expect, it } from 'vitest';
import { presetRange, reportCsv } from './reports';

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
  it('writes totals past 2^53 cents (the API sends them as decimal strings) exactly', () => {
    const csv = reportCsv(
      'trial-balance',
      {
        accounts: [
          { code: '1100', name: 'Accounts receivable', type: 'asset', debit: '10000000000000001', credit: 0, balance: '10000000000000001' },
          { code: '4000', name: 'Sales revenue', type: 'income', debit: 0, credit: '10000000000000001', balance: '-10000000000000001' },
        ],
        totals: { debit: '10000000000000001', credit: '10000000000000001' },
        balanced: true,
      },
      2,
    );
    expect(csv.rows).toEqual([
      ['1100', 'Accounts receivable', 'asset', '100000000000000.01', '0.00'],
      ['4000', 'Sales revenue', 'income', '0.00', '100000000000000.01'],
      ['', 'Total', '', '100000000000000.01', '100000000000000.01'],
    ]);
  });

  it('writes the payables ageing per supplier with its bills, like the receivables per customer', () => {
    const amounts = { '0-30': 1000, '31-60': 0, '61-90': 250, '90+': 0, total: 1250 };
    const csv = reportCsv(
      'payables-ageing',
      { asOf: '2026-03-10', suppliers: [{ supplierId: 7, name: 'Roastery', bills: 2, ...amounts }], totals: amounts },
      2,
    );
    expect(csv).toEqual({
      header: ['supplier', 'bills', '0-30', '31-60', '61-90', '90+', 'total'],
      rows: [
        ['Roastery', 2, '10.00', '0.00', '2.50', '0.00', '12.50'],
        ['Total', '', '10.00', '0.00', '2.50', '0.00', '12.50'],
      ],
    });
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

describe('positions and ranges', () => {
  it('asks a balance sheet and an ageing as of the range’s last day, the others for the range', async () => {
    const { reportQuery } = await import('./reports');
    expect(reportQuery('balance-sheet', '2026-03-01', '2026-03-31')).toEqual({ asOf: '2026-03-31' });
    expect(reportQuery('receivables-ageing', '2026-03-01', '2026-03-31')).toEqual({ asOf: '2026-03-31' });
    expect(reportQuery('tax', '2026-03-01', '2026-03-31')).toEqual({ from: '2026-03-01', to: '2026-03-31' });
  });

  it('writes an ageing with one column per bucket the API gives', () => {
    const csv = reportCsv(
      'receivables-ageing',
      {
        asOf: '2026-03-31',
        customers: [{ customerId: 1, name: 'Ada', invoices: 2, '0-30': 500, '31-60': 0, '61-90': 0, '90+': 100, total: 600 }],
        totals: { '0-30': 500, '31-60': 0, '61-90': 0, '90+': 100, total: 600 },
      },
      2,
    );
    expect(csv.header).toEqual(['customer', 'invoices', '0-30', '31-60', '61-90', '90+', 'total']);
    expect(csv.rows[0]).toEqual(['Ada', 2, '5.00', '0.00', '0.00', '1.00', '6.00']);
  });
});
