import { describe, expect, it } from 'vitest';
import { PASSWORD_POLICY, validatePasswordStrength } from './password';

describe('validatePasswordStrength', () => {
  it('accepts a long varied password', () => {
    expect(validatePasswordStrength('tidy-Otter-41-lantern')).toEqual([]);
  });

  it(`rejects passwords shorter than ${PASSWORD_POLICY.minLength} characters`, () => {
    expect(validatePasswordStrength('short-pw-1')).toEqual([`Password must be at least ${PASSWORD_POLICY.minLength} characters long.`]);
  });

  it('rejects empty, blank, repetitive, overlong and personal passwords', () => {
    expect(validatePasswordStrength('')).toEqual(['Password is required.']);
    expect(validatePasswordStrength(' '.repeat(20))).toContain('Password cannot be only spaces.');
    expect(validatePasswordStrength('aaaaaaaaaaaaaaaa')).toContain('Password must use more than a few different characters.');
    expect(validatePasswordStrength('x1-'.repeat(100))).toContain(`Password must be at most ${PASSWORD_POLICY.maxLength} characters long.`);
    expect(validatePasswordStrength('margaret-2024!!', { username: 'margaret' })).toContain(
      'Password must not contain your username or email address.',
    );
    expect(validatePasswordStrength('Jsmith@example.com', { email: 'jsmith@example.com' })).toContain(
      'Password must not contain your username or email address.',
    );
  });
});
