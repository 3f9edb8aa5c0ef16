import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const apiDir = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const bin = join(apiDir, 'bin', 'salesfleet-api.js');

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface ApiProcess {
  port: number;
  child: ChildProcess;
  /** Everything it printed (stdout and stderr). */
  output(): string;
  /** Its exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGKILL to its whole process group (the server and its cluster workers); for cleanup. */
  kill(): void;
}

export interface ApiProcessOptions {
  dataDir: string;
  port?: number;
  env?: Record<string, string>;
  args?: string[];
}

/**
 * Runs `apps/api/src/main.ts` as `pnpm start` does (its bin, the sources loaded in-process by tsx:
 * signals reach the server itself, not a tsx CLI relaying them — which SIGKILLs its child when the
 * child does not acknowledge a signal within 30 ms, as under load), in its own process group, on
 * `port` with `dataDir`; returns at once. `until(pattern)` resolves once its output matches. One
 * process unless `env` asks for SALESFLEET_WORKERS (`pnpm start` defaults to one worker per core).
 */
export async function spawnApiProcess(options: ApiProcessOptions): Promise<ApiProcess & { until(pattern: RegExp): Promise<void> }> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [bin, ...(options.args ?? [])], {
    cwd: apiDir,
    env: {
      ...process.env,
      SALESFLEET_FROM_SOURCE: '1',
      SALESFLEET_WORKERS: '1',
      SALESFLEET_DATA_DIR: options.dataDir,
      PORT: String(port),
      SALESFLEET_SKIP_CONSOLE_BUILD: '1',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const until = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        kill();
        reject(new Error(`the API did not print ${pattern} within 90 s:\n${out}`));
      }, 90_000);
      const check = () => {
        if (pattern.test(out)) {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          resolve();
        }
      };
      child.stdout!.on('data', check);
      check();
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`the API exited with ${code} before printing ${pattern}:\n${out}`));
      });
    });
  return { port, child, output: () => out, exited, kill, until };
}

/** `spawnApiProcess`, resolved once the server says it is serving. */
export async function startApiProcess(options: ApiProcessOptions): Promise<ApiProcess> {
  const api = await spawnApiProcess(options);
  await api.until(/API docs: .*\n/);
  return api;
}
