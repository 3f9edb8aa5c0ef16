import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../logger';
import type { TenantRecord } from '../registry/records';
import type { Registry } from '../registry/registry';

/** How long a creator's claim on its `provisioning` row lasts without renewal. */
export const PROVISIONING_LEASE_MS = 30_000;
const RENEW_EVERY_MS = 10_000;
/** Rows written before leases existed: abandoned once untouched for this long. */
const LEGACY_STALE_MS = 10 * 60 * 1000;

/** Owners of the creations this process is running now. */
const running = new Set<string>();

/** `host:pid:token` of a creation run by this process. */
export function newProvisioningOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export function leaseUntil(now = Date.now()): Date {
  return new Date(now + PROVISIONING_LEASE_MS);
}

/**
 * Whether a `provisioning` row's creator is gone, so a retry may take the row over now: its lease ran
 * out (a live creator renews it), or it ran on this host under a process id that no longer exists
 * (kill -9, a crash, a closed terminal) — known at once, without waiting for the lease.
 */
export function creatorGone(tenant: TenantRecord, now = Date.now()): boolean {
  if (tenant.status !== 'provisioning') return false;
  if (!tenant.provisioning) return now - tenant.updatedAt.getTime() > LEGACY_STALE_MS;
  if (tenant.provisioning.leaseUntil.getTime() < now) return true;
  const [host, pid] = tenant.provisioning.owner.split(':');
  if (host !== hostname()) return false;
  // This very process: gone unless that creation is still running here (it ended without cleaning up).
  if (Number(pid) === process.pid) return !running.has(tenant.provisioning.owner);
  return !processAlive(Number(pid));
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Renews the lease in the background until the returned stop function is called. */
export function keepLease(registry: Registry, tenantId: number, owner: string, logger: Logger): () => void {
  running.add(owner);
  const timer = setInterval(() => {
    registry.renewProvisioningLease(tenantId, owner, leaseUntil()).then(
      (held) => {
        if (!held) logger.warn({ tenantId, owner }, 'provisioning lease lost: the row was taken over or removed');
      },
      (err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err), tenantId }, 'provisioning lease not renewed'),
    );
  }, RENEW_EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    running.delete(owner);
  };
}
