import { type Agent, request as httpRequest } from 'node:http';
import pMap from 'p-map';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ms: number;
}

export interface SendOptions {
  method?: string;
  /** Sent as the Host header (the server routes by it). */
  host: string;
  path: string;
  token?: string;
  headers?: Record<string, string>;
  /** JSON-encoded unless `raw`. */
  json?: unknown;
  raw?: string;
  agent?: Agent;
  timeoutMs?: number;
}

/** One request over a real socket to 127.0.0.1:port with any Host header (fetch would replace it). */
export function send(port: number, o: SendOptions): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const payload = o.raw ?? (o.json === undefined ? undefined : JSON.stringify(o.json));
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: o.method ?? (payload === undefined ? 'GET' : 'POST'),
        path: o.path,
        agent: o.agent ?? false,
        headers: {
          host: o.host,
          accept: 'application/json',
          ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}),
          ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          ...o.headers,
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, ms: performance.now() - started }));
        res.on('error', reject);
      },
    );
    req.setTimeout(o.timeoutMs ?? 30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** The JSON of an answer (null when it is not JSON). */
// biome-ignore lint/suspicious/noExplicitAny: answers of every route are read field by field in the checks
export function json<T = Record<string, any>>(a: Answer): T {
  try {
    return JSON.parse(a.body) as T;
  } catch {
    return null as T;
  }
}

/** Runs `tasks` with at most `limit` at once; the answers in the order of the list. */
export function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  return pMap(tasks, (task) => task(), { concurrency: limit });
}

export function report(line: string): void {
  process.stdout.write(`adversarial: ${line}\n`);
}
