import { z } from 'zod';

export const EMAIL_MAX_LENGTH = 254;
// A local part of 1–64 characters, an @, and a domain of at least two non-empty labels. Deliverability
// is the mail server's business; this only refuses what cannot be an address.
const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/;
export const EMAIL_MESSAGE = 'must be an email address';

/** Whether `value` (already trimmed) is an email address we accept. */
export function isEmail(value: unknown): value is string {
  return typeof value === 'string' && value.length <= EMAIL_MAX_LENGTH && EMAIL.test(value);
}

/** Emails are compared and stored trimmed and lower-cased. */
export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** An email address in a request body (trimmed; case kept for display, compared lower-cased). */
export const emailSchema = z
  .string()
  .trim()
  .max(EMAIL_MAX_LENGTH, `at most ${EMAIL_MAX_LENGTH} characters`)
  .refine((value) => EMAIL.test(value), EMAIL_MESSAGE);
