import { request as httpRequest } from 'node:http';

/** GET/POST over a real socket (a new one each time) with our Host header (fetch would replace it). */
export function callWithHost(
  port: number,
  host: string,
  path: string,
  options: { method?: string; token?: string; json?: unknown } = {},
): Promise<{ status: number; body: string; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const payload = options.json === undefined ? undefined : JSON.stringify(options.json);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        // A connection per request: a cluster hands connections to its workers in turn.
        agent: false,
        headers: {
          host,
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body, retryAfter: res.headers['retry-after'] }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Asks until the answer is `status` (a revocation reaches the other process asynchronously). */
export async function untilStatus(ask: () => Promise<{ status: number }>, status: number): Promise<void> {
  let last = 0;
  for (let i = 0; i < 200; i++) {
    last = (await ask()).status;
    if (last === status) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`still ${last}, never ${status}`);
}
