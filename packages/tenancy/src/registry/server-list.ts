/**
 * The rules of a tenant server entry (name, capacity, state, URL) and `SALESFLEET_TENANT_SERVERS`'s
 * parser: plain functions without the database layer, so that loading the configuration (config.ts)
 * does not load Sequelize (the API's cluster primary forks its workers before loading it).
 */
import {
  MAX_SERVER_CAPACITY,
  type ServerEngine,
  TENANT_SERVER_NAME_MESSAGE,
  TENANT_SERVER_STATES,
  type TenantServerState,
  ValidationFailed,
  isTenantServerName,
} from '@salesfleet/contracts';
import { type DatabaseSpec, parseDatabaseUrl } from '../drivers/spec';

export interface NewTenantServer {
  name: string;
  /** `postgres://user:password@host:port/maintenance-db` or `mysql://…`. */
  url: string;
  capacity: number;
  state?: TenantServerState;
}

/** Parses `SALESFLEET_TENANT_SERVERS`: whitespace- or comma-separated `name:capacity=url` entries. */
export function parseTenantServers(text: string): NewTenantServer[] {
  const servers: NewTenantServer[] = [];
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const m = /^([^:=]+):(\d+)=(.+)$/.exec(entry);
    if (!m) throw new ValidationFailed('expected name:capacity=url entries', [{ path: 'servers', message: 'use name:capacity=url' }]);
    const server = { name: checkName(m[1]!), capacity: checkCapacity(Number(m[2])), url: m[3]! };
    serverSpec(server.url);
    if (servers.some((s) => s.name === server.name)) {
      throw new ValidationFailed(`server "${server.name}" is listed twice`, [{ path: 'servers', message: 'names must be unique' }]);
    }
    servers.push(server);
  }
  return servers;
}

export function serverSpec(url: string): DatabaseSpec & { engine: ServerEngine; host: string; port: number } {
  const spec = parseDatabaseUrl(url);
  if (spec.engine === 'sqlite' || !spec.host || !spec.port) {
    throw new ValidationFailed('A tenant server is a PostgreSQL or MySQL/MariaDB server', [
      { path: 'url', message: 'must be a postgres:// or mysql:// URL with a host' },
    ]);
  }
  return spec as DatabaseSpec & { engine: ServerEngine; host: string; port: number };
}

export function checkName(name: string): string {
  const n = String(name ?? '')
    .trim()
    .toLowerCase();
  if (!isTenantServerName(n))
    throw new ValidationFailed(`Invalid server name: ${TENANT_SERVER_NAME_MESSAGE}`, [
      { path: 'name', message: TENANT_SERVER_NAME_MESSAGE },
    ]);
  return n;
}

export function checkCapacity(capacity: number): number {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_SERVER_CAPACITY) {
    throw new ValidationFailed('Invalid capacity', [
      { path: 'capacity', message: `must be a whole number of tenants from 1 to ${MAX_SERVER_CAPACITY}` },
    ]);
  }
  return capacity;
}

export function checkState(state: string): TenantServerState {
  if (!(TENANT_SERVER_STATES as readonly string[]).includes(state)) {
    throw new ValidationFailed('Invalid server state', [{ path: 'state', message: `must be one of ${TENANT_SERVER_STATES.join(', ')}` }]);
  }
  return state as TenantServerState;
}
