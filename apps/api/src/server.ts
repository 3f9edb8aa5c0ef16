import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { type AddressInfo, Server as NetServer, type Socket } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from './app-env';

export interface RunningServer {
  /** The port actually bound (useful with port 0). */
  port: number;
  /**
   * Graceful stop: stops accepting connections, answers every request already received or arriving on
   * an open socket (with `Connection: close`, so no client sends another on it), closes each keep-alive
   * socket once it has been idle for a second, and resolves when none is left. Whatever still runs after
   * `graceMs` is cut.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** How long a keep-alive socket must have been idle before a drain closes it. */
const IDLE_GRACE_MS = 1000;

/** Serves the app with @hono/node-server; resolves once listening, rejects when the port cannot be bound. */
export function startServer(app: Hono<AppEnv>, options: { port: number; hostname?: string }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, ...(options.hostname ? { hostname: options.hostname } : {}) }) as Server;
    const inFlight = new Set<ServerResponse>();
    // Per socket: responses in progress and when it last carried one. A keep-alive socket that was
    // busy a moment ago is likely to carry the client's next request right now; closing it under that
    // request resets it. So during a drain an idle socket is closed only once it has stayed idle for
    // IDLE_GRACE_MS (a request arriving meanwhile is answered with Connection: close).
    const sockets = new Map<Socket, { active: number; lastUsed: number }>();
    let draining = false;
    const closeWhenIdle = (socket: Socket) => {
      const state = sockets.get(socket);
      if (!state || state.active > 0) return;
      const idleFor = Date.now() - state.lastUsed;
      if (idleFor >= IDLE_GRACE_MS) socket.destroy();
      else setTimeout(() => closeWhenIdle(socket), IDLE_GRACE_MS - idleFor + 5).unref();
    };

    server.on('connection', (socket: Socket) => {
      sockets.set(socket, { active: 0, lastUsed: Date.now() });
      socket.once('close', () => sockets.delete(socket));
      if (draining) closeWhenIdle(socket);
    });

    // Registered after the app's own listener: the app answers asynchronously, so the header set here
    // (during a drain) is in place before the response head is written.
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const socket = req.socket;
      const state = sockets.get(socket);
      if (state) {
        state.active++;
        state.lastUsed = Date.now();
      }
      inFlight.add(res);
      if (draining && !res.headersSent) res.setHeader('Connection', 'close');
      res.once('close', () => {
        inFlight.delete(res);
        if (state) {
          state.active--;
          state.lastUsed = Date.now();
        }
        if (draining) closeWhenIdle(socket);
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
            // net.Server's close, not http.Server's: the latter also closes idle keep-alive sockets at
            // once, under requests their clients may be sending right now.
            NetServer.prototype.close.call(server, () => {
              clearTimeout(timer);
              done();
            });
            for (const socket of sockets.keys()) closeWhenIdle(socket);
          }),
      });
    });
  });
}
