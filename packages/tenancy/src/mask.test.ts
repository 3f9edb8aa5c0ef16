import { describe, expect, it } from 'vitest';
import { maskSecrets, maskUrlsInText, redact } from './mask';

describe('masking', () => {
  it('masks URL passwords inside text', () => {
    expect(maskUrlsInText('connect postgres://bob:hunter2@db:5432/x failed')).toBe('connect postgres://bob:***@db:5432/x failed');
    expect(maskUrlsInText('mysql://root:p%40ss@h/db and mariadb://u:v@w/x')).toBe('mysql://root:***@h/db and mariadb://u:***@w/x');
    expect(maskUrlsInText('postgres://bob@db/x')).toBe('postgres://bob@db/x');
  });

  it('masks every key naming a secret, deeply, keeping booleans and nulls', () => {
    const masked = maskSecrets({
      name: 'Acme',
      adminPassword: 'Hunter2Hunter2',
      database: { url: 'postgres://u:pw123@h/d', password: 'pw123', passwordSet: true, host: 'h' },
      apiKey: 'k',
      sessionToken: 'tok',
      secretKey: 'sk',
      list: [{ db_password: 'x' }],
      empty: { password: null },
    });
    expect(masked).toEqual({
      name: 'Acme',
      adminPassword: '***',
      database: { url: 'postgres://u:***@h/d', password: '***', passwordSet: true, host: 'h' },
      apiKey: '***',
      sessionToken: '***',
      secretKey: '***',
      list: [{ db_password: '***' }],
      empty: { password: null },
    });
  });

  it('redacts known secret values from messages', () => {
    expect(redact('auth failed for pw=Tr0ub4dor&3', ['Tr0ub4dor&3'])).toBe('auth failed for pw=***');
    expect(redact('nothing to hide', [null, undefined, ''])).toBe('nothing to hide');
  });
});
