import { z } from 'zod';

/**
 * ISO 4217 currency codes and their minor units (digits after the decimal point): amounts are stored
 * as integers of the minor unit, so the books of a JPY tenant count yen and those of a KWD tenant
 * count fils. Browser-safe (no imports): the workspace app formats money with it, the API's settings schema checks
 * codes with it.
 * The list is the active codes of ISO 4217 (funds and precious metals left out).
 */
export const CURRENCY_MINOR_UNITS: Readonly<Record<string, number>> = Object.freeze({
  AED: 2,
  AFN: 2,
  ALL: 2,
  AMD: 2,
  ANG: 2,
  AOA: 2,
  ARS: 2,
  AUD: 2,
  AWG: 2,
  AZN: 2,
  BAM: 2,
  BBD: 2,
  BDT: 2,
  BGN: 2,
  BHD: 3,
  BIF: 0,
  BMD: 2,
  BND: 2,
  BOB: 2,
  BRL: 2,
  BSD: 2,
  BTN: 2,
  BWP: 2,
  BYN: 2,
  BZD: 2,
  CAD: 2,
  CDF: 2,
  CHF: 2,
  CLP: 0,
  CNY: 2,
  COP: 2,
  CRC: 2,
  CUP: 2,
  CVE: 2,
  CZK: 2,
  DJF: 0,
  DKK: 2,
  DOP: 2,
  DZD: 2,
  EGP: 2,
  ERN: 2,
  ETB: 2,
  EUR: 2,
  FJD: 2,
  FKP: 2,
  GBP: 2,
  GEL: 2,
  GHS: 2,
  GIP: 2,
  GMD: 2,
  GNF: 0,
  GTQ: 2,
  GYD: 2,
  HKD: 2,
  HNL: 2,
  HTG: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  IQD: 3,
  IRR: 2,
  ISK: 0,
  JMD: 2,
  JOD: 3,
  JPY: 0,
  KES: 2,
  KGS: 2,
  KHR: 2,
  KMF: 0,
  KPW: 2,
  KRW: 0,
  KWD: 3,
  KYD: 2,
  KZT: 2,
  LAK: 2,
  LBP: 2,
  LKR: 2,
  LRD: 2,
  LSL: 2,
  LYD: 3,
  MAD: 2,
  MDL: 2,
  MGA: 2,
  MKD: 2,
  MMK: 2,
  MNT: 2,
  MOP: 2,
  MRU: 2,
  MUR: 2,
  MVR: 2,
  MWK: 2,
  MXN: 2,
  MYR: 2,
  MZN: 2,
  NAD: 2,
  NGN: 2,
  NIO: 2,
  NOK: 2,
  NPR: 2,
  NZD: 2,
  OMR: 3,
  PAB: 2,
  PEN: 2,
  PGK: 2,
  PHP: 2,
  PKR: 2,
  PLN: 2,
  PYG: 0,
  QAR: 2,
  RON: 2,
  RSD: 2,
  RUB: 2,
  RWF: 0,
  SAR: 2,
  SBD: 2,
  SCR: 2,
  SDG: 2,
  SEK: 2,
  SGD: 2,
  SHP: 2,
  SLE: 2,
  SOS: 2,
  SRD: 2,
  SSP: 2,
  STN: 2,
  SVC: 2,
  SYP: 2,
  SZL: 2,
  THB: 2,
  TJS: 2,
  TMT: 2,
  TND: 3,
  TOP: 2,
  TRY: 2,
  TTD: 2,
  TWD: 2,
  TZS: 2,
  UAH: 2,
  UGX: 0,
  USD: 2,
  UYU: 2,
  UZS: 2,
  VES: 2,
  VND: 0,
  VUV: 0,
  WST: 2,
  XAF: 0,
  XCD: 2,
  XOF: 0,
  XPF: 0,
  YER: 2,
  ZAR: 2,
  ZMW: 2,
  ZWG: 2,
});

export type CurrencyCode = string;

export const CURRENCY_MESSAGE = 'an ISO 4217 currency code such as EUR';
export const LOCALE_MESSAGE = 'a BCP 47 locale such as en-GB';
export const TIME_ZONE_MESSAGE = 'an IANA time zone such as Africa/Lagos';

export const CURRENCY_CODES: readonly string[] = Object.freeze(Object.keys(CURRENCY_MINOR_UNITS).sort());

export function isCurrencyCode(code: unknown): code is CurrencyCode {
  return typeof code === 'string' && Object.hasOwn(CURRENCY_MINOR_UNITS, code);
}

/** Digits after the decimal point of `code` (2 for EUR, 0 for JPY, 3 for KWD). */
export function currencyMinorUnits(code: CurrencyCode): number {
  const units = CURRENCY_MINOR_UNITS[code];
  if (units === undefined) throw new RangeError(`not an ISO 4217 currency code: ${code}`);
  return units;
}

/** Whether `zone` is an IANA time zone name the runtime knows (`Europe/Paris`, `Africa/Lagos`, `UTC`). */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  // Offsets (`+01:00`) are accepted by newer Intl versions but are not IANA names.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Whether `locale` is a well-formed BCP 47 tag (`en-GB`, `fr`, `pt-BR`). */
export function isLocaleTag(locale: unknown): locale is string {
  if (typeof locale !== 'string' || locale.length === 0 || locale.length > 35) return false;
  try {
    return Intl.getCanonicalLocales(locale).length === 1;
  } catch {
    return false;
  }
}

export const currencyCodeSchema = z.string().refine(isCurrencyCode, CURRENCY_MESSAGE).describe('ISO 4217');
export const localeSchema = z.string().refine(isLocaleTag, LOCALE_MESSAGE).describe('BCP 47');
export const timeZoneSchema = z.string().refine(isTimeZone, TIME_ZONE_MESSAGE).describe('IANA');
