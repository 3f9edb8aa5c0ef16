import { CommanderError, type Command } from 'commander';
import type { CommandContext } from './context';
import { CliError, EXIT_OK, EXIT_USAGE, ReportedFailure, errorLine, exitCodeOf } from './errors';
import { LegacyUsage, rewriteLegacyArgs } from './legacy-names';
import { createOutput, printable, type Output } from './output';
import { buildProgram } from './program';
import { scrub } from './secrets';

export interface RunCliOptions {
  /** How the user runs us, for usage lines and hints (`pnpm cli`). */
  invokedAs: string;
  version: string;
  out?: Output;
  env?: NodeJS.ProcessEnv;
  /** Run by `pnpm cli` without -s: pnpm printed its script banner on stdout before us. */
  pnpmBanner?: boolean;
}

/** Parses `args` (what follows the program name), runs the command, returns the exit status. */
export async function runCli(args: readonly string[], options: RunCliOptions): Promise<number> {
  const out = options.out ?? createOutput();
  const env = options.env ?? process.env;
  const ctx: CommandContext = { out, invokedAs: options.invokedAs };
  try {
    let rewritten: string[];
    let legacy: ReturnType<typeof rewriteLegacyArgs>['legacy'];
    try {
      ({ args: rewritten, legacy } = rewriteLegacyArgs(args));
    } catch (err) {
      if (err instanceof LegacyUsage) throw new CliError(err.message, EXIT_USAGE);
      throw err;
    }
    if (legacy)
      out.note(`note: ${legacy.old} is now \`${options.invokedAs} ${legacy.shown}\`${legacy.detail ? ` (${legacy.detail})` : ''}`);
    if (options.pnpmBanner && rewritten.includes('--json')) {
      out.note('note: pnpm printed its script banner on stdout before the JSON; `pnpm -s cli …` prints the JSON alone');
    }

    const program = buildProgram(ctx, options.version);
    routeOutput(program, out, options.invokedAs);
    if (rewritten.length === 0) {
      program.outputHelp({ error: true });
      return EXIT_USAGE;
    }
    await program.parseAsync(rewritten, { from: 'user' });
    return EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT_OK;
      // Every other commander error is a usage error; its line was printed by `outputError`.
      return EXIT_USAGE;
    }
    if (err instanceof ReportedFailure) return err.exitCode;
    out.writeErr(`error: ${printable(scrub(errorLine(err)))}\n`);
    if (env.SALESFLEET_DEBUG === '1') out.writeErr(`${scrub(debugTrace(err))}\n`);
    return exitCodeOf(err);
  }
}

/** Stack traces of the error and its causes (SALESFLEET_DEBUG=1). */
function debugTrace(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current) parts.push('caused by:');
  }
  return parts.join('\n');
}

/**
 * Help goes to stdout, errors to stderr as one line: commander's "did you mean" joins the line, and
 * the command's usage (or where to find the command list) follows in parentheses.
 */
function routeOutput(program: Command, out: Output, invokedAs: string): void {
  const visit = (cmd: Command) => {
    cmd.configureOutput({
      writeOut: (text) => out.write(text),
      writeErr: (text) => out.writeErr(text),
      outputError: (text, write) => write(`${formatCommanderError(text, cmd, invokedAs)}\n`),
    });
    for (const sub of cmd.commands) visit(sub);
  };
  visit(program);
}

export function formatCommanderError(text: string, cmd: Command, invokedAs: string): string {
  let line = text
    .trim()
    .replace(/\s*\n\s*\(Did you mean (.+?)\)\s*$/s, ' (did you mean $1?)')
    .replace(/\s*\n\s*/g, ' ');
  line = line.replace(/\?\?\)$/, '?)');
  if (!line.startsWith('error:')) line = `error: ${line}`;
  const path = commandPath(cmd, invokedAs);
  if (/unknown command/.test(line)) return `${line}; see \`${path} --help\``;
  return `${line} (usage: ${path} ${cmd.usage()})`;
}

function commandPath(cmd: Command, invokedAs: string): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) {
    if (c.parent) names.unshift(c.name());
  }
  return [invokedAs, ...names].join(' ');
}
