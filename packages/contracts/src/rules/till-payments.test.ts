import { describe, expect, it } from 'vitest';
import { settleTillPayments } from './till-payments';

describe('settleTillPayments', () => {
  it('takes a single payment for the whole total and computes cash change', () => {
    expect(settleTillPayments(1250, [{ method: 'cash', tendered: 2000 }])).toEqual({
      ok: true,
      settlement: { paid: 1250, payments: [{ method: 'cash', amount: 1250, reference: null }], change: 750 },
    });
  });

  it('splits card and cash, change only from the cash part, and leaves the rest owed when short', () => {
    const split = settleTillPayments(1000, [
      { method: 'card', amount: 600, reference: ' auth 1 ' },
      { method: 'cash', amount: 400, tendered: 500 },
    ]);
    expect(split).toEqual({
      ok: true,
      settlement: {
        paid: 1000,
        payments: [
          { method: 'card', amount: 600, reference: 'auth 1' },
          { method: 'cash', amount: 400, reference: null },
        ],
        change: 100,
      },
    });
    const part = settleTillPayments(1000, [
      { method: 'cash', amount: 300 },
      { method: 'card', amount: 200 },
    ]);
    expect(part.ok && part.settlement.paid).toBe(500);
  });

  it('refuses parts that exceed the total, lack an amount, or tender less than their amount or by card', () => {
    const paths = (r: ReturnType<typeof settleTillPayments>) => (r.ok ? [] : r.issues.map((i) => i.path));
    expect(
      paths(
        settleTillPayments(1000, [
          { method: 'card', amount: 600 },
          { method: 'cash', amount: 401 },
        ]),
      ),
    ).toEqual(['payments']);
    expect(paths(settleTillPayments(1000, [{ method: 'cash', amount: 1001 }]))).toEqual(['payments.0.amount']);
    expect(paths(settleTillPayments(1000, [{ method: 'card' }, { method: 'cash', amount: 400 }]))).toEqual(['payments.0.amount']);
    expect(paths(settleTillPayments(1000, [{ method: 'cash', amount: 400, tendered: 399 }]))).toEqual(['payments.0.tendered']);
    expect(paths(settleTillPayments(1000, [{ method: 'card', amount: 400, tendered: 500 }], () => 'payment.'))).toEqual([
      'payment.tendered',
    ]);
  });
});
