import { describe, expect, it } from 'vitest';
import { isValidSlug, validateSlug, slugSchema } from './slug';
import { RESERVED_LABELS } from './reserved-labels';
import { SlugInvalid } from '../errors/classes';

describe('validateSlug', () => {
  it.each(['a', 'acme', 'acme-shop', 'a1', '1a', '123', 'x'.repeat(63), 'demo'])('accepts %s', (slug) => {
    expect(validateSlug(slug)).toBe(slug);
  });

  it.each([
    ['', /empty/],
    ['../x', /only lowercase letters/],
    ['a_b', /only lowercase letters/],
    ['a.b', /only lowercase letters/],
    ['a b', /only lowercase letters/],
    ['-acme', /only lowercase letters/],
    ['acme-', /only lowercase letters/],
    ['Acme', /upper-case.*"acme"/],
    ['x'.repeat(64), /longer than 63/],
    ["x'; drop table tenants;--", /only lowercase letters/],
    ['xn--bcher-kva', /third and fourth/],
    ['ab--c', /third and fourth/],
    ['admin', /reserved/],
    ['www', /reserved/],
    ['api', /reserved/],
    ['bücher', /only lowercase letters/],
  ])('refuses %j', (slug, message) => {
    expect(() => validateSlug(slug)).toThrow(SlugInvalid);
    expect(() => validateSlug(slug)).toThrow(message);
  });

  it('throws a ValidationFailed with a subdomain detail', () => {
    try {
      validateSlug('a_b');
      expect.unreachable();
    } catch (err) {
      expect((err as SlugInvalid).code).toBe('ValidationFailed');
      expect((err as SlugInvalid).details).toEqual([{ path: 'subdomain', message: expect.any(String) }]);
    }
  });

  it('refuses non-strings and every reserved label', () => {
    expect(() => validateSlug(undefined)).toThrow(SlugInvalid);
    expect(() => validateSlug(7)).toThrow(SlugInvalid);
    for (const label of RESERVED_LABELS) expect(isValidSlug(label)).toBe(false);
  });
});

describe('slugSchema', () => {
  it('gives the same message as validateSlug', () => {
    const result = slugSchema.safeParse('Acme');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/upper-case.*"acme"/);
    expect(slugSchema.parse('acme')).toBe('acme');
  });
});
