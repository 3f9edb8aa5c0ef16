import type { Writable } from 'node:stream';
import { prettyJsonChunks } from './pretty-json';
import { scrub } from './secrets';

/** Where a command writes, and how (TTY or not, colour or not). One per process. */
export interface Output {
  /** stdout is a terminal: tables with borders, spinners. */
  readonly tty: boolean;
  /** stderr is a terminal: progress bars. */
  readonly errTty: boolean;
  /** stdin is a terminal: prompts are possible. */
  readonly interactive: boolean;
  readonly color: boolean;
  /** A line on stdout. */
  line(text?: string): void;
  /**
   * Data as pretty JSON on stdout (for `--json`), written in chunks as the reader takes them; resolves
   * when the last one is accepted, or at once when the reader went away (the rest is dropped).
   */
  json(value: unknown): Promise<void>;
  /** `warning: …` on stderr. */
  warn(text: string): void;
  /** A note on stderr (hints that must not pollute stdout data). */
  note(text: string): void;
  /** Raw text on stdout (spinners). */
  write(text: string): void;
  writeErr(text: string): void;
  /** Colour helpers: identity when colour is off. */
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

export interface OutputStreams {
  stdout: Writable;
  stderr: Writable;
  stdin: NodeJS.ReadStream | NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

const isTty = (s: unknown) => Boolean((s as { isTTY?: boolean }).isTTY);

/* biome-ignore-start lint/suspicious/noControlCharactersInRegex: these match terminal control characters on purpose */
/** Escape sequences: CSI (`ESC [ … final`, cursor moves, clears), OSC (`ESC ] … BEL|ST`, titles, links), and two-byte ones. */
const ESCAPE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])?/g;
/** The colour sequences this module's `paint` emits — the only ones kept, and only when colour is on. */
const OUR_COLOR = /^\u001b\[(?:1|2|22|31|32|33|39)m$/;
/** C0 (but tab and newline), DEL, C1 (8-bit CSI …) and bidirectional overrides that reorder what is shown. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/* biome-ignore-end lint/suspicious/noControlCharactersInRegex: - */

/**
 * Text as it may reach an operator's terminal: every control character and escape sequence removed
 * (a tenant name, username or error text from the registry or a tenant database can otherwise move
 * the cursor, clear the screen or retitle the window), except this module's own colours when
 * `keepColor`. `singleLine` also turns tabs and newlines into spaces (table cells).
 */
export function printable(text: string, { keepColor = false, singleLine = false } = {}): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(ESCAPE)) {
    out += text.slice(last, match.index).replace(CONTROL, '');
    if (keepColor && OUR_COLOR.test(match[0])) out += match[0];
    last = match.index + match[0].length;
  }
  out += text.slice(last).replace(CONTROL, '');
  return singleLine ? out.replace(/[\t\n]/g, ' ') : out;
}

export function createOutput(
  streams: OutputStreams = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env },
): Output {
  const tty = isTty(streams.stdout);
  const color = tty && !streams.env.NO_COLOR && streams.env.TERM !== 'dumb';
  const paint = (code: string, reset: string) => (text: string) => (color ? `\u001b[${code}m${text}\u001b[${reset}m` : text);
  return {
    tty,
    errTty: isTty(streams.stderr),
    interactive: isTty(streams.stdin),
    color,
    line: (text = '') => void streams.stdout.write(`${printable(text, { keepColor: color })}\n`),
    json: (value) => writeChunks(streams.stdout, prettyJsonChunks(value)),
    warn: (text) => void streams.stderr.write(`warning: ${printable(scrub(text), { keepColor: color })}\n`),
    note: (text) => void streams.stderr.write(`${printable(text, { keepColor: color })}\n`),
    write: (text) => void streams.stdout.write(text),
    writeErr: (text) => void streams.stderr.write(text),
    green: paint('32', '39'),
    red: paint('31', '39'),
    yellow: paint('33', '39'),
    bold: paint('1', '22'),
    dim: paint('2', '22'),
  };
}

/** Writes each chunk once the stream has room for it; stops when the stream is gone (EPIPE: `| head`). */
async function writeChunks(stream: Writable, chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (stream.destroyed) return;
    if (!stream.write(chunk)) await drained(stream);
  }
}

function drained(stream: Writable): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done).off('close', done).off('error', done);
      resolve();
    };
    stream.on('drain', done).on('close', done).on('error', done);
  });
}

export interface Column {
  header: string;
  /** Right-align (numbers, durations). */
  align?: 'left' | 'right';
}

/**
 * A table: bordered (cli-table3) on a terminal, aligned plain columns otherwise — easy to read in a
 * CI log and to cut with awk. Cells are single-line strings; `''` prints as `-`.
 */
export async function printTable(out: Output, columns: Column[], rows: string[][]): Promise<void> {
  const cells = rows.map((r) =>
    columns.map((_c, i) => (r[i] === undefined || r[i] === '' ? '-' : printable(r[i]!, { keepColor: out.color, singleLine: true }))),
  );
  if (out.tty) {
    out.line(await borderedTable(columns, cells, out.color));
  } else {
    for (const line of plainTable(columns, cells)) out.line(line);
  }
}

/** Aligned columns separated by two spaces, header in capitals, no trailing blanks. */
export function plainTable(columns: Column[], rows: string[][]): string[] {
  const widths = columns.map((c, i) => Math.max(displayWidth(c.header), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const fmt = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat(Math.max(0, widths[i]! - displayWidth(cell)));
        return columns[i]!.align === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [fmt(columns.map((c) => c.header.toUpperCase())), ...rows.map(fmt)];
}

export async function borderedTable(columns: Column[], rows: string[][], color: boolean): Promise<string> {
  const { default: Table } = await import('cli-table3');
  const table = new Table({
    head: columns.map((c) => c.header),
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
    // One rule under the header, none between rows.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  table.push(...rows);
  return table.toString();
}

function displayWidth(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matches terminal escape sequences on purpose
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** `2026-11-23 19:20` in UTC (tables say so in their header). */
export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return '';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
