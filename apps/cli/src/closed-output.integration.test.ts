import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from './testing/cli-workspace';

const cwd = mkdtempSync(join(tmpdir(), 'salesfleet-cli-pipe-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('output to a reader that went away (`pnpm cli … | head`)', () => {
  it('exits with the command’s own status and no stack trace', async () => {
    const child = spawn(process.execPath, [BIN, '--help'], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    // Close our end of stdout before the CLI has written anything: its writes then fail with EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at /);
    expect(code).toBe(0);
  });
});
