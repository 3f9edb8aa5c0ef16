import { SlugInvalid } from './errors';
import { RESERVED_LABELS } from './reserved-labels';

export { RESERVED_LABELS };

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Returns the slug when it is a valid tenant subdomain; throws `SlugInvalid` (a ValidationFailed)
 * otherwise: 1–63 characters of a-z, 0-9 and '-', no leading/trailing '-', no `xx--` prefix (IDNA),
 * not reserved. Nothing is normalised: `Acme` is refused, not lower-cased behind the caller's back.
 */
export function validateSlug(slug: unknown): string {
  if (typeof slug !== 'string' || slug.length === 0) throw new SlugInvalid(String(slug ?? ''), 'the subdomain is empty');
  const shown = JSON.stringify(slug.length > 70 ? `${slug.slice(0, 70)}…` : slug);
  if (slug.length > 63) throw new SlugInvalid(slug, `${shown} is longer than 63 characters`);
  if (slug !== slug.toLowerCase() && SLUG.test(slug.toLowerCase())) {
    throw new SlugInvalid(slug, `${shown} has upper-case letters; use "${slug.toLowerCase()}"`);
  }
  if (!SLUG.test(slug)) {
    throw new SlugInvalid(slug, `${shown} may only contain a-z, 0-9 and '-', and must start and end with a letter or digit`);
  }
  if (slug.length >= 4 && slug[2] === '-' && slug[3] === '-') {
    throw new SlugInvalid(slug, `${shown} must not have '--' in the third and fourth position (reserved for IDN)`);
  }
  if (RESERVED_LABELS.has(slug)) throw new SlugInvalid(slug, `${shown} is reserved`);
  return slug;
}

/** Whether `slug` passes `validateSlug`. */
export function isValidSlug(slug: string): boolean {
  try {
    validateSlug(slug);
    return true;
  } catch {
    return false;
  }
}
