import { describe, expect, it } from 'vitest';
import { lineAmounts, sumCents, taxOn } from './tax';

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
