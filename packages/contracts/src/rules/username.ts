import { z } from 'zod';

export const USERNAME_MAX_LENGTH = 150;
// Django's rule, which the system this replaces used: existing usernames keep working.
const USERNAME = /^[A-Za-z0-9_.@+-]{1,150}$/;
export const USERNAME_MESSAGE = 'use 1–150 of letters, digits and _ . @ + -';

/** Whether `value` (already trimmed) is a username we accept, for tenant users and platform admins alike. */
export function isUsername(value: unknown): value is string {
  return typeof value === 'string' && USERNAME.test(value);
}

export const usernameSchema = z
  .string()
  .trim()
  .min(1, 'required')
  .max(USERNAME_MAX_LENGTH, `at most ${USERNAME_MAX_LENGTH} characters`)
  .refine((value) => USERNAME.test(value), USERNAME_MESSAGE);
