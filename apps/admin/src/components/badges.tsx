import type { OperationOutcome, TenantHealth, TenantStatus } from '@salesfleet/contracts';
import { formatLatency } from '@salesfleet/ui';

const statusTone: Record<TenantStatus, string> = {
  active: 'good',
  provisioning: 'info',
  suspended: 'warn',
  failed: 'bad',
  deleting: 'muted',
  maintenance: 'info',
};

export function StatusBadge({ status }: { status: TenantStatus }) {
  return <span className={`badge badge-${statusTone[status] ?? 'muted'}`}>{status}</span>;
}

const outcomeTone: Record<OperationOutcome, string> = { started: 'info', succeeded: 'good', failed: 'bad' };

export function OutcomeBadge({ outcome }: { outcome: OperationOutcome }) {
  return <span className={`badge badge-${outcomeTone[outcome] ?? 'muted'}`}>{outcome}</span>;
}

export function PendingBadge({ count }: { count: number | null }) {
  if (!count) return null;
  return (
    <span className="badge badge-warn" title={`${count} migration${count === 1 ? '' : 's'} not applied yet`}>
      {count} pending
    </span>
  );
}

export type HealthState = 'healthy' | 'unreachable' | 'unknown' | 'checking';

/** A live check (TenantHealth) or the last one the registry recorded (TenantLastHealth). */
export type HealthLike = Pick<TenantHealth, 'reachable' | 'latencyMs'> & { error?: string | null | undefined };

export function healthState(health: HealthLike | undefined, loading: boolean): HealthState {
  if (!health) return loading ? 'checking' : 'unknown';
  return health.reachable && !health.error ? 'healthy' : 'unreachable';
}

/** A coloured dot plus words (never colour alone), and the latency when reachable. */
export function HealthIndicator({ health, loading = false }: { health: HealthLike | undefined; loading?: boolean }) {
  const state = healthState(health, loading);
  const label = { healthy: 'Healthy', unreachable: 'Unreachable', unknown: 'Unknown', checking: 'Checking…' }[state];
  return (
    <span className="health" title={health?.error ?? undefined}>
      <span className={`dot dot-${state}`} aria-hidden="true" />
      <span>{label}</span>
      {state === 'healthy' && <span className="muted"> · {formatLatency(health?.latencyMs)}</span>}
    </span>
  );
}
