import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MigrationDefinition } from '@salesfleet/migrations';

/**
 * Where a fleet migration takes its tenant migrations from when they must be loaded again in another
 * thread or process (a function cannot cross): a module (absolute path, file URL or package name)
 * and one of its exports — a list of migrations, or a function returning one, called with `args`
 * (structured-cloneable values). Without one, the list compiled into @salesfleet/migrations.
 */
export interface MigrationSource {
  module: string;
  /** Default `tenantMigrations`. */
  exportName?: string;
  args?: readonly unknown[];
}

function specifier(module: string): string {
  return isAbsolute(module) ? pathToFileURL(module).href : module;
}

/** The migrations a source names (loaded in this thread). */
export async function loadMigrationSource(source: MigrationSource): Promise<readonly MigrationDefinition[]> {
  const exportName = source.exportName ?? 'tenantMigrations';
  const mod = (await import(specifier(source.module))) as Record<string, unknown>;
  const value = mod[exportName];
  const list = typeof value === 'function' ? await (value as (...args: unknown[]) => unknown)(...(source.args ?? [])) : value;
  if (!Array.isArray(list) || !list.every((m) => typeof m?.name === 'string' && typeof m?.up === 'function'))
    throw new Error(`${source.module}: export ${exportName} is not a list of migrations (nor a function returning one)`);
  return list as MigrationDefinition[];
}
