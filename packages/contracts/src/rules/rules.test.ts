import { describe, expect, it } from 'vitest';
import { emailSchema, isEmail } from './email';
import { isUsername, usernameSchema } from './username';
import { newPasswordSchema, PASSWORD_POLICY, validatePasswordStrength } from './password';
import { BARCODE_MAX_LENGTH, BARCODE_MESSAGE, BARCODE_PATTERN } from './codes';
import { ProductInputSchema } from '../schemas/sales';

describe('email', () => {
  it.each(['a@b.co', 'first.last+tag@example.com', 'x@sub.example.org'])('accepts %s', (email) => {
    expect(isEmail(email)).toBe(true);
    expect(emailSchema.parse(` ${email} `)).toBe(email);
  });
  it.each(['', 'a', 'a@b', '@b.co', 'a@.co', 'a@b.', 'a b@c.de', 'a@b..co', `${'x'.repeat(65)}@b.co`, `a@${'b'.repeat(250)}.co`])(
    'refuses %j',
    (email) => {
      expect(isEmail(email)).toBe(false);
      expect(emailSchema.safeParse(email).success).toBe(false);
    },
  );
});

describe('username', () => {
  it.each(['a', 'Admin', 'jane.doe', 'x@y.z', 'a_b+c-d', 'u'.repeat(150)])('accepts %s', (u) => {
    expect(isUsername(u)).toBe(true);
    expect(usernameSchema.parse(u)).toBe(u);
  });
  it.each(['', 'a b', 'jané', 'a/b', 'u'.repeat(151)])('refuses %j', (u) => {
    expect(isUsername(u)).toBe(false);
    expect(usernameSchema.safeParse(u).success).toBe(false);
  });
});

describe('password policy', () => {
  it('needs 12 characters and refuses the username', () => {
    expect(PASSWORD_POLICY.minLength).toBe(12);
    expect(validatePasswordStrength('short-pw')).toEqual([expect.stringContaining('at least 12')]);
    expect(validatePasswordStrength('janedoe-rules-2026', { username: 'janedoe' })).toEqual([expect.stringContaining('username')]);
    expect(validatePasswordStrength('a-fine-long-passphrase')).toEqual([]);
    expect(newPasswordSchema.safeParse('x'.repeat(11)).success).toBe(false);
    expect(newPasswordSchema.safeParse('x'.repeat(12)).success).toBe(true);
  });
});

describe('barcode', () => {
  const body = { sku: 'TEA-1', name: 'Tea', unitPrice: 250 };
  it.each(['4001234567890', 'INT-0042', ''])('accepts %j in a product body (empty: none)', (barcode) => {
    expect(BARCODE_PATTERN.test(barcode)).toBe(true);
    expect(ProductInputSchema.safeParse({ ...body, barcode }).success).toBe(true);
  });
  it.each(['400 123', 'ab/cd', 'é12', 'x'.repeat(BARCODE_MAX_LENGTH + 1)])('refuses %j with the one message', (barcode) => {
    const result = ProductInputSchema.safeParse({ ...body, barcode });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(barcode.length > BARCODE_MAX_LENGTH ? /64/ : BARCODE_MESSAGE);
  });
});
