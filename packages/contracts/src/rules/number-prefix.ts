import { z } from 'zod';

/** 1–10 characters, ending in something other than a digit (so `INV-` + `000123` reads back unambiguously). */
export const NUMBER_PREFIX = /^[A-Za-z0-9][A-Za-z0-9/_.-]{0,8}[A-Za-z/_.-]$|^[A-Za-z/_.-]$/;
const PREFIX_MESSAGE = '1–10 letters, digits or / _ . -, not ending in a digit';
const DRAFT_MESSAGE = 'DRAFT is reserved for drafts';

/** What is wrong with a document-number prefix (invoices, credit notes, quotes, purchases), or null. */
export function numberPrefixProblem(value: unknown): string | null {
  if (typeof value !== 'string' || !NUMBER_PREFIX.test(value)) return PREFIX_MESSAGE;
  if (value.toUpperCase().startsWith('DRAFT')) return DRAFT_MESSAGE;
  return null;
}

export const numberPrefixSchema = z.string().superRefine((value, ctx) => {
  const problem = numberPrefixProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
