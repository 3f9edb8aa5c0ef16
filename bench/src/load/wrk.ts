/**
 * The wrk load (benchmark 13): Debian's `wrk` (C, one thread) instead of autocannon in a Node child.
 * On a two-core machine the load generator shares the cores with the server it measures; autocannon
 * spends about as much CPU per request as the server does, wrk a fraction of it (both are measured and
 * reported: `loadCpuMicros`). Same request shape as the autocannon load: a GET with extra headers, the
 * Host header round-robin over `hosts` (wrk.lua formats every host's request once and sends them in turn).
 */
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MICROS_PER_TICK } from '../lib/process-cpu';
import type { LoadRequest, LoadResult } from './load-generator';

const SCRIPT = fileURLToPath(new URL('./wrk.lua', import.meta.url));

/** The wrk binary (`WRK` overrides), or an error that says how to get it. */
export function wrkBinary(): string {
  const bin = process.env.WRK ?? 'wrk';
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  // wrk --version prints its banner and exits 1; only a missing binary is an error here.
  if (probe.error) throw new Error(`wrk not found (${bin}): this benchmark's load generator is wrk — apt-get install -y wrk`);
  return bin;
}

interface WrkOutput {
  durationMicros: number;
  requests: number;
  errorsStatus: number;
  errorsSocket: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  cpuTicks: number;
}

const ms = (micros: number) => Math.round(micros / 10) / 100;

/** One wrk run (GET only): fixed connections for a fixed duration, one thread. */
export function runWrk(bin: string, r: LoadRequest): Promise<LoadResult> {
  if ((r.method ?? 'GET') !== 'GET' || r.body !== undefined) throw new Error('the wrk load sends GET requests only');
  const extra = Object.keys(r.headers).filter((k) => k.toLowerCase() !== 'authorization');
  if (extra.length > 0) throw new Error(`the wrk load sends Host and Authorization only, not ${extra.join(', ')}`);
  const authorization = Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1] ?? '';
  const args = [
    '-t1',
    `-c${r.connections}`,
    `-d${r.durationSeconds}s`,
    '--timeout',
    '10s',
    '-s',
    SCRIPT,
    `http://127.0.0.1:${r.port}${r.path}`,
  ];
  const env = { ...process.env, WRK_PATH: r.path, WRK_HOSTS: r.hosts.join(','), WRK_AUTHORIZATION: authorization };
  return new Promise((resolve, reject) => {
    execFile(bin, args, { env, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`wrk failed: ${err.message}\n${stderr}`));
      const line = stdout.split('\n').find((l) => l.startsWith('WRK_RESULT '));
      if (!line) return reject(new Error(`wrk printed no result:\n${stdout}\n${stderr}`));
      const out = JSON.parse(line.slice('WRK_RESULT '.length)) as WrkOutput;
      const seconds = out.durationMicros / 1e6;
      const ok = out.requests - out.errorsStatus;
      resolve({
        requests: out.requests,
        ok,
        // wrk counts statuses ≥ 400 (a 3xx would count as ok; this route never redirects).
        non2xx: out.errorsStatus,
        errors: out.errorsSocket,
        durationSeconds: seconds,
        rps: Math.round((ok / seconds) * 10) / 10,
        // Of every response (wrk does not split them by status); with 0 non-2xx, of the 2xx ones.
        p50: ms(out.p50),
        p90: ms(out.p90),
        p99: ms(out.p99),
        max: ms(out.max),
        statusCodes: {},
        loadCpuMicros: out.cpuTicks * MICROS_PER_TICK,
      });
    });
  });
}
