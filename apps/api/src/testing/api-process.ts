import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const apiDir = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const tsx = join(apiDir, 'node_modules', '.bin', 'tsx');

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
  /** SIGKILL to its whole process group (tsx and the node it runs); for cleanup. */
  kill(): void;
}

/**
 * Runs `apps/api/src/main.ts` as `pnpm start` does, in its own process group, on `port` with
 * `dataDir`, and resolves once it says it is serving.
 */
export async function startApiProcess(options: {
  dataDir: string;
  port?: number;
  env?: Record<string, string>;
  args?: string[];
}): Promise<ApiProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(tsx, ['src/main.ts', ...(options.args ?? [])], {
    cwd: apiDir,
    env: {
      ...process.env,
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
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`the API did not start within 90 s:\n${out}`));
    }, 90_000);
    const check = () => {
      if (/API docs: .*\n/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the API exited with ${code} before serving:\n${out}`));
    });
  });
  return { port, child, output: () => out, exited, kill };
}
