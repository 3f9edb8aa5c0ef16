import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli';
import { buildProgram } from './program';
import { capturedOutput } from './testing/captured-output';

function leafCommands(cmd: Command, path: string[] = []): string[][] {
  return cmd.commands.flatMap((c) => [[...path, c.name()], ...leafCommands(c, [...path, c.name()])]);
}

describe('runCli (in process)', () => {
  const { out } = capturedOutput();
  const commands = leafCommands(buildProgram({ out, invokedAs: 'pnpm cli' }, '0.0.0'));

  it.each(commands.map((c) => [c.join(' ')]))('`%s --help` has a description and an Examples section', async (command) => {
    const io = capturedOutput();
    const code = await runCli([...command.split(' '), '--help'], { invokedAs: 'pnpm cli', version: '0.0.0', out: io.out, env: {} });
    expect(code).toBe(0);
    expect(io.stdout()).toMatch(new RegExp(`^Usage: pnpm cli ${command}[ |]`));
    expect(io.stdout()).toMatch(/\n\nExamples:\n {2}\$ pnpm cli \S/);
    expect(io.stderr()).toBe('');
  });

  it('exits 2 and prints help on stderr when no command is given', async () => {
    const io = capturedOutput();
    expect(await runCli([], { invokedAs: 'pnpm cli', version: '0.0.0', out: io.out, env: {} })).toBe(2);
    expect(io.stdout()).toBe('');
    expect(io.stderr()).toContain('Usage: pnpm cli <command> [options]');
  });

  it('rejects conflicting and unknown options as usage errors', async () => {
    const io = capturedOutput();
    const conflicting = await runCli(['create-tenant', 'A', 'a', 'a@a.test', '--demo-data', '--skip-demo-data'], {
      invokedAs: 'pnpm cli',
      version: '0.0.0',
      out: io.out,
      env: {},
    });
    expect(conflicting).toBe(2);
    expect(io.stderr()).toMatch(
      /^error: option '--demo-data' cannot be used with option '--skip-demo-data' \(usage: pnpm cli create-tenant .*\)\n$/,
    );

    const io2 = capturedOutput();
    expect(await runCli(['list-tenants', '--colour'], { invokedAs: 'pnpm cli', version: '0.0.0', out: io2.out, env: {} })).toBe(2);
    expect(io2.stderr()).toMatch(/^error: unknown option '--colour'/);
  });

  it('prints the version', async () => {
    const io = capturedOutput();
    expect(await runCli(['--version'], { invokedAs: 'pnpm cli', version: '1.2.3', out: io.out, env: {} })).toBe(0);
    expect(io.stdout()).toBe('1.2.3\n');
  });
});
