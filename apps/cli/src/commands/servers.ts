import type { TenantServerState } from '@salesfleet/contracts';
import type { TenantServerRecord } from '@salesfleet/tenancy';
import { cliActor, withTenancy, type CommandContext } from '../context';
import { UsageError } from '../errors';
import { formatDate, printTable } from '../output';

export interface ServerFlags {
  json?: boolean;
  capacity?: number;
  state?: TenantServerState;
}

const STATES: readonly string[] = ['open', 'draining', 'full'];

/** A server as printed: its connection without the password (never shown, never in JSON). */
const serverJson = (s: TenantServerRecord) => ({
  name: s.name,
  engine: s.engine,
  host: s.host,
  port: s.port,
  user: s.user,
  maintenanceDatabase: s.maintenanceDatabase,
  passwordSet: s.passwordSet,
  capacity: s.capacity,
  state: s.state,
  tenantCount: s.tenantCount,
  createdAt: s.createdAt.toISOString(),
});

const where = (s: TenantServerRecord) => `${s.engine}://${s.user ? `${s.user}@` : ''}${s.host}:${s.port}/${s.maintenanceDatabase ?? ''}`;

export async function listServersCommand(ctx: CommandContext, flags: ServerFlags): Promise<void> {
  const { out } = ctx;
  await withTenancy(ctx, {}, async (tenancy) => {
    const servers = await tenancy.provisioner.listTenantServers();
    if (flags.json) return out.json({ servers: servers.map(serverJson) });
    if (servers.length === 0) {
      out.line(
        `No tenant servers registered. Add one with: ${ctx.invokedAs} servers add pg-1 postgres://user:password@host:5432/postgres --capacity 500`,
      );
      return;
    }
    await printTable(
      out,
      [
        { header: 'Name' },
        { header: 'Engine' },
        { header: 'Where' },
        { header: 'State' },
        { header: 'Tenants', align: 'right' },
        { header: 'Load', align: 'right' },
        { header: 'Added (UTC)' },
      ],
      servers.map((s) => [
        s.name,
        s.engine,
        where(s),
        s.state,
        `${s.tenantCount}/${s.capacity}`,
        `${Math.round((100 * s.tenantCount) / s.capacity)}%`,
        formatDate(s.createdAt),
      ]),
    );
  });
}

export async function addServerCommand(ctx: CommandContext, name: string, url: string, flags: ServerFlags): Promise<void> {
  const { out } = ctx;
  await withTenancy(ctx, {}, async (tenancy) => {
    const server = await tenancy.provisioner.addTenantServer(
      { name, url, capacity: flags.capacity!, ...(flags.state ? { state: flags.state } : {}) },
      { actor: cliActor() },
    );
    if (flags.json) return out.json({ server: serverJson(server) });
    out.line(`Registered tenant server ${server.name} (${where(server)}, ${server.state}, capacity ${server.capacity}).`);
  });
}

export async function setServerStateCommand(
  ctx: CommandContext,
  name: string,
  state: string | undefined,
  flags: ServerFlags,
): Promise<void> {
  const { out } = ctx;
  if (state !== undefined && !STATES.includes(state)) throw new UsageError(`state ${state} is not one of ${STATES.join(', ')}`);
  if (state === undefined && flags.capacity === undefined) throw new UsageError('give a state (open, draining, full) and/or --capacity N');
  await withTenancy(ctx, {}, async (tenancy) => {
    const server = await tenancy.provisioner.updateTenantServer(
      name,
      { ...(state ? { state: state as TenantServerState } : {}), ...(flags.capacity !== undefined ? { capacity: flags.capacity } : {}) },
      { actor: cliActor() },
    );
    if (flags.json) return out.json({ server: serverJson(server) });
    out.line(`Tenant server ${server.name} is ${server.state} (${server.tenantCount}/${server.capacity} tenants).`);
  });
}

export async function removeServerCommand(ctx: CommandContext, name: string, flags: ServerFlags): Promise<void> {
  const { out } = ctx;
  await withTenancy(ctx, {}, async (tenancy) => {
    await tenancy.provisioner.removeTenantServer(name, { actor: cliActor() });
    if (flags.json) return out.json({ removed: true, name });
    out.line(`Removed tenant server ${name}.`);
  });
}
