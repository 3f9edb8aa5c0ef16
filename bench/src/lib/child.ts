import { fork, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunContext } from './run-context';
import { stopChild } from './cleanup';

const SRC = fileURLToPath(new URL('..', import.meta.url));
/** tsx's loader by absolute URL: `--import tsx` would be resolved from the working directory. */
const TSX = import.meta.resolve('tsx');

/** Messages between the runner and its children: `{ id, type, ...payload }`, answered with `{ id, ok, value | error }`. */
export interface ChildRequest {
  id: number;
  type: string;
  [key: string]: unknown;
}

export interface ChildReply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

export interface ChildOptions {
  /** Path under bench/src, e.g. `servers/tenancy-server.ts`. */
  script: string;
  /** Added to the runner's environment. */
  env?: Record<string, string>;
  /** Extra node flags (`--expose-gc`, `--cpu-prof` …). */
  nodeFlags?: string[];
  /** Name of the stderr log file in the run's log directory. */
  logName: string;
  /** How long to wait for the child's `ready` message. */
  readyTimeoutMs?: number;
}

/**
 * A TypeScript child process (node --import tsx) with an IPC channel: the runner's servers, load
 * generators and tasks. stdout is discarded (request log lines), stderr goes to a file in the run's
 * log directory. Tracked by the run's cleanup so Ctrl-C never leaves one behind.
 */
export class Child {
  readonly process: ChildProcess;
  readonly logPath: string;
  readonly ready: Promise<Record<string, unknown>>;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(ctx: RunContext, options: ChildOptions) {
    this.logPath = join(ctx.logDir, `${options.logName}.log`);
    const stderr = openSync(this.logPath, 'a');
    this.process = fork(join(SRC, options.script), [], {
      execArgv: ['--import', TSX, ...(options.nodeFlags ?? [])],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'ignore', stderr, 'ipc'],
      serialization: 'advanced',
    });
    ctx.cleanup.track(this.process);
    // A send on a channel that closed (the child died) must fail that request, not the runner.
    this.process.on('error', (err) => process.stderr.write(`${options.script}: ${err.message}\n`));
    const exited = new Promise<never>((_, reject) => {
      this.process.once('exit', (code, signal) => {
        const error = new Error(`${options.script} exited (${signal ?? code})${logTail(this.logPath)}`);
        for (const p of this.#pending.values()) p.reject(error);
        this.#pending.clear();
        reject(error);
      });
    });
    exited.catch(() => undefined);
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${options.script} not ready after ${options.readyTimeoutMs ?? 120_000} ms; see ${this.logPath}`)),
        options.readyTimeoutMs ?? 120_000,
      );
      this.process.on('message', (message: unknown) => {
        const m = message as Record<string, unknown>;
        if (m.type === 'ready') {
          clearTimeout(timer);
          resolve(m);
          return;
        }
        if (m.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(`${options.script}: ${String(m.error)}`));
          return;
        }
        const reply = m as unknown as ChildReply;
        const pending = this.#pending.get(reply.id);
        if (!pending) return;
        this.#pending.delete(reply.id);
        if (reply.ok) pending.resolve(reply.value);
        else pending.reject(new Error(reply.error ?? 'child request failed'));
      });
      exited.catch((err: Error) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** Sends a request and waits for its reply. */
  request<T>(type: string, payload: Record<string, unknown> = {}): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      if (!this.process.connected) {
        reject(new Error(`${this.process.spawnfile} is not running`));
        return;
      }
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.process.send({ id, type, ...payload } satisfies ChildRequest, (err) => {
        if (!err) return;
        this.#pending.delete(id);
        reject(err);
      });
    });
  }

  /** Asks the child to finish (it closes what it opened), then makes sure it is gone. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    await stopChild(this.process, graceMs);
  }
}

/**
 * The child side: answers the runner's requests with `handlers`, reports `ready` (with `info`), and
 * runs `onExit` once on SIGTERM / SIGINT / disconnect before exiting.
 */
export function serveRequests(
  handlers: Record<string, (request: ChildRequest) => Promise<unknown> | unknown>,
  onExit: () => Promise<void>,
): { ready(info?: Record<string, unknown>): void; fail(err: unknown): never } {
  let exiting = false;
  const exit = (code: number) => {
    if (exiting) return;
    exiting = true;
    const force = setTimeout(() => process.exit(code), 15_000);
    force.unref();
    onExit()
      .catch((err: unknown) => process.stderr.write(`cleanup failed: ${(err as Error).stack ?? String(err)}\n`))
      .finally(() => process.exit(code));
  };
  process.on('SIGTERM', () => exit(0));
  process.on('SIGINT', () => exit(130));
  process.on('disconnect', () => exit(0));
  process.on('message', (message: unknown) => {
    const request = message as ChildRequest;
    // Every child answers `cpu-usage` (its process's user + system CPU in µs so far): the runner's
    // CPU time per request, which a loaded machine does not skew as it skews req/s.
    const handler = handlers[request.type] ?? builtIn[request.type];
    void (async () => {
      try {
        if (!handler) throw new Error(`unknown request ${request.type}`);
        const value = await handler(request);
        process.send?.({ id: request.id, ok: true, value } satisfies ChildReply);
      } catch (err) {
        process.stderr.write(`${request.type} failed: ${(err as Error).stack ?? String(err)}\n`);
        process.send?.({ id: request.id, ok: false, error: (err as Error).message } satisfies ChildReply);
      }
    })();
  });
  return {
    ready(info = {}) {
      process.send?.({ type: 'ready', ...info });
    },
    fail(err: unknown): never {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.send?.({ type: 'failed', error: (err as Error).message });
      exit(1);
      throw err;
    },
  };
}

/**
 * What every child answers: `cpu-usage` (its process's user + system CPU in µs so far) and
 * `profile-start` / `profile-stop {file}` (a CPU profile of the main thread between the two, written
 * to file: the steady state without the start-up that `--cpu-prof` also records).
 */
let profiler: Session | null = null;
const builtIn: Record<string, (request: ChildRequest) => Promise<unknown> | unknown> = {
  'cpu-usage': () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  },
  'profile-start': async () => {
    profiler ??= new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
    await profiler.post('Profiler.start');
    return null;
  },
  'profile-stop': async (request) => {
    if (!profiler) throw new Error('profile-stop without profile-start');
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    writeFileSync(String(request.file), JSON.stringify(profile));
    return null;
  },
};

/** The last lines of a child's stderr, for the error that reports its death (the file goes with the run's scratch dir). */
function logTail(path: string, lines = 15): string {
  try {
    const tail = readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines);
    return tail.length > 0 && tail[0] !== '' ? `; its stderr ended with:\n    ${tail.join('\n    ')}` : '';
  } catch {
    return '';
  }
}
