import pMap from 'p-map';
/**
 * The subject: the real API as `pnpm start` wires it (apps/api/src/main.ts) — loadConfig from the
 * environment, openTenancy (registry, router, connection cache), createApp, startServer — on a
 * loopback port chosen by the OS. Not done here: the console build check, the first platform admin
 * and the demo tenant (start-up only). Request log lines go to stdout at LOG_LEVEL (default info), as
 * in production; the runner discards them.
 *
 * IPC: `stats` (connection cache, router, memory), `gc` (memory after a full GC, needs --expose-gc),
 * `resolve` (router.resolveHost for a list of hosts), `evict` (close a tenant's handle), `statements`
 * (SQL statements sent so far by every Sequelize instance — registry and tenants — when started
 * with BENCH_COUNT_STATEMENTS=1).
 */
import { createApiLogger, createApp, startServer } from '@salesfleet/api';
import { loadConfig, openTenancy } from '@salesfleet/tenancy';
import { Sequelize } from 'sequelize';
import { serveRequests, type ChildRequest } from '../lib/child';

function memory() {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
}

const config = loadConfig(process.env);

// Every statement of every Sequelize instance made from here on (a permanent hook on each new instance).
let statements = 0;
if (process.env.BENCH_COUNT_STATEMENTS === '1') {
  Sequelize.addHook('afterInit', (sequelize: Sequelize) => {
    sequelize.addHook('beforeQuery', () => {
      statements++;
    });
  });
}
let close: () => Promise<void> = async () => undefined;

const child = serveRequests(
  {
    stats: () => ({ connections: tenancy.connections.stats(), router: tenancy.router.stats(), memory: memory() }),
    gc: () => {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (!gc) throw new Error('start the server with --expose-gc');
      gc();
      gc();
      return memory();
    },
    resolve: async (req: ChildRequest) => {
      const hosts = req.hosts as string[];
      const kinds: Record<string, number> = {};
      await pMap(
        hosts,
        async (host) => {
          const r = await tenancy.router.resolveHost(host);
          kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
        },
        { concurrency: Number(req.concurrency ?? 8) },
      );
      return { kinds, router: tenancy.router.stats() };
    },
    statements: () => {
      if (process.env.BENCH_COUNT_STATEMENTS !== '1') throw new Error('start the server with BENCH_COUNT_STATEMENTS=1');
      return { statements };
    },
    evict: async (req: ChildRequest) => {
      await tenancy.connections.evict(req.slug as string);
      return tenancy.connections.stats();
    },
  },
  () => close(),
);

// BENCH_ROUTER_TTL_MS: experiments only (openTenancy's default, 5 s, is what `pnpm start` uses).
const routerTtlMs = process.env.BENCH_ROUTER_TTL_MS ? Number(process.env.BENCH_ROUTER_TTL_MS) : undefined;
// listen: as `pnpm start` (main.ts): the registry's change feed, which the router and the session cache rely on.
const tenancy = await openTenancy(config, { migrateRegistry: true, listen: true, ...(routerTtlMs ? { routerTtlMs } : {}) }).catch(
  (err: unknown) => child.fail(err),
);
// The API's own logger (as `pnpm start`): request lines to stdout (discarded by the runner, as a log
// shipper would take them); errors also to stderr, which lands in the run's log directory.
const logger = createApiLogger({ level: process.env.LOG_LEVEL ?? 'info', errorsToStderr: true });
const { app } = createApp(config, { tenancy, logger });
const server = await startServer(app, { port: 0, hostname: '127.0.0.1' }).catch((err: unknown) => child.fail(err));
close = async () => {
  await server.close({ graceMs: 2000 });
  await tenancy.close();
};
child.ready({ port: server.port, pid: process.pid });
