import { describe, expect, it } from 'vitest';
import { parseDiscount } from './discount';

describe('parseDiscount', () => {
  it('reads a percentage as basis points and an amount as minor units', () => {
    expect(parseDiscount('10%', 'EUR')).toEqual({ discountBp: 1000 });
    expect(parseDiscount(' 12.5 % ', 'EUR')).toEqual({ discountBp: 1250 });
    expect(parseDiscount('100%', 'EUR')).toEqual({ discountBp: 10000 });
    expect(parseDiscount('2.50', 'EUR')).toEqual({ discountAmount: 250 });
    expect(parseDiscount('300', 'JPY')).toEqual({ discountAmount: 300 });
    expect(parseDiscount('', 'EUR')).toEqual({});
    expect(parseDiscount('0%', 'EUR')).toEqual({});
  });

  it('refuses what is neither', () => {
    expect(parseDiscount('101%', 'EUR')).toBeNull();
    expect(parseDiscount('ten', 'EUR')).toBeNull();
    expect(parseDiscount('1.234%', 'EUR')).toBeNull();
  });
});
