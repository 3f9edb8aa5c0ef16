import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from './app-env';

export interface RunningServer {
  /** The port actually bound (useful with port 0). */
  port: number;
  /**
   * Graceful stop: stops accepting connections, closes idle keep-alive sockets at once, answers every
   * request already received (with `Connection: close`, so no client sends another on that socket),
   * closes each socket as its last response ends, and resolves when none is left. Whatever still runs
   * after `graceMs` is cut.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** Serves the app with @hono/node-server; resolves once listening, rejects when the port cannot be bound. */
export function startServer(app: Hono<AppEnv>, options: { port: number; hostname?: string }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, ...(options.hostname ? { hostname: options.hostname } : {}) }) as Server;
    const inFlight = new Set<ServerResponse>();
    let draining = false;

    // Registered after the app's own listener: the app answers asynchronously, so the header set here
    // (during a drain) is in place before the response head is written.
    server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
      inFlight.add(res);
      if (draining && !res.headersSent) res.setHeader('Connection', 'close');
      res.once('close', () => {
        inFlight.delete(res);
        // The socket that carried it is idle now (or closing): let it go.
        if (draining) server.closeIdleConnections();
      });
    });

    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({
        port,
        close: ({ graceMs = 5000 } = {}) =>
          new Promise<void>((done) => {
            draining = true;
            for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
            const timer = setTimeout(() => server.closeAllConnections(), graceMs);
            timer.unref();
            server.close(() => {
              clearTimeout(timer);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
