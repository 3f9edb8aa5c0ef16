import { PassThrough } from 'node:stream';
import { createOutput, type Output } from '../output';

/** An Output whose stdout/stderr are captured (not terminals unless asked), for in-process tests. */
export function capturedOutput(options: { tty?: boolean } = {}): { out: Output; stdout: () => string; stderr: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  if (options.tty) Object.assign(stdout, { isTTY: true });
  const output = createOutput({ stdout, stderr, stdin: new PassThrough(), env: { NO_COLOR: '1' } });
  return { out: output, stdout: () => out, stderr: () => err };
}
