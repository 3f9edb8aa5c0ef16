/**
 * Quantities are integers in thousandths of a unit (1.5 kg is 1500), read from and written as decimal
 * text — never by float arithmetic. The rule is shared by the API, the models and the browser apps.
 */

/** Thousandths per unit. */
export const QUANTITY_SCALE = 1000;
export const QUANTITY_DECIMALS = 3;

/** Largest quantity of one line or movement: one million units, in thousandths. */
export const MAX_QUANTITY = 1_000_000 * QUANTITY_SCALE;

const DECIMAL = /^([+-]?)(\d{1,12})(?:\.(\d{1,3}))?$/;

/**
 * Integer thousandths from a decimal written as text ("1.25", "-3", "0.005") or a JSON number
 * (whose shortest decimal text is read: 0.1 → "0.1" → 100). Null when it is not a decimal with at most
 * three decimals and twelve integer digits.
 */
export function parseQuantity(value: unknown): number | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    text = String(value);
  } else if (typeof value === 'string') text = value.trim();
  else return null;
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const units = BigInt(m[2]!) * BigInt(QUANTITY_SCALE) + BigInt((m[3] ?? '').padEnd(QUANTITY_DECIMALS, '0') || '0');
  const signed = m[1] === '-' ? -units : units;
  return Number(signed) === 0 ? 0 : Number(signed);
}

/** Thousandths as the shortest decimal text: 1500 → "1.5", 2000 → "2", -5 → "-0.005". */
export function formatQuantity(thousandths: number): string {
  const negative = thousandths < 0;
  const abs = BigInt(Math.abs(thousandths));
  const whole = abs / BigInt(QUANTITY_SCALE);
  const fraction = (abs % BigInt(QUANTITY_SCALE)).toString().padStart(QUANTITY_DECIMALS, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
