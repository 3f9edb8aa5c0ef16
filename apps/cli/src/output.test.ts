import { describe, expect, it } from 'vitest';
import { failingMigration } from './commands/migrate-tenants';
import { errorLine, exitCodeOf, CliError, UsageError } from './errors';
import { PassThrough } from 'node:stream';
import { borderedTable, createOutput, formatMs, plainTable, printable } from './output';
import { rememberSecret, scrub } from './secrets';
import { capturedOutput } from './testing/captured-output';
import { printTable } from './output';
import { SlugTaken, ValidationFailed } from '@salesfleet/contracts';

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

describe('text from the registry or a tenant database', () => {
  // A tenant name that would retitle the window, clear the screen, move the cursor and hide text.
  const hostile = 'Evil\u001b]0;pwned\u0007\u001b[2J\u001b[1;1H\u001b[8mCorp\u001b[0m\r\u009b31m\u202eliam\tLtd\u0000';

  it('reaches the terminal without control characters or escape sequences (tables, lines, notes)', async () => {
    expect(printable(hostile)).toBe('EvilCorp31mliam\tLtd');
    expect(printable(hostile, { singleLine: true })).toBe('EvilCorp31mliam Ltd');

    for (const tty of [false, true]) {
      const { out, stdout, stderr } = capturedOutput({ tty });
      await printTable(out, [{ header: 'Slug' }, { header: 'Name' }], [['evil', hostile]]);
      out.line(`Tenant "${hostile}" is ready.`);
      out.note(`This deletes tenant "${hostile}".`);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
      const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;
      expect(stdout()).not.toMatch(controls);
      expect(stderr()).not.toMatch(controls);
      expect(stdout()).toContain('EvilCorp31mliam Ltd');
    }
  });

  it('keeps only this CLI’s own colours when colour is on', () => {
    const stdout = Object.assign(new PassThrough(), { isTTY: true });
    let written = '';
    stdout.setEncoding('utf8').on('data', (d: string) => (written += d));
    const out = createOutput({ stdout, stderr: stdout, stdin: stdout, env: { TERM: 'xterm' } });
    out.line(`${out.red('FAILED')} ${hostile}`);
    expect(written).toBe('\u001b[31mFAILED\u001b[39m EvilCorp31mliam\tLtd\n');
  });
});
