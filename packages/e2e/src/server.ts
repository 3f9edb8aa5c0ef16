// Starts a real Salesfleet server (`pnpm start` at the repo root) on a temporary data directory and
// a free port, for the console's end-to-end tests.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The line the server prints for the first platform admin (agreed with apps/api). */
export const ADMIN_PASSWORD_PATTERN = /one-time password: (\S+)/;
export const ADMIN_USERNAME = 'admin';

const START_TIMEOUT_MS = Number(process.env.SALESFLEET_E2E_START_TIMEOUT_MS ?? 180_000);

export interface RunningServer {
  port: number;
  /** http://localhost:<port> */
  origin: string;
  dataDir: string;
  adminPassword: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * GET through the server's port with an explicit Host header, so `<slug>.localhost` works whatever
 * the machine's resolver does with *.localhost names.
 */
export function httpGet(port: number, host: string, path = '/', timeoutMs = 10_000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: 'localhost', port, path, method: 'GET', headers: { host, accept: 'text/html' }, timeout: timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET http://${host}${path} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matches terminal escape sequences on purpose
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

function describeFailure(reason: string, command: string, dataDir: string, port: number, output: string): Error {
  // The throwaway admin password is still a password: keep it out of test logs.
  const tail = output
    .replace(/(one-time password: )\S+/g, '$1••••••')
    .split('\n')
    .slice(-40)
    .join('\n');
  return new Error(
    `The end-to-end tests could not start a Salesfleet server: ${reason}\n` +
      `  command:  ${command} (in ${REPO_ROOT})\n` +
      `  env:      SALESFLEET_DATA_DIR=${dataDir} PORT=${port}\n` +
      `  expected: a line matching ${ADMIN_PASSWORD_PATTERN} on stdout and 200 from http://localhost:${port}/readyz\n` +
      `--- last output ---\n${tail || '(no output)'}\n-------------------`,
  );
}

function serverEnv(dataDir: string, port: number, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...extra,
    SALESFLEET_DATA_DIR: dataDir,
    PORT: String(port),
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
  // A fresh platform: no demo workspace, so the console starts from its empty state.
  delete env.SALESFLEET_DEMO;
  return env;
}

/** Spawns the server (with `env` added to this process's) and resolves once it printed the admin's one-time password and /readyz answers 200. */
export async function startServer(options: { env?: Record<string, string> } = {}): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'salesfleet-e2e-'));
  const command = process.env.SALESFLEET_E2E_START_COMMAND ?? 'pnpm start';
  let output = '';
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  const child: ChildProcess = spawn(command, {
    cwd: REPO_ROOT,
    shell: true,
    detached: true, // own process group: stop() ends pnpm and the server it started
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serverEnv(dataDir, port, options.env ?? {}),
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8').replace(ANSI, '');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.on('exit', (code, signal) => (exited = { code, signal }));
  child.on('error', (err) => (output += `\n[spawn error] ${err.message}\n`));

  async function stop(): Promise<void> {
    if (exited || child.pid === undefined) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        if (!exited && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 10_000);
    await gone;
    clearTimeout(timer);
  }

  const cleanup = async () => {
    await stop();
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  let adminPassword: string | undefined;
  let ready = false;
  while (Date.now() < deadline) {
    if (exited) {
      const { code, signal } = exited;
      await cleanup();
      throw describeFailure(`the process exited (code ${code}, signal ${signal}) before it was ready`, command, dataDir, port, output);
    }
    adminPassword ??= ADMIN_PASSWORD_PATTERN.exec(output)?.[1];
    if (!ready) {
      ready = await httpGet(port, `localhost:${port}`, '/readyz', 2_000).then(
        (r) => r.status === 200,
        () => false,
      );
    }
    if (ready && adminPassword) {
      return { port, origin: `http://localhost:${port}`, dataDir, adminPassword, output: () => output, stop: cleanup };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await cleanup();
  const missing = [!ready && '/readyz never answered 200', !adminPassword && 'no one-time password line was printed'].filter(Boolean);
  throw describeFailure(`not ready after ${START_TIMEOUT_MS / 1000} s (${missing.join('; ')})`, command, dataDir, port, output);
}

export interface JsonAnswer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
}

/**
 * A JSON request through the server's port with an explicit Host header (a tenant's
 * `<slug>.localhost`, whatever the machine's resolver does with it), optionally as a bearer session.
 */
export function httpJson(
  port: number,
  host: string,
  method: string,
  path: string,
  options: { json?: unknown; token?: string; timeoutMs?: number } = {},
): Promise<JsonAnswer> {
  const payload = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: Record<string, string> = { host, accept: 'application/json' };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: 'localhost', port, path, method, headers, timeout: options.timeoutMs ?? 120_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as JsonAnswer['body']) : {} });
        } catch {
          reject(
            new Error(`${method} http://${host}${path} answered ${res.statusCode} with something that is not JSON: ${text.slice(0, 200)}`),
          );
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} http://${host}${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Through the Platform API: the first platform admin signs in with the printed one-time password,
 * chooses a new one, and creates a workspace; resolves to its host and its admin's one-time password.
 */
export async function createWorkspace(
  server: RunningServer,
  input: { name: string; subdomain: string; multiLocation?: boolean; maxUsers?: number; demoData?: boolean },
): Promise<{ host: string; origin: string; adminUsername: string; adminPassword: string }> {
  const platform = `localhost:${server.port}`;
  const fail = (what: string, answer: JsonAnswer) =>
    new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  const login = await httpJson(server.port, platform, 'POST', '/api/platform/auth/login', {
    json: { login: ADMIN_USERNAME, password: server.adminPassword },
  });
  if (login.status !== 200) throw fail('platform sign-in', login);
  const token = String(login.body.token);
  const newPassword = `platform e2e ${Math.random().toString(36).slice(2)}`;
  const changed = await httpJson(server.port, platform, 'POST', '/api/platform/auth/change-password', {
    token,
    json: { currentPassword: server.adminPassword, newPassword },
  });
  if (changed.status !== 200) throw fail('platform password change', changed);
  const created = await httpJson(server.port, platform, 'POST', '/api/platform/tenants', {
    token,
    json: { adminEmail: `owner@${input.subdomain}.example`, ...input },
  });
  if (created.status !== 201) throw fail('creating the workspace', created);
  const admin = created.body.admin as { username: string; oneTimePassword: string };
  const host = `${input.subdomain}.localhost:${server.port}`;
  return { host, origin: `http://${host}`, adminUsername: admin.username, adminPassword: admin.oneTimePassword };
}
