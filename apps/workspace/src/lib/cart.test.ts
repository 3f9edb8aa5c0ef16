import { describe, expect, it } from 'vitest';
import { cartReducer, cartTotals, planPayment, type CartLine } from './cart';

const coffee = { id: 1, sku: 'COFFEE-250', name: 'Coffee beans', unitPrice: 1290 };
const gift = { id: 2, sku: 'GIFT', name: 'Gift card', unitPrice: 2500 };

describe('cart', () => {
  it('adds a product once and counts further scans as quantity', () => {
    let lines: CartLine[] = [];
    lines = cartReducer(lines, { type: 'add', product: coffee, taxRateBp: 2000 });
    lines = cartReducer(lines, { type: 'add', product: coffee, taxRateBp: 2000 });
    lines = cartReducer(lines, { type: 'add', product: gift, taxRateBp: 0 });
    expect(lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['COFFEE-250', 2],
      ['GIFT', 1],
    ]);
  });

  it('computes tax per line half up, like the API', () => {
    // 3 × 0.35 = 1.05 at 20 % → 0.21; 1 × 0.03 at 20 % = 0.006 → 0.01 (half up)
    const lines = [
      { productId: 1, sku: 'A', name: 'A', unitPrice: 35, listPrice: 35, quantity: 3, taxRateBp: 2000 },
      { productId: 2, sku: 'B', name: 'B', unitPrice: 3, listPrice: 3, quantity: 1, taxRateBp: 2000 },
      { productId: 3, sku: 'C', name: 'C', unitPrice: 2, listPrice: 2, quantity: 1, taxRateBp: 2000 },
    ];
    expect(cartTotals(lines)).toMatchObject({ subtotal: 110, tax: 21 + 1 + 0, total: 132, items: 5, lineTotals: [126, 4, 2] });
  });

  it('removes a line at quantity 0 and ignores quantities that are not whole numbers', () => {
    let lines = cartReducer([], { type: 'add', product: coffee, taxRateBp: 2000 });
    expect(cartReducer(lines, { type: 'quantity', productId: 1, quantity: 1.5 })[0]!.quantity).toBe(1);
    lines = cartReducer(lines, { type: 'quantity', productId: 1, quantity: 0 });
    expect(lines).toEqual([]);
  });

  it('keeps the list price beside a changed price', () => {
    let lines = cartReducer([], { type: 'add', product: coffee, taxRateBp: 2000 });
    lines = cartReducer(lines, { type: 'price', productId: 1, unitPrice: 1000 });
    expect(lines[0]).toMatchObject({ unitPrice: 1000, listPrice: 1290 });
  });
});

describe('planPayment', () => {
  it('gives change on cash and refuses too little', () => {
    expect(planPayment(1548, { kind: 'cash', given: 2000 })).toEqual({
      payments: [{ method: 'cash', amount: 1548, tendered: 2000 }],
      change: 452,
    });
    expect(planPayment(1548, { kind: 'cash', given: 1500 })).toEqual({ problem: 'The cash given is less than the total.' });
  });

  it('splits card and cash, the cash part with change', () => {
    expect(planPayment(5000, { kind: 'split', card: 3000, cash: 2500 })).toEqual({
      payments: [
        { method: 'card', amount: 3000 },
        { method: 'cash', amount: 2000, tendered: 2500 },
      ],
      change: 500,
    });
    expect('problem' in planPayment(5000, { kind: 'split', card: 3000, cash: 1000 })).toBe(true);
    expect('problem' in planPayment(5000, { kind: 'split', card: 6000, cash: 0 })).toBe(true);
  });

  it('sells on credit only to a known customer, with no payment', () => {
    expect(planPayment(5000, { kind: 'credit', customerId: null })).toEqual({ problem: 'Choose the customer who buys on credit.' });
    expect(planPayment(5000, { kind: 'credit', customerId: 7 })).toEqual({ payments: [], change: 0 });
  });
});

describe('inclusive tax rates', () => {
  it('takes the tax out of the price like the API: the shelf price is what the customer pays', () => {
    // 12.00 at an inclusive 20 %: 10.00 + 2.00 tax; 3 × 3.49 = 10.47 at 20 %: tax 1.745 → 1.75 (half up).
    const one = (unitPrice: number, quantity: number) =>
      cartTotals([{ productId: 1, sku: 'A', name: 'A', unitPrice, listPrice: unitPrice, quantity, taxRateBp: 2000, taxInclusive: true }]);
    expect(one(1200, 1)).toMatchObject({ subtotal: 1000, tax: 200, total: 1200 });
    expect(one(349, 3)).toMatchObject({ subtotal: 872, tax: 175, total: 1047 });
    const lines = cartReducer([], {
      type: 'add',
      product: { id: 1, sku: 'A', name: 'A', unitPrice: 1200 },
      taxRateBp: 2000,
      taxInclusive: true,
    });
    const mixed = cartReducer(lines, { type: 'add', product: { id: 2, sku: 'B', name: 'B', unitPrice: 1000 }, taxRateBp: 2000 });
    expect(cartTotals(mixed)).toMatchObject({ subtotal: 2000, tax: 400, total: 2400, items: 2 });
  });
});

describe('discounts at the till', () => {
  it('takes a line discount and the sale discount off before tax, as the API prices them', () => {
    let lines = cartReducer([], { type: 'add', product: coffee, taxRateBp: 2000, quantity: 2 });
    lines = cartReducer(lines, { type: 'add', product: gift, taxRateBp: 0 });
    // Coffee 2 × 12.90 = 25.80 less 10 % = 23.22 (2.58 off); gift card 25.00.
    lines = cartReducer(lines, { type: 'discount', productId: 1, discount: { discountBp: 1000 } });
    expect(cartTotals(lines)).toMatchObject({ discountTotal: 258, subtotal: 4822, tax: 464, total: 5286 });
    // 5.00 off the sale, shared in proportion: 23.22 → 2.41 (coffee), 25.00 → 2.59 (gift).
    const sale = cartTotals(lines, { discountAmount: 500 });
    expect(sale).toMatchObject({ discountTotal: 758, subtotal: 4322, total: 4322 + 416 });
    expect(sale.lineTotals).toEqual([2081 + 416, 2241]);
  });
});
