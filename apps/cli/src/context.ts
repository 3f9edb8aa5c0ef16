import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { Tenancy } from '@salesfleet/tenancy';
import type { Config } from '@salesfleet/tenancy/config';
import { CliError } from './errors';
import type { Output } from './output';

/** What every command receives. */
export interface CommandContext {
  out: Output;
  /** How the user runs us (`pnpm cli`, `salesfleet`), for hints and examples. */
  invokedAs: string;
}

/** `cli:<os user>` — recorded as the actor of every operation. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username || 'unknown'}`;
  } catch {
    return `cli:${process.env.USER ?? process.env.USERNAME ?? 'unknown'}`;
  }
}

/** The tenancy package, loaded on first use so that `--help` and usage errors start instantly. */
export function loadTenancyPackage(): Promise<typeof import('@salesfleet/tenancy')> {
  return import('@salesfleet/tenancy');
}

export interface OpenOptions {
  /** Apply pending registry migrations (`init`, `migrate-tenants`); default: pending → error. */
  migrateRegistry?: boolean;
  /** Create the registry when it does not exist yet (`init` only). */
  createRegistry?: boolean;
}

/**
 * Loads `.env` and the configuration, then opens the registry. Without SALESFLEET_REGISTRY_URL the
 * registry is `<data dir>/registry.sqlite`; unless `createRegistry`, a missing file is an error that
 * points at `init` — instead of silently creating an empty registry (and a secret key) wherever the
 * command happens to run.
 */
export async function openCliTenancy(ctx: CommandContext, options: OpenOptions = {}, loaded?: Config): Promise<Tenancy> {
  const config = loaded ?? (await loadCliConfig(ctx, options));
  const tenancy = await loadTenancyPackage();
  const opened = await tenancy.openTenancy(config, {
    migrateRegistry: options.migrateRegistry === true,
    logger: cliLogger(tenancy.lineLogger),
  });
  if (opened.registryDatabaseCreated) {
    ctx.out.note(`registry: created the database ${tenancy.maskUrl(config.registryUrl ?? '')} (it did not exist)`);
  }
  return opened;
}

/**
 * `.env` and the configuration, without the database layer (`@salesfleet/tenancy/config`); a missing
 * SQLite registry is an error unless `createRegistry` (see openCliTenancy).
 */
export async function loadCliConfig(ctx: CommandContext, options: OpenOptions = {}): Promise<Config> {
  const { loadConfig, loadDotEnv, maskUrl } = await import('@salesfleet/tenancy/config');
  loadDotEnv();
  if (!options.createRegistry) assertRegistryExists(ctx, process.env);
  const config = loadConfig();
  if (config.registryUrlFrom === 'DATABASE_URL') {
    ctx.out.note(`registry: DATABASE_URL (${maskUrl(config.registryUrl!)}), as SALESFLEET_REGISTRY_URL is unset`);
  }
  return config;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * Failures tenancy handles without throwing go to stderr: errors only (the command prints its own
 * outcome), or from LOG_LEVEL (`warn`, `info`, `debug`) when set — stdout stays the command's output.
 */
function cliLogger(lineLogger: typeof import('@salesfleet/tenancy').lineLogger) {
  const wanted = process.env.LOG_LEVEL?.trim().toLowerCase();
  const level = LOG_LEVELS.find((l) => l === wanted) ?? 'error';
  return lineLogger(level);
}

function assertRegistryExists(ctx: CommandContext, env: NodeJS.ProcessEnv): void {
  if (env.SALESFLEET_REGISTRY_URL?.trim() || env.DATABASE_URL?.trim()) return;
  const dataDir = resolve(env.SALESFLEET_DATA_DIR?.trim() || './data');
  if (!existsSync(join(dataDir, 'registry.sqlite'))) {
    throw new CliError(
      `no registry in ${dataDir} (registry.sqlite does not exist); run \`${ctx.invokedAs} init\` first, or set SALESFLEET_DATA_DIR to your data directory`,
    );
  }
}

/** Runs `fn` with an open tenancy and always closes it (tenant handles, registry). */
export async function withTenancy<T>(
  ctx: CommandContext,
  options: OpenOptions,
  fn: (tenancy: Tenancy) => Promise<T>,
  loaded?: Config,
): Promise<T> {
  const tenancy = await openCliTenancy(ctx, options, loaded);
  try {
    return await fn(tenancy);
  } finally {
    await tenancy.close().catch(() => undefined);
  }
}
