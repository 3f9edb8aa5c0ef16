import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { requiredServers, testServerUrls } from '@salesfleet/models/testing';

export const PGBOUNCER_PATH = process.env.PGBOUNCER_PATH ?? '/usr/sbin/pgbouncer';

/**
 * Why PgBouncer tests cannot run here, or null when they can — or must: with `pgbouncer` in
 * SALESFLEET_TEST_REQUIRE_SERVERS (CI) a missing binary fails the test instead of skipping it.
 */
export function pgbouncerSkipReason(): string | null {
  if (existsSync(PGBOUNCER_PATH) || requiredServers().has('pgbouncer')) return null;
  return `PgBouncer not found at ${PGBOUNCER_PATH}: skipping the pooler tests (apt-get install -y pgbouncer; SALESFLEET_TEST_REQUIRE_SERVERS=pgbouncer makes this a failure)`;
}

export interface PgBouncer {
  port: number;
  /** PgBouncer's process id (it runs in the foreground: CPU readings from /proc). */
  pid: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: the pooler as a tenant-server URL. */
  url: string;
  /** PgBouncer's log and standard error so far (for a failing test's message). */
  log(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Debian's PgBouncer on a free local port in front of the test PostgreSQL server, in transaction
 * mode with `poolSize` server connections per database: any database name is passed through
 * (`* =`), logging in as the server's user. Runs as `postgres` when the tests run as root (PgBouncer
 * refuses root). `stop()` ends it and removes its files.
 */
export async function startPgBouncer(
  options: {
    poolSize?: number;
    maxClients?: number;
    /**
     * Server connections over all databases together (`max_user_connections`: every database logs in
     * as the server's one user, who is then the only user clients may log in as); default unlimited.
     */
    maxServerConnections?: number;
    /**
     * Seconds an idle server connection is kept (default 1, so that a test's database can be dropped
     * when it is done; PgBouncer's own default is 600).
     */
    serverIdleTimeoutSeconds?: number;
  } = {},
): Promise<PgBouncer> {
  if (!existsSync(PGBOUNCER_PATH))
    throw new Error(`PgBouncer is required but ${PGBOUNCER_PATH} does not exist (apt-get install -y pgbouncer)`);
  const server = new URL(testServerUrls.postgres);
  const dir = mkdtempSync(join(tmpdir(), 'salesfleet-pgbouncer-'));
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  const logFile = join(dir, 'pgbouncer.log');
  const user = decodeURIComponent(server.username || 'postgres');
  // With a cap, clients log in as the server's user itself (trust, listed in an auth file) so that
  // their pools count against max_user_connections: PgBouncer 1.18 does not count the server
  // connections of a forced `user=` (auth_type any) — measured, 6 backends open under a cap of 4.
  // Past the cap it closes another database's idle server connection to open one ("evicted").
  const capped = options.maxServerConnections !== undefined;
  const authFile = join(dir, 'users.txt');
  if (capped) writeFileSync(authFile, `"${user.replace(/"/g, '""')}" ""\n`);
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432}${capped ? '' : ` user=${user}`}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      ...(capped
        ? ['auth_type = trust', `auth_file = ${authFile}`, `max_user_connections = ${options.maxServerConnections}`]
        : ['auth_type = any']),
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize ?? 2}`,
      `max_client_conn = ${options.maxClients ?? 1000}`,
      `server_idle_timeout = ${options.serverIdleTimeoutSeconds ?? 1}`,
      `logfile = ${logFile}`,
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  const root = userInfo().uid === 0;
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chmodSync(dir, 0o755);
    chownSync(dir, uid, gid);
    chownSync(ini, uid, gid);
    if (capped) chownSync(authFile, uid, gid);
  }
  const child: ChildProcess = spawn(PGBOUNCER_PATH, [...(root ? ['-u', 'postgres'] : []), ini], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '') + stderr;
  const deadline = Date.now() + 10_000;
  while (!(await accepting(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`PgBouncer did not start: ${log().slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    pid: child.pid ?? 0,
    url: `postgres://${server.username || 'postgres'}@127.0.0.1:${port}/postgres`,
    log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
