import { describe, expect, it } from 'vitest';
import { SecretBox } from './crypto';
import { SecretUndecryptable } from '@salesfleet/contracts';

describe('SecretBox', () => {
  const box = new SecretBox('a-development-secret-key-of-32-chars!!');

  it('round-trips and never produces the same ciphertext twice', () => {
    const a = box.seal('s3cret-pässword');
    const b = box.seal('s3cret-pässword');
    expect(a).not.toBe(b);
    expect(a.startsWith('v1.')).toBe(true);
    expect(a).not.toContain('s3cret');
    expect(box.open(a)).toBe('s3cret-pässword');
    expect(box.open(b)).toBe('s3cret-pässword');
  });

  it('refuses another key, tampering and garbage', () => {
    const sealed = box.seal('hunter2hunter2');
    expect(() => new SecretBox('another-secret-key-of-at-least-32-chars').open(sealed)).toThrow(SecretUndecryptable);
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    parts[3] = ct.toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow(SecretUndecryptable);
    expect(() => box.open('v2.a.b.c')).toThrow(SecretUndecryptable);
    expect(() => box.open('nonsense')).toThrow(SecretUndecryptable);
  });

  it('does not reveal its key when serialised', () => {
    expect(JSON.stringify({ box })).not.toContain('development');
  });
});
