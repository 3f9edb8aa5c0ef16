import { describe, expect, it } from 'vitest';
import { StepReporter } from './step-reporter';
import { capturedOutput } from './testing/captured-output';

describe('StepReporter', () => {
  it('prints one plain line per finished step without a terminal, and marks the failing one', () => {
    const io = capturedOutput();
    const steps = new StepReporter(io.out, { register: 'Reserve the subdomain', migrate: 'Migrate the schema' });
    steps.start('register');
    steps.start('migrate');
    steps.fail();
    expect(steps.lastStep).toBe('migrate');
    expect(io.stdout()).toMatch(/^ok {6}Reserve the subdomain \(\d+(\.\d)? ms\)\nFAILED {2}Migrate the schema \(\d+(\.\d)? ms\)\n$/);
  });

  it('redraws a spinner line on a terminal and ends it with a mark', () => {
    const io = capturedOutput({ tty: true });
    const steps = new StepReporter(io.out, {});
    steps.start('seed');
    steps.succeed();
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the reporter writes terminal escapes
    expect(io.stdout()).toMatch(/^\r\u001b\[2K\S seed…\r\u001b\[2K✓ seed \(\d+(\.\d)? ms\)\n$/);
  });
});
