import { describe, expect, it } from 'vitest';
import * as errors from './index';
import { codeToStatus, ERROR_CODES, SalesfleetError, statusForCode, ValidationFailed } from './index';

describe('codeToStatus', () => {
  it('maps an unknown code to 500, never to a client status', () => {
    expect(statusForCode('SomethingNew')).toBe(500);
    expect(statusForCode(undefined)).toBe(500);
    expect(statusForCode('toString')).toBe(500);
    expect(statusForCode('ValidationFailed')).toBe(400);
    expect(statusForCode('ConnectionBudgetExhausted')).toBe(503);
  });

  it('gives every code a 4xx or 5xx status', () => {
    for (const code of ERROR_CODES) expect(codeToStatus[code]).toBeGreaterThanOrEqual(400);
  });
});

describe('error classes', () => {
  // Each class is named after its code, or narrows a class that is (SlugInvalid of ValidationFailed).
  const classes = Object.entries(errors).filter(
    (entry): entry is [string, typeof SalesfleetError] => typeof entry[1] === 'function' && entry[1].prototype instanceof SalesfleetError,
  );

  it('are named after their codes', () => {
    expect(classes.length).toBeGreaterThan(25);
    const samples: Record<string, unknown[]> = {
      MigrationFailed: ['001-x', 'up', new Error('boom'), { completed: [], rolledBack: true }],
      TenantUnavailable: ['acme', 'provisioning'],
      ProvisioningFailed: ['acme', 'migrate', 'boom'],
      DatabaseNotEmpty: ['db', ['t']],
      ArchiveTooNew: ['f.tar', '002', null],
      SchemaTooNew: ['db', '002', null],
    };
    for (const [name, Class] of classes) {
      const Ctor = Class as unknown as new (...args: unknown[]) => SalesfleetError;
      const instance = new Ctor(...(samples[name] ?? ['x', 'y']));
      let named: unknown = Class;
      const lineage: string[] = [];
      while (typeof named === 'function' && named !== SalesfleetError) {
        lineage.push((named as { name: string }).name);
        named = Object.getPrototypeOf(named);
      }
      expect(lineage, `${name} has code ${instance.code}`).toContain(instance.code);
      expect(instance.name).toBe(name);
      expect(ERROR_CODES).toContain(instance.code);
    }
  });

  it('keep field details on validation failures', () => {
    const err = new ValidationFailed('bad', [{ path: 'email', message: 'must be an email address' }]);
    expect(err).toMatchObject({ code: 'ValidationFailed', details: [{ path: 'email' }] });
  });
});
