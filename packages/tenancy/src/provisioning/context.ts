import type { DatabaseSpec, DriverContext, OpenSequelizeOptions } from '../drivers/index';
import type { Logger } from '../logger';
import { redact } from '../mask';
import { serverDriverContext } from '../server-context';
import type { TenantRecord } from '../registry/records';
import type { ProvisionerDeps, ProvisionerTestHooks } from './types';
import { Conflict } from '@salesfleet/contracts';

/** What every use case of the provisioner works with: the tenancy's parts, read-only. */
export interface ProvisioningContext extends Readonly<ProvisionerDeps> {
  readonly hooks: ProvisionerTestHooks;
  readonly logger: Logger;
}

export function driverContext(ctx: ProvisioningContext): DriverContext {
  return { dataDir: ctx.config.dataDir, connectTimeoutMs: ctx.config.dbConnectTimeoutMs, logger: ctx.logger };
}

/** Options for a short-lived Sequelize instance on a tenant database (provisioning, migrations, health). */
export function sequelizeOptions(ctx: ProvisioningContext, extra: { poolMax?: number } = {}): OpenSequelizeOptions {
  return {
    dataDir: ctx.config.dataDir,
    connectTimeoutMs: ctx.config.dbConnectTimeoutMs,
    acquireTimeoutMs: ctx.config.dbConnectTimeoutMs,
    tenant: true,
    ...extra,
  };
}

/** The driver context for an existing tenant's database (the maintenance database its server records). */
export function serverContextFor(ctx: ProvisioningContext, spec: DatabaseSpec): Promise<DriverContext> {
  return serverDriverContext(ctx, spec);
}

/** A tenant whose database can be used now (active or suspended). */
export async function usableTenant(ctx: ProvisioningContext, slug: string): Promise<TenantRecord> {
  const tenant = await ctx.registry.getTenant(slug);
  if (tenant.status !== 'active' && tenant.status !== 'suspended') {
    throw new Conflict(`Tenant "${slug}" is ${tenant.status}`);
  }
  return tenant;
}

/** A database error as a message safe to show: the spec's password and URL passwords masked. */
export function unreachableMessage(err: unknown, spec: DatabaseSpec | null): string {
  const message = err instanceof Error ? err.message : String(err);
  return redact(message, [spec?.password]);
}

export function parseDate(
  value: Date | string | null | undefined,
  path: string,
  problems: { path: string; message: string }[],
): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    problems.push({ path, message: 'must be a date (ISO 8601)' });
    return null;
  }
  return date;
}
