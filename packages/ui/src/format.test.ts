import { describe, expect, it } from 'vitest';
import { addDays, calendarDay, decimalAmount, formatDate, formatMoney, minorUnits, moneyInput, parseMoney } from './format';
import { toCsv } from './csv';

describe('money', () => {
  it('formats integer minor units in the currency and locale', () => {
    expect(formatMoney(123450, { currency: 'EUR', locale: 'en-IE' })).toBe('€1,234.50');
    expect(formatMoney(123450, { currency: 'EUR', locale: 'de-DE' })).toBe('1.234,50\u00a0€');
    expect(formatMoney(1500, { currency: 'JPY', locale: 'ja-JP' })).toBe('￥1,500');
    expect(formatMoney(-5, { currency: 'USD', locale: 'en-US' })).toBe('-$0.05');
    // Report totals past 2^53 come as decimal strings (contracts' ReportAmount) and are shown exactly.
    expect(formatMoney('10000000000000001', { currency: 'USD', locale: 'en-US' })).toBe('$100,000,000,000,000.01');
    expect(formatMoney('-9007199254740993', { currency: 'EUR', locale: 'de-DE' })).toBe('-90.071.992.547.409,93\u00a0€');
    expect(formatMoney(10n ** 20n + 7n, { currency: 'JPY', locale: 'en-US' })).toBe('¥100,000,000,000,000,000,007');
    // The largest safe number itself, which a float division by 100 would misprint.
    expect(formatMoney(Number.MAX_SAFE_INTEGER, { currency: 'USD', locale: 'en-US' })).toBe('$90,071,992,547,409.91');
    expect(() => formatMoney(0.5, { currency: 'USD' })).toThrow(RangeError);
  });

  it('knows each currency’s minor units', () => {
    expect([minorUnits('EUR'), minorUnits('JPY'), minorUnits('KWD')]).toEqual([2, 0, 3]);
  });

  it('parses typed amounts without floating point and refuses what is not an amount', () => {
    expect(parseMoney('12', 'EUR')).toBe(1200);
    expect(parseMoney('12.5', 'EUR')).toBe(1250);
    expect(parseMoney('12,50', 'EUR')).toBe(1250);
    expect(parseMoney('1 234.56', 'EUR')).toBe(123456);
    expect(parseMoney('0.29', 'EUR')).toBe(29); // 0.29 * 100 is 28.999… in floating point
    expect(parseMoney('1500', 'JPY')).toBe(1500);
    expect(parseMoney('1.5', 'JPY')).toBeNull();
    expect(parseMoney('12.345', 'EUR')).toBeNull();
    expect(parseMoney('-3', 'EUR')).toBeNull();
    expect(parseMoney('abc', 'EUR')).toBeNull();
    expect(parseMoney('', 'EUR')).toBeNull();
  });

  it('writes minor units back as an input value', () => {
    expect(moneyInput(1205, 'EUR')).toBe('12.05');
    expect(moneyInput(7, 'KWD')).toBe('0.007');
    expect(moneyInput(1500, 'JPY')).toBe('1500');
    expect([decimalAmount('-10000000000000001', 2), decimalAmount('9007199254740993', 0)]).toEqual([
      '-100000000000000.01',
      '9007199254740993',
    ]);
    expect([decimalAmount(123456, 2), decimalAmount(-5, 2), decimalAmount(1500, 0), decimalAmount(7, 3)]).toEqual([
      '1234.56',
      '-0.05',
      '1500',
      '0.007',
    ]);
  });
});

describe('dates', () => {
  it('shows a calendar date as that day in any time zone', () => {
    expect(formatDate('2026-03-01', { locale: 'en-GB', timeZone: 'Pacific/Auckland' })).toBe('1 Mar 2026');
    expect(formatDate('2026-03-01', { locale: 'en-GB', timeZone: 'America/Los_Angeles' })).toBe('1 Mar 2026');
  });

  it('puts an instant on the day of the given time zone', () => {
    const lateInLagos = new Date('2026-03-01T23:30:00Z');
    expect(calendarDay(lateInLagos, 'Africa/Lagos')).toBe('2026-03-02');
    expect(calendarDay(lateInLagos, 'UTC')).toBe('2026-03-01');
    expect(formatDate(lateInLagos.toISOString(), { locale: 'en-GB', timeZone: 'Africa/Lagos' })).toBe('2 Mar 2026');
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});

describe('toCsv', () => {
  it('quotes what needs quoting and neutralises spreadsheet formulas', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['=SUM(A1)', -12],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n\'=SUM(A1),-12\r\n');
  });
});
