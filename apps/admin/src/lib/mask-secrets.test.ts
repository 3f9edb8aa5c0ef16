import { describe, expect, it } from 'vitest';
import { MASK, maskSecrets, maskSecretsInText } from './mask-secrets';

describe('maskSecrets', () => {
  it('masks values of secret-looking keys at any depth, keeps the rest', () => {
    expect(
      maskSecrets({
        password: 'p1',
        adminPassword: 'p2',
        database: { password: 'p3', user: 'sales', passwordSet: true, port: 5432 },
        apiKey: 'k',
        token: 't',
        oneTimePassword: 'otp',
        secrets: ['a', 'b'],
        maxUsers: 50,
        reason: null,
      }),
    ).toEqual({
      password: MASK,
      adminPassword: MASK,
      database: { password: MASK, user: 'sales', passwordSet: true, port: 5432 },
      apiKey: MASK,
      token: MASK,
      oneTimePassword: MASK,
      secrets: [MASK, MASK],
      maxUsers: 50,
      reason: null,
    });
  });

  it('masks passwords inside URLs and key=value text wherever they appear', () => {
    expect(maskSecrets({ url: 'postgres://sales:pw@db:5432/x' })).toEqual({ url: `postgres://sales:${MASK}@db:5432/x` });
    expect(maskSecretsInText('mysql://root:hunter2@127.0.0.1/db and postgres://u@h/d')).toBe(
      `mysql://root:${MASK}@127.0.0.1/db and postgres://u@h/d`,
    );
    expect(maskSecretsInText('failed: password=abc123; token: "xyz"')).toBe(`failed: password=${MASK}; token: ${MASK}`);
    expect(maskSecretsInText('one-time password: Zx9-abc')).toBe(`one-time password: ${MASK}`);
    expect(maskSecretsInText('nothing secret here')).toBe('nothing secret here');
  });
});
