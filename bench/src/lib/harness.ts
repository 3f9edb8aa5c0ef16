import { join } from 'node:path';
import type { LoadRequest, LoadResult, SequentialRequest, SequentialResult } from '../load/load-generator';
import { runWrk, wrkBinary } from '../load/wrk';
import { Child } from './child';
import { Fixtures } from './fixtures';
import type { RunContext } from './run-context';
import { median, round } from './stats';

/** What a load run needs of a server: where it listens, and its CPU time so far (µs, user + system). */
export interface BenchServer {
  name: string;
  port: number;
  cpuMicros: () => Promise<number>;
  /** Host headers for this server only (default: the load's). */
  hosts?: string[];
}

export interface RunningServer extends BenchServer {
  child: Child;
  /** The server's process id (for /proc readings). */
  pid: number;
}

/** Called around every measured round of `interleaved` (not the warm-up): extra readings per side. */
export interface RoundProbe {
  before(server: BenchServer): Promise<void>;
  after(server: BenchServer, result: LoadResult): Promise<void>;
}

/** What every benchmark gets: the run, its fixtures, servers as child processes, the load generator. */
export class Harness {
  readonly ctx: RunContext;
  readonly fixtures: Fixtures;
  #load: Child | null = null;
  #servers = 0;

  constructor(ctx: RunContext) {
    this.ctx = ctx;
    this.fixtures = new Fixtures(ctx);
  }

  log(line: string): void {
    process.stderr.write(`  ${line}\n`);
  }

  /**
   * Starts a server child (`tenancy` = the real API, `baseline` = one fixed database, `bare` =
   * node:http + pg) and waits until it listens. With `--profile` it writes a CPU profile on exit.
   */
  async server(
    kind: 'tenancy' | 'baseline' | 'bare',
    name: string,
    env: Record<string, string>,
    nodeFlags: string[] = [],
  ): Promise<RunningServer> {
    const logName = `${String(++this.#servers).padStart(2, '0')}-${name}`;
    const flags = [...nodeFlags];
    // One directory per server: the process writes one profile per thread (tsx's loader runs in its own).
    if (this.ctx.profileDir) flags.push('--cpu-prof', `--cpu-prof-dir=${join(this.ctx.profileDir, logName)}`);
    const child = new Child(this.ctx, { script: join('servers', `${kind}-server.ts`), env, nodeFlags: flags, logName });
    const ready = await child.ready;
    return {
      name,
      port: Number(ready.port),
      pid: Number(ready.pid ?? child.process.pid),
      child,
      cpuMicros: () => child.request<number>('cpu-usage'),
    };
  }

  /** The load generator (one child process for the whole run). */
  async loadGenerator(): Promise<Child> {
    if (!this.#load) {
      this.#load = new Child(this.ctx, { script: 'load/load-generator.ts', logName: 'load-generator' });
      await this.#load.ready;
    }
    return this.#load;
  }

  /** One load run: autocannon in the load generator child, or (`wrk`) Debian's wrk (GET only). */
  async load(port: number, load: Omit<LoadRequest, 'port'>, generator: LoadGenerator = 'autocannon'): Promise<LoadResult> {
    if (generator === 'wrk') return runWrk(wrkBinary(), { ...load, port });
    const child = await this.loadGenerator();
    return child.request<LoadResult>('autocannon', { load: { ...load, port } });
  }

  async sequential(port: number, requests: SequentialRequest[]): Promise<SequentialResult[]> {
    const generator = await this.loadGenerator();
    return generator.request<SequentialResult[]>('sequential', { port, requests });
  }

  /**
   * Baseline and subject(s) under the same load, interleaved (A B A B …) after a discarded warm-up
   * of each, so drift on a shared machine hits both alike. Returns every round and the medians.
   */
  async interleaved(
    servers: readonly BenchServer[],
    load: Omit<LoadRequest, 'port' | 'durationSeconds'>,
    options: {
      warm?: boolean;
      generator?: LoadGenerator;
      probe?: RoundProbe;
      /**
       * Before every measured round (not counted), one request per host in turn: the server's caches
       * (router, sessions, permissions) expired while the other servers' rounds ran, and a server of
       * many hosts would otherwise pay that once per host at each round's start — idleness, not load.
       */
      rewarm?: boolean;
    } = {},
  ): Promise<Record<string, Interleaved>> {
    const { rounds, roundSeconds, warmupSeconds } = this.ctx.scale;
    const generator = options.generator ?? 'autocannon';
    // Warm-up: every host once (opens every handle), then a short discarded load run.
    if (options.warm !== false) {
      for (const s of servers) {
        const hosts = s.hosts ?? load.hosts;
        await this.sequential(
          s.port,
          hosts.map((host) => ({ host, path: load.path, headers: load.headers, label: 'warm-up' })),
        );
        await this.load(s.port, { ...load, hosts, durationSeconds: warmupSeconds }, generator);
      }
    }
    const runs: Record<string, LoadResult[]> = Object.fromEntries(servers.map((s) => [s.name, []]));
    const cpuUs: Record<string, number> = Object.fromEntries(servers.map((s) => [s.name, 0]));
    for (let r = 0; r < rounds; r++) {
      for (const s of servers) {
        if (options.rewarm) {
          const hosts = s.hosts ?? load.hosts;
          await this.sequential(
            s.port,
            hosts.map((host) => ({ host, path: load.path, headers: load.headers, label: 'rewarm' })),
          );
        }
        await options.probe?.before(s);
        const cpuBefore = await s.cpuMicros();
        const result = await this.load(s.port, { ...load, hosts: s.hosts ?? load.hosts, durationSeconds: roundSeconds }, generator);
        cpuUs[s.name]! += (await s.cpuMicros()) - cpuBefore;
        await options.probe?.after(s, result);
        runs[s.name]!.push(result);
        this.log(
          `round ${r + 1}/${rounds} ${s.name} (${load.connections} conn): ${result.rps} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
        );
      }
    }
    return Object.fromEntries(
      Object.entries(runs).map(([name, list]) => [
        name,
        {
          generator,
          rounds: list,
          rps: round(median(list.map((x) => x.rps)), 1),
          p50: round(median(list.map((x) => x.p50)), 2),
          p99: round(median(list.map((x) => x.p99)), 2),
          non2xx: list.reduce((n, x) => n + x.non2xx, 0),
          errors: list.reduce((n, x) => n + x.errors, 0),
          cpuUsPerRequest: round(cpuUs[name]! / Math.max(1, requests(list)), 1),
          loadCpuUsPerRequest: round(list.reduce((n, x) => n + x.loadCpuMicros, 0) / Math.max(1, requests(list)), 1),
        },
      ]),
    );
  }

  async close(): Promise<void> {
    await this.#load?.stop();
    this.#load = null;
  }
}

/** Which program sends the load: autocannon (in the load generator child) or Debian's wrk. */
export type LoadGenerator = 'autocannon' | 'wrk';

const requests = (list: LoadResult[]) => list.reduce((n, x) => n + x.requests, 0);

export interface Interleaved {
  generator: LoadGenerator;
  rounds: LoadResult[];
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /**
   * The server process's CPU time (user + system) over every round divided by the requests answered:
   * what a request costs, nearly independent of what else the machine runs (unlike req/s).
   */
  cpuUsPerRequest: number;
  /** The load generator's own CPU time over every round divided by the requests it sent. */
  loadCpuUsPerRequest: number;
}

/** The list route every HTTP benchmark reads (override with SALESFLEET_BENCH_PATH). */
export const ROUTE_PATH = process.env.SALESFLEET_BENCH_PATH ?? '/api/products?limit=20';
