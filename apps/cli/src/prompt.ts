import { createInterface } from 'node:readline';
import { CliError } from './errors';

/** Ctrl-C / Ctrl-D at a prompt: nothing was done. */
export class PromptCancelled extends CliError {
  constructor() {
    super('cancelled; nothing was changed', 130);
  }
}

/** Asks one question on the terminal (prompt on stderr, so stdout stays clean). */
export async function ask(question: string, options: { default?: string } = {}): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    const answer = await new Promise<string>((resolveAnswer, reject) => {
      rl.on('close', () => reject(new PromptCancelled()));
      rl.on('SIGINT', () => reject(new PromptCancelled()));
      const suffix = options.default ? ` [${options.default}]` : '';
      rl.question(`${question}${suffix}: `, resolveAnswer);
    });
    return answer.trim() || options.default || '';
  } finally {
    rl.removeAllListeners('close');
    rl.close();
  }
}

/**
 * Reads a line without echoing it (passwords). Raw mode, so nothing typed reaches the screen or the
 * terminal's scrollback; backspace edits, Ctrl-C / Ctrl-D cancel.
 */
export async function askHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new CliError('cannot read a password: stdin is not a terminal');
  process.stderr.write(`${question}: `);
  const wasRaw = stdin.isRaw;
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  try {
    return await new Promise<string>((resolveValue, reject) => {
      let value = '';
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            process.stderr.write('\n');
            resolveValue(value);
            return;
          }
          if (ch === '\u0003' || ch === '\u0004') {
            stdin.off('data', onData);
            process.stderr.write('\n');
            reject(new PromptCancelled());
            return;
          }
          if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
          else if (ch >= ' ') value += ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(wasRaw);
    stdin.pause();
  }
}
