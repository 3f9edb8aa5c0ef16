/**
 * The load generator: a child process of the runner, so the load never shares an event loop with
 * what it measures. `autocannon` runs fixed connections for a fixed duration, each request addressed
 * to the next host of a round-robin list (one shared counter: tenants are hit in turn). `sequential`
 * sends single requests one after the other on one kept-alive socket and times each.
 */
import http from 'node:http';
import autocannon from 'autocannon';
import { serveRequests, type ChildRequest } from '../lib/child';
import { percentile, round } from '../lib/stats';

export interface LoadRequest {
  port: number;
  path: string;
  /** Host headers, used in turn. */
  hosts: string[];
  /** Extra headers (Authorization). */
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  requests: number;
  ok: number;
  /** Responses with a status outside 2xx. */
  non2xx: number;
  /** Socket errors and timeouts. */
  errors: number;
  durationSeconds: number;
  rps: number;
  /** Latency of 2xx responses (ms, from the load generator's clock). */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  statusCodes: Record<string, number>;
}

async function runAutocannon(r: LoadRequest): Promise<LoadResult> {
  let next = 0;
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let finish!: (err: Error | null, result: autocannon.Result) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (err, result) => (err ? reject(err) : resolve(result));
  });
  const instance = autocannon(
    {
      url: `http://127.0.0.1:${r.port}`,
      connections: r.connections,
      duration: r.durationSeconds,
      timeout: 10,
      requests: [
        {
          method: 'GET',
          path: r.path,
          setupRequest: (req) => {
            const host = r.hosts[next++ % r.hosts.length]!;
            return { ...req, headers: { ...r.headers, host } };
          },
        },
      ],
    },
    (err, result) => finish(err, result),
  );
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await done;
  const ok = latencies.length;
  const total = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    requests: total,
    ok,
    non2xx: total - ok,
    errors: result.errors + result.timeouts,
    durationSeconds: result.duration,
    rps: round(ok / result.duration, 1),
    p50: round(percentile(latencies, 50), 2),
    p90: round(percentile(latencies, 90), 2),
    p99: round(percentile(latencies, 99), 2),
    max: round(
      latencies.reduce((a, b) => Math.max(a, b), 0),
      2,
    ),
    statusCodes,
  };
}

export interface SequentialRequest {
  host: string;
  path: string;
  headers?: Record<string, string>;
  /** Label the runner groups latencies by (`cold`, `warm` …). */
  label: string;
}

export interface SequentialResult {
  label: string;
  status: number;
  ms: number;
}

async function runSequential(port: number, requests: SequentialRequest[]): Promise<SequentialResult[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const out: SequentialResult[] = [];
  try {
    for (const r of requests) {
      const started = process.hrtime.bigint();
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port, path: r.path, method: 'GET', agent, headers: { ...r.headers, host: r.host } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end();
      });
      out.push({ label: r.label, status, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    }
  } finally {
    agent.destroy();
  }
  return out;
}

const child = serveRequests(
  {
    autocannon: (req: ChildRequest) => runAutocannon(req.load as LoadRequest),
    sequential: (req: ChildRequest) => runSequential(req.port as number, req.requests as SequentialRequest[]),
  },
  async () => undefined,
);
child.ready();
