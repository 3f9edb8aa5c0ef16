import { CliError } from './errors';

/** Ctrl-C / Ctrl-D at a prompt: nothing was done. */
export class PromptCancelled extends CliError {
  constructor() {
    super('cancelled; nothing was changed', 130);
  }
}

/** Asks one question on the terminal (prompt on stderr, so stdout stays clean). */
export async function ask(question: string, options: { default?: string } = {}): Promise<string> {
  const suffix = options.default ? ` [${options.default}]` : '';
  const answer = (await readLine(`${question}${suffix}: `, false)).trim();
  return answer || options.default || '';
}

/** Reads a line without echoing it (passwords). */
export function askHidden(question: string): Promise<string> {
  return readLine(`${question}: `, true);
}

/**
 * A minimal line reader in raw mode: echoes (unless hidden) on stderr, backspace edits, Enter ends,
 * Ctrl-C / Ctrl-D cancel. Raw mode also keeps the terminal itself from echoing a hidden answer.
 * (node:readline is not used: a closed interface keeps echoing keypresses into later prompts.)
 */
async function readLine(prompt: string, hidden: boolean): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new CliError('cannot ask: stdin is not a terminal');
  const echo = (text: string) => void process.stderr.write(text);
  echo(prompt);
  const wasRaw = stdin.isRaw;
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  try {
    return await new Promise<string>((resolveValue, reject) => {
      let value = '';
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            echo('\n');
            resolveValue(value);
            return;
          }
          if (ch === '\u0003' || ch === '\u0004') {
            stdin.off('data', onData);
            echo('\n');
            reject(new PromptCancelled());
            return;
          }
          if (ch === '\u007f' || ch === '\b') {
            if (value.length > 0) {
              value = [...value].slice(0, -1).join('');
              if (!hidden) echo('\b \b');
            }
          } else if (ch >= ' ') {
            value += ch;
            if (!hidden) echo(ch);
          }
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(wasRaw);
    stdin.pause();
  }
}
