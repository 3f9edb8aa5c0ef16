import { z } from 'zod';

/**
 * Tenant servers (placement): the database servers new tenants are spread over. `open` takes new
 * tenants; `draining` and `full` take none (draining: its tenants are being moved away).
 */
export const TENANT_SERVER_STATES = ['open', 'draining', 'full'] as const;
export type TenantServerState = (typeof TENANT_SERVER_STATES)[number];
export const tenantServerStateSchema = z.enum(TENANT_SERVER_STATES);

/** The engines a tenant server can run (a SQLite tenant is a file in the data dir, on no server). */
export const SERVER_ENGINES = ['postgres', 'mysql'] as const;
export type ServerEngine = (typeof SERVER_ENGINES)[number];

export const TENANT_SERVER_NAME_MESSAGE = 'must be 1–63 lower-case letters, digits and hyphens, starting with a letter';
const NAME = /^[a-z][a-z0-9-]{0,62}$/;

export function isTenantServerName(value: unknown): value is string {
  return typeof value === 'string' && NAME.test(value);
}

export const tenantServerNameSchema = z.string().trim().regex(NAME, TENANT_SERVER_NAME_MESSAGE);

/** Tenants a server may hold: a whole number from 1. */
export const MAX_SERVER_CAPACITY = 1_000_000;
export const tenantServerCapacitySchema = z.number().int().min(1).max(MAX_SERVER_CAPACITY);
