import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP relay in front of a real database server, so a test can take that database away the way an
 * outage does — every open connection cut, new ones refused — and bring it back on the same port, or
 * make it go silent the way a dead network path does (`stall`: connections stay open, nothing moves).
 */
export class TcpProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  readonly #pairs = new Set<[Socket, Socket]>();
  #stalled = false;
  #server: Server | null = null;
  #port = 0;

  private constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  /** Listens on a free port of 127.0.0.1 and relays every connection to `target`. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.up();
    return proxy;
  }

  get port(): number {
    return this.#port;
  }

  /** Accepts (again) on the same port. */
  async up(): Promise<void> {
    if (this.#server) return;
    const server = createServer((client) => {
      const upstream = connect(this.#target.port, this.#target.host);
      const pair: [Socket, Socket] = [client, upstream];
      for (const s of pair) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => undefined); // a cut connection is the point; both ends are destroyed below
      }
      this.#pairs.add(pair);
      if (!this.#stalled) relay(pair);
      client.on('close', () => {
        this.#pairs.delete(pair);
        upstream.destroy();
      });
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Stops moving bytes both ways without closing anything: the path goes silent. */
  stall(): void {
    this.#stalled = true;
    for (const [client, upstream] of this.#pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Cuts every relayed connection and stops listening: connects are refused until `up()`. */
  async down(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    this.#stalled = false;
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    this.#pairs.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function relay([client, upstream]: [Socket, Socket]): void {
  client.pipe(upstream);
  upstream.pipe(client);
}
