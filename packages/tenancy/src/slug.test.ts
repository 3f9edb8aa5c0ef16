import { describe, expect, it } from 'vitest';
import { isValidSlug, validateSlug, RESERVED_LABELS } from './slug';
import { SlugInvalid } from './errors';

describe('validateSlug', () => {
  it.each(['a', 'acme', 'acme-shop', 'a1', '1a', '123', 'x'.repeat(63), 'demo'])('accepts %s', (slug) => {
    expect(validateSlug(slug)).toBe(slug);
  });

  it.each([
    ['', /empty/],
    ['../x', /may only contain/],
    ['a_b', /may only contain/],
    ['a.b', /may only contain/],
    ['a b', /may only contain/],
    ['-acme', /may only contain/],
    ['acme-', /may only contain/],
    ['Acme', /upper-case.*"acme"/],
    ['x'.repeat(64), /longer than 63/],
    ["x'; drop table tenants;--", /may only contain/],
    ['xn--bcher-kva', /third and fourth/],
    ['ab--c', /third and fourth/],
    ['admin', /reserved/],
    ['www', /reserved/],
    ['api', /reserved/],
    ['bücher', /may only contain/],
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
