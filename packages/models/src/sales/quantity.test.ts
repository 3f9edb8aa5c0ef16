import { describe, expect, it } from 'vitest';
import { centsFor, divideRounded, fitsDecimals, formatQuantity, parseQuantity, quantityNumber } from './quantity';

describe('quantities in integer thousandths', () => {
  it('reads decimal text and JSON numbers without float arithmetic', () => {
    expect(parseQuantity('1.5')).toBe(1500);
    expect(parseQuantity(1.5)).toBe(1500);
    expect(parseQuantity(0.1)).toBe(100);
    expect(parseQuantity('0.001')).toBe(1);
    expect(parseQuantity(-3)).toBe(-3000);
    expect(parseQuantity('2')).toBe(2000);
    expect(parseQuantity(1.005)).toBe(1005); // 1.005 × 1000 is 1004.9999999999999 in floats
    expect(parseQuantity(0.29)).toBe(290); // 0.29 × 1000 is 290.00000000000006
  });

  it('refuses more than three decimals, exponents and non-numbers', () => {
    for (const bad of ['1.0001', 1e21, 1e-7, '1e3', '', 'abc', Number.NaN, null, '1.']) expect(parseQuantity(bad)).toBeNull();
  });

  it('writes the shortest decimal text', () => {
    expect(formatQuantity(1500)).toBe('1.5');
    expect(formatQuantity(2000)).toBe('2');
    expect(formatQuantity(-5)).toBe('-0.005');
    expect(formatQuantity(0)).toBe('0');
    expect(quantityNumber(1250)).toBe(1.25);
  });

  it('checks a quantity against a unit’s decimals', () => {
    expect(fitsDecimals(2000, 0)).toBe(true);
    expect(fitsDecimals(2500, 0)).toBe(false);
    expect(fitsDecimals(2500, 1)).toBe(true);
    expect(fitsDecimals(2550, 1)).toBe(false);
    expect(fitsDecimals(2555, 3)).toBe(true);
  });

  it('rounds cents half away from zero', () => {
    expect(centsFor(1500, 1299)).toBe(1949);
    expect(centsFor(-1500, 1299)).toBe(-1949);
    expect(divideRounded(5n, 2n)).toBe(3);
    expect(divideRounded(-5n, 2n)).toBe(-3);
    expect(divideRounded(4n, 3n)).toBe(1);
  });
});
