import { describe, expect, it } from 'vitest';
import { isIpHost, normalizeHost } from './host';

describe('normalizeHost', () => {
  it.each([
    ['acme.localhost', 'acme.localhost'],
    ['Acme.LocalHost', 'acme.localhost'],
    ['ACME.EXAMPLE.COM:443', 'acme.example.com'],
    ['acme.localhost:8000', 'acme.localhost'],
    ['acme.localhost.', 'acme.localhost'],
    ['acme.localhost.:8000', 'acme.localhost'],
    ['  acme.localhost  ', 'acme.localhost'],
    ['localhost', 'localhost'],
    ['localhost:8000', 'localhost'],
    ['127.0.0.1', '127.0.0.1'],
    ['127.0.0.1:8000', '127.0.0.1'],
    ['[::1]', '::1'],
    ['[::1]:8000', '::1'],
    ['[2001:DB8::1]:443', '2001:db8::1'],
    ['bücher.example.com', 'xn--bcher-kva.example.com'],
    ['BÜCHER.example.com.', 'xn--bcher-kva.example.com'],
    ['xn--bcher-kva.example.com', 'xn--bcher-kva.example.com'],
    ['a-b.localhost', 'a-b.localhost'],
    ['123.localhost', '123.localhost'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeHost(raw)).toBe(expected);
  });

  it.each([
    [''],
    ['   '],
    [':8000'],
    ['acme.localhost:'],
    ['acme.localhost:99999'],
    ['acme.localhost:80a'],
    ['acme..localhost'],
    ['.acme.localhost'],
    ['acme.localhost..'],
    ['-acme.localhost'],
    ['acme-.localhost'],
    ['a_b.localhost'],
    ['acme localhost'],
    ['acme.localhost/evil'],
    ['user@acme.localhost'],
    ['acme.localhost\\x'],
    ['acme.localhost?x'],
    ['acme.localhost#x'],
    ["x'; drop table tenants;--.localhost"],
    ['<script>.localhost'],
    ['[::1'],
    ['[::1]x'],
    ['[not-an-ip]:80'],
    ['1.2.3'],
    ['999.1.1.1'],
    [`${'a'.repeat(64)}.localhost`],
    [`${`${'a'.repeat(60)}.`.repeat(5)}com`],
    ['http://acme.localhost'],
  ])('rejects %j', (raw) => {
    expect(normalizeHost(raw)).toBeNull();
  });

  it('rejects non-strings', () => {
    expect(normalizeHost(undefined)).toBeNull();
    expect(normalizeHost(null)).toBeNull();
    expect(normalizeHost(42 as unknown as string)).toBeNull();
  });

  it('tells IP literals apart', () => {
    expect(isIpHost('127.0.0.1')).toBe(true);
    expect(isIpHost('::1')).toBe(true);
    expect(isIpHost('acme.localhost')).toBe(false);
  });
});
