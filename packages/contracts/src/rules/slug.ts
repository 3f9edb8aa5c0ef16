import { z } from 'zod';
import { SlugInvalid } from '../errors/classes';
import { RESERVED_LABELS } from './reserved-labels';

export const SLUG_MAX_LENGTH = 63;
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * What is wrong with a tenant subdomain, or null when it is valid: 1–63 characters of a-z, 0-9 and
 * '-', no leading/trailing '-', no `xx--` prefix (IDNA), not reserved. Nothing is normalised: `Acme`
 * is refused (with the lower-case suggestion), not lower-cased behind the caller's back.
 */
export function slugProblem(slug: unknown): string | null {
  if (typeof slug !== 'string' || slug.length === 0) return 'the subdomain is empty';
  const shown = JSON.stringify(slug.length > 70 ? `${slug.slice(0, 70)}…` : slug);
  if (slug.length > SLUG_MAX_LENGTH) return `${shown} is longer than ${SLUG_MAX_LENGTH} characters`;
  if (slug !== slug.toLowerCase() && SLUG.test(slug.toLowerCase()))
    return `${shown} has upper-case letters; use lowercase: "${slug.toLowerCase()}"`;
  if (!SLUG.test(slug))
    return `${shown} may contain only lowercase letters a–z, digits 0–9 and hyphens, and cannot start or end with a hyphen`;
  if (slug.length >= 4 && slug[2] === '-' && slug[3] === '-') {
    return `${shown} must not have '--' in the third and fourth position (reserved for IDN)`;
  }
  if (RESERVED_LABELS.has(slug)) return `${shown} is reserved`;
  return null;
}

/** Returns the slug when it is a valid tenant subdomain; throws `SlugInvalid` (a ValidationFailed) otherwise. */
export function validateSlug(slug: unknown): string {
  const problem = slugProblem(slug);
  if (problem !== null) throw new SlugInvalid(typeof slug === 'string' ? slug : String(slug ?? ''), problem);
  return slug as string;
}

/** Whether `slug` is a valid tenant subdomain. */
export function isValidSlug(slug: unknown): slug is string {
  return slugProblem(slug) === null;
}

/** A tenant subdomain in a request body or path. */
export const slugSchema = z.string().superRefine((value, ctx) => {
  const problem = slugProblem(value);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});
