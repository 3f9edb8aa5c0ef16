import { describe, expect, it } from 'vitest';
import { allocateProportionally, lineAmounts, priceLines, sumCents, taxOn } from './pricing';

describe('tax arithmetic (integer cents, half-up per line)', () => {
  it('rounds half-up to the cent', () => {
    expect(taxOn(1000, 2000)).toBe(200); // exact
    expect(taxOn(25, 2000)).toBe(5); // 5.0
    expect(taxOn(1, 5000)).toBe(1); // 0.5 → 1
    expect(taxOn(3, 1500)).toBe(0); // 0.45 → 0
    expect(taxOn(7, 5000)).toBe(4); // 3.5 → 4
    expect(taxOn(999, 825)).toBe(82); // 82.4175 → 82
    expect(taxOn(1010, 825)).toBe(83); // 83.325 → 83
    expect(taxOn(1030, 825)).toBe(85); // 84.975 → 85
    expect(taxOn(0, 2000)).toBe(0);
    expect(taxOn(1234, 0)).toBe(0);
  });

  it('stays exact where floating point would not', () => {
    // 0.1 × 3 style errors: 1.15 × 100 = 114.99999999999999 in floats.
    expect(taxOn(115, 10_000)).toBe(115);
    const big = Number.MAX_SAFE_INTEGER - 1;
    expect(taxOn(big, 10_000)).toBe(big);
    expect(taxOn(big, 1)).toBe(Number((BigInt(big) + 5000n) / 10000n));
  });

  it('computes a line as quantity × price, then tax on the line subtotal', () => {
    expect(lineAmounts(3000, 333, 2000)).toEqual({ lineSubtotal: 999, lineTax: 200, lineTotal: 1199 });
    expect(lineAmounts(1000, 0, 2000)).toEqual({ lineSubtotal: 0, lineTax: 0, lineTotal: 0 });
  });

  it('prices decimal quantities (thousandths) half-up to the cent', () => {
    expect(lineAmounts(1500, 1299, 0).lineSubtotal).toBe(1949); // 1.5 × 12.99 = 19.485 → 19.49
    expect(lineAmounts(250, 998, 0).lineSubtotal).toBe(250); // 0.25 × 9.98 = 2.495 → 2.50
    expect(lineAmounts(1, 1, 0).lineSubtotal).toBe(0); // 0.001 × 0.01 → 0
    expect(lineAmounts(333, 300, 2000)).toEqual({ lineSubtotal: 100, lineTax: 20, lineTotal: 120 }); // 0.999 → 99.9 → 100
  });

  it('refuses fractional or negative inputs and amounts past the safe range', () => {
    expect(() => taxOn(1.5, 2000)).toThrow(RangeError);
    expect(() => taxOn(-1, 2000)).toThrow(RangeError);
    expect(() => taxOn(100, 10_001)).toThrow(RangeError);
    expect(() => lineAmounts(0, 100, 0)).toThrow(RangeError);
    expect(() => lineAmounts(2000, Number.MAX_SAFE_INTEGER, 0)).toThrow(/too large/);
    expect(() => sumCents([Number.MAX_SAFE_INTEGER, 1])).toThrow(/too large/);
    expect(sumCents([1, 2, 3])).toBe(6);
  });
});

describe('priceLines: discounts and tax-inclusive prices', () => {
  const line = (over: Partial<Parameters<typeof priceLines>[0][number]> = {}) => ({
    quantity: 1000,
    unitPrice: 1000,
    taxRateBp: 2000,
    taxInclusive: false,
    ...over,
  });

  it('takes a line percentage or amount off before tax', () => {
    const { priced, issues } = priceLines([line({ discountBp: 1000 }), line({ discountAmount: 250 })]);
    expect(issues).toEqual([]);
    expect(priced.lines.map((l) => [l.gross, l.discountAmount, l.lineSubtotal, l.lineTax, l.lineTotal])).toEqual([
      [1000, 100, 900, 180, 1080],
      [1000, 250, 750, 150, 900],
    ]);
    expect(priced).toMatchObject({ discountTotal: 350, subtotal: 1650, tax: 330, total: 1980 });
  });

  it('shares an invoice discount over the lines so they add up to it, leftover cents to the largest remainders', () => {
    // 100 cents over 3 equal lines: 33 each, the leftover cent to the first (ties go to the earlier line).
    const { priced } = priceLines([line({ taxRateBp: 0 }), line({ taxRateBp: 0 }), line({ taxRateBp: 0 })], { discountAmount: 100 });
    expect(priced.lines.map((l) => l.invoiceDiscount)).toEqual([34, 33, 33]);
    expect(priced.total).toBe(2900);
    expect(allocateProportionally(10, [1, 2, 3])).toEqual([2, 3, 5]); // 1.67, 3.33, 5 → 1,3,5 + the cent to 1.67
    expect(allocateProportionally(0, [5, 5])).toEqual([0, 0]);
    // 10 % of the invoice is 10 % of its lines after their own discounts, half-up.
    const pct = priceLines([line({ unitPrice: 333, taxRateBp: 0 }), line({ unitPrice: 999, discountBp: 5000, taxRateBp: 0 })], {
      discountBp: 1000,
    });
    expect(pct.priced.discountAmount).toBe(83); // 50 % of 999 = 499.5 → 500 off; (333 + 499) × 10 % = 83.2 → 83
    expect(pct.priced.lines.reduce((a, l) => a + l.invoiceDiscount, 0)).toBe(83);
    expect(pct.priced.discountTotal).toBe(500 + 83);
  });

  it('derives net and tax from a tax-inclusive price exactly: net + tax = what the customer pays', () => {
    const { priced } = priceLines([line({ unitPrice: 1200, taxInclusive: true })]);
    expect(priced.lines[0]).toMatchObject({ lineSubtotal: 1000, lineTax: 200, lineTotal: 1200 });
    // 9.99 at 20 % inclusive: tax = 999 × 2000 / 12000 = 166.5 → 167 (half-up), net 832.
    const odd = priceLines([line({ unitPrice: 999, taxInclusive: true }), line({ unitPrice: 500, taxInclusive: true, discountBp: 1000 })]);
    expect(odd.priced.lines.map((l) => [l.lineSubtotal, l.lineTax, l.lineTotal])).toEqual([
      [832, 167, 999],
      [375, 75, 450],
    ]);
    expect(odd.priced.total).toBe(1449);
  });

  it('reports a discount larger than what it discounts', () => {
    const { issues } = priceLines([line({ discountAmount: 1001 })]);
    expect(issues.map((i) => i.path)).toEqual(['lines.0.discountAmount']);
    expect(priceLines([line()], { discountAmount: 1001 }).issues.map((i) => i.path)).toEqual(['discountAmount']);
  });
});
