import { describe, expect, it } from 'vitest';
import { failingMigration } from './commands/migrate-tenants';
import { errorLine, exitCodeOf, CliError, UsageError } from './errors';
import { borderedTable, formatMs, plainTable } from './output';
import { rememberSecret, scrub } from './secrets';
import { capturedOutput } from './testing/captured-output';
import { printTable } from './output';
import { SlugTaken, ValidationFailed } from '@salesfleet/tenancy';

describe('tables', () => {
  const columns = [{ header: 'Slug' }, { header: 'Users', align: 'right' as const }, { header: 'Note' }];

  it('align plain columns under their headers, numbers to the right, with no trailing blanks', () => {
    expect(
      plainTable(columns, [
        ['acme', '1/50', ''],
        ['a-much-longer-slug', '12/100', 'x'],
      ]),
    ).toEqual(['SLUG                 USERS  NOTE', 'acme                  1/50', 'a-much-longer-slug  12/100  x']);
  });

  it('have borders on a terminal and plain columns otherwise', async () => {
    const tty = capturedOutput({ tty: true });
    await printTable(tty.out, columns, [['acme', '1/50', '']]);
    expect(tty.stdout()).toContain('┌');
    expect(tty.stdout()).toMatch(/│ acme │ +1\/50 │ - +│/);

    const plain = capturedOutput();
    await printTable(plain.out, columns, [['acme', '1/50', '']]);
    expect(plain.stdout()).toBe('SLUG  USERS  NOTE\nacme   1/50  -\n');
    expect(await borderedTable(columns, [], false)).toContain('Slug');
  });

  it('format durations for people', () => {
    expect([formatMs(0.42), formatMs(42), formatMs(4200), formatMs(42_000), formatMs(null)]).toEqual([
      '0.4 ms',
      '42 ms',
      '4200 ms',
      '42.0 s',
      '',
    ]);
  });
});

describe('errors', () => {
  it('map invalid input to exit 2 and failures to exit 1', () => {
    expect(exitCodeOf(new ValidationFailed('bad', []))).toBe(2);
    expect(exitCodeOf(new UsageError('bad'))).toBe(2);
    expect(exitCodeOf(new SlugTaken('acme'))).toBe(1);
    expect(exitCodeOf(new CliError('failed'))).toBe(1);
    expect(exitCodeOf(new Error('bug'))).toBe(1);
  });

  it('print as one line', () => {
    expect(errorLine(new Error('first\n  second\n'))).toBe('first second');
  });

  it('never show a URL password or a secret the process was given', () => {
    rememberSecret('Hunter2-Secret');
    expect(scrub('connect postgres://sales:pa55@db:5432/x failed for Hunter2-Secret')).toBe(
      'connect postgres://sales:***@db:5432/x failed for ***',
    );
  });
});

describe('failingMigration', () => {
  it('names the migration a failure message is about', () => {
    expect(failingMigration('Migration 202611230002-sales failed: relation exists; 202611230002-sales was rolled back')).toBe(
      '202611230002-sales',
    );
    expect(failingMigration('Database x is unreachable: timeout')).toBeNull();
    expect(failingMigration(undefined)).toBeNull();
  });
});
