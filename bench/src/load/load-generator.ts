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
  /** GET unless told (a write benchmark POSTs `body`, JSON). */
  method?: 'GET' | 'POST';
  body?: unknown;
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
  /** The load generator's own CPU time over the run (user + system, µs, every thread of its process). */
  loadCpuMicros: number;
}

async function runAutocannon(r: LoadRequest): Promise<LoadResult> {
  const cpuBefore = process.cpuUsage();
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
          method: r.method ?? 'GET',
          path: r.path,
          ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }),
          setupRequest: (req) => {
            const host = r.hosts[next++ % r.hosts.length]!;
            const json = r.body === undefined ? {} : { 'content-type': 'application/json' };
            return { ...req, headers: { ...r.headers, ...json, host } };
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
  const cpu = process.cpuUsage(cpuBefore);
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
    loadCpuMicros: cpu.user + cpu.system,
  };
}

export interface SequentialRequest {
  host: string;
  path: string;
  /** GET unless told; `body` is sent as JSON. */
  method?: 'GET' | 'POST';
  body?: unknown;
  headers?: Record<string, string>;
  /** Label the runner groups latencies by (`cold`, `warm` …). */
  label: string;
  /** Return the response body too. */
  keepBody?: boolean;
}

export interface SequentialResult {
  label: string;
  status: number;
  ms: number;
  /** The response body, when the request asked for it (`keepBody`). */
  body?: string;
}

async function runSequential(port: number, requests: SequentialRequest[]): Promise<SequentialResult[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const out: SequentialResult[] = [];
  try {
    for (const r of requests) {
      const started = process.hrtime.bigint();
      const payload = r.body === undefined ? undefined : JSON.stringify(r.body);
      const json =
        payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) };
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port, path: r.path, method: r.method ?? 'GET', agent, headers: { ...r.headers, ...json, host: r.host } },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (body += d));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
      out.push({
        label: r.label,
        status: answer.status,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        ...(r.keepBody ? { body: answer.body } : {}),
      });
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
