/**
 * Test support for the CLI's integration tests: spawns the real CLI (`node bin/salesfleet.js`, the
 * same path `pnpm cli` takes) against a temporary data dir, with managed tenant databases as SQLite
 * files or on the test PostgreSQL / MariaDB server, and inspects what it left behind (registry rows,
 * files, databases, operations log). `cleanup()` drops every `sales_<slug>` database the workspace's
 * slugs could have made — also after a failed test — and removes the directory.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testServerUrls, type TestDialect } from '@salesfleet/models/testing';
import {
  driverFor,
  makeConfig,
  managedDatabaseName,
  openTenancy,
  parseDatabaseUrl,
  type DatabaseSpec,
  type OperationRecord,
  type Tenancy,
  type TenantRecord,
} from '@salesfleet/tenancy';

export const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/salesfleet.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Extra environment (undefined removes a variable). */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** Runs the CLI once. stdin is an empty pipe (not a terminal), like in CI or a cron job. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.end();
    child.on('error', reject);
    child.on('close', (code, signal) => resolveRun({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** The parent's environment without anything that would steer the CLI (pnpm's, SALESFLEET_*). */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'INIT_CWD' || k.startsWith('npm_') || (k.startsWith('SALESFLEET_') && !k.startsWith('SALESFLEET_TEST_'))) continue;
    env[k] = v;
  }
  env.NO_COLOR = '1';
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface CliWorkspace {
  dialect: TestDialect;
  dataDir: string;
  /** The tenant server URL for postgres/mysql (null for sqlite). */
  serverUrl: string | null;
  env: NodeJS.ProcessEnv;
  run(args: readonly string[], options?: RunOptions): Promise<CliResult>;
  /** A fresh slug, remembered for cleanup. */
  slug(prefix?: string): string;
  /** Remembers a database name to drop at cleanup (explicit databases made by a test). */
  track(databaseName: string): void;
  /** The registry row, read in this process (null when there is none). */
  tenantRow(slug: string): Promise<TenantRecord | null>;
  operations(): Promise<OperationRecord[]>;
  /** Whether the managed database of `slug` exists (SQLite file or `sales_<slug>`). */
  databaseExists(slug: string): Promise<boolean>;
  /** Every file under `<dataDir>/logs`, concatenated. */
  logs(): string;
  cleanup(): Promise<void>;
}

export async function createCliWorkspace(dialect: TestDialect): Promise<CliWorkspace> {
  const dataDir = mkdtempSync(join(tmpdir(), 'salesfleet-cli-'));
  const secretKey = randomBytes(32).toString('base64url');
  const serverUrl = dialect === 'sqlite' ? null : testServerUrls[dialect];
  const env = cleanEnv({
    SALESFLEET_DATA_DIR: dataDir,
    SALESFLEET_SECRET_KEY: secretKey,
    SALESFLEET_TENANT_SERVER_URL: serverUrl ?? undefined,
    SALESFLEET_DB_CONNECT_TIMEOUT_MS: '10000',
  });
  const slugs = new Set<string>();
  const extraDatabases = new Set<string>();
  const ctx = { dataDir, connectTimeoutMs: 10_000 };
  const serverSpec = (database: string): DatabaseSpec => ({ ...parseDatabaseUrl(serverUrl!), database });

  const withTenancy = async <T>(fn: (t: Tenancy) => Promise<T>): Promise<T> => {
    const tenancy = await openTenancy(makeConfig({ dataDir, secretKey, tenantServerUrl: serverUrl }), { templates: false });
    try {
      return await fn(tenancy);
    } finally {
      await tenancy.close();
    }
  };

  return {
    dialect,
    dataDir,
    serverUrl,
    env,
    run: (args, options = {}) => runCli(args, mergeEnv(env, options.env ?? {}), options.cwd ?? dataDir),
    slug(prefix = 'c') {
      const slug = `${prefix}${randomBytes(5).toString('hex')}`;
      slugs.add(slug);
      return slug;
    },
    track: (name) => void extraDatabases.add(name),
    tenantRow: (slug) => withTenancy((t) => t.registry.findTenant(slug)),
    operations: () => withTenancy((t) => t.registry.listOperations({ limit: 1000 })),
    async databaseExists(slug) {
      if (dialect === 'sqlite') return existsSync(join(dataDir, 'tenants', `${slug}.sqlite`));
      return driverFor(dialect).exists(serverSpec(managedDatabaseName(slug)), ctx);
    },
    logs() {
      const dir = join(dataDir, 'logs');
      if (!existsSync(dir)) return '';
      return readdirSync(dir)
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('\n');
    },
    async cleanup() {
      try {
        if (serverUrl) {
          const names = [...[...slugs].map(managedDatabaseName), ...extraDatabases];
          for (const name of names)
            await driverFor(dialect as 'postgres' | 'mysql')
              .drop(serverSpec(name), ctx)
              .catch(() => undefined);
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

function mergeEnv(base: NodeJS.ProcessEnv, extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** How many times `needle` occurs in `haystack`. */
export function occurrences(haystack: string, needle: string): number {
  return needle ? haystack.split(needle).length - 1 : 0;
}
