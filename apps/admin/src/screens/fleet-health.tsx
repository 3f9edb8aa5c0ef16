import pMap from 'p-map';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { FLEET_HEALTH_INTERVAL_MS, useFleetHealth } from '../api/health';
import { queryKeys } from '../api/query-keys';
import { migrateTenant } from '../api/tenants';
import { HealthIndicator, PendingBadge, StatusBadge } from '../components/badges';
import { EmptyState, ErrorNotice, formatBytes, formatDateTime, formatDuration, formatRelative, Loading } from '@salesfleet/ui';
import { sortHealthFailuresFirst } from '../lib/tenant-table';
import type { MigrationResult, TenantHealth } from '@salesfleet/contracts';
import { useDocumentTitle } from '../lib/use-document-title';

export const MIGRATE_ALL_CONCURRENCY = 2;

type MigrationRun =
  | { state: 'queued' }
  | { state: 'running' }
  | { state: 'done'; result: MigrationResult }
  | { state: 'error'; message: string; requestId: string | null }
  | { state: 'skipped' };

/** Tenants that can be migrated: not half-created nor being deleted. */
function migratable(h: TenantHealth): boolean {
  return h.status !== 'provisioning' && h.status !== 'deleting';
}

export function FleetHealthScreen() {
  useDocumentTitle('Fleet health');
  const health = useFleetHealth({ refetchInterval: FLEET_HEALTH_INTERVAL_MS });
  const items = health.data ? sortHealthFailuresFirst(health.data) : [];
  const failing = items.filter((h) => !h.reachable || h.error).length;
  const pending = items.filter((h) => (h.pendingMigrations ?? 0) > 0).length;

  return (
    <section>
      <div className="page-header">
        <div>
          <h1>Fleet health</h1>
          <p className="muted" aria-live="polite">
            Refreshed every {FLEET_HEALTH_INTERVAL_MS / 1000} s
            {health.dataUpdatedAt > 0 && <> · last check {formatDateTime(new Date(health.dataUpdatedAt).toISOString())}</>}
            {health.isFetching && ' · checking…'}
          </p>
        </div>
        <button
          type="button"
          className="secondary outline"
          onClick={() => void health.refetch()}
          disabled={health.isFetching}
          aria-busy={health.isFetching}
        >
          Check now
        </button>
      </div>

      {health.isPending && <Loading label="Checking every tenant…" />}
      {health.isError && <ErrorNotice error={health.error} title="Could not check the fleet" onRetry={() => void health.refetch()} />}
      {health.data && items.length === 0 && (
        <EmptyState title="No tenants to watch">
          <p>
            Health appears here once the first tenant exists. <Link to="/tenants/new">Create a tenant</Link>.
          </p>
        </EmptyState>
      )}
      {items.length > 0 && (
        <>
          <ul className="summary" aria-label="Summary">
            <li>
              <strong>{items.length}</strong> tenants
            </li>
            <li className={failing ? 'summary-bad' : 'summary-good'}>
              <strong>{failing}</strong> failing
            </li>
            <li className={pending ? 'summary-warn' : undefined}>
              <strong>{pending}</strong> with pending migrations
            </li>
          </ul>
          <MigrateAll tenants={items} />
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Fleet health table">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Tenant</th>
                  <th scope="col">Status</th>
                  <th scope="col">Health</th>
                  <th scope="col">Schema</th>
                  <th scope="col">Users</th>
                  <th scope="col">Size</th>
                  <th scope="col">Checked</th>
                </tr>
              </thead>
              <tbody>
                {items.map((h) => (
                  <tr key={h.slug} className={!h.reachable || h.error ? 'row-failing' : undefined}>
                    <th scope="row">
                      <Link to={`/tenants/${h.slug}`}>{h.slug}</Link>
                    </th>
                    <td>
                      <StatusBadge status={h.status} />
                    </td>
                    <td>
                      <HealthIndicator health={h} />
                      {h.error && <div className="field-error small-text">{h.error}</div>}
                    </td>
                    <td>
                      <span className="schema">{h.schemaVersion ?? '—'}</span> <PendingBadge count={h.pendingMigrations} />
                    </td>
                    <td className="num">
                      {h.userCount ?? '—'} / {h.maxUsers}
                    </td>
                    <td className="num">{formatBytes(h.sizeBytes)}</td>
                    <td className="nowrap" title={formatDateTime(h.checkedAt)}>
                      {formatRelative(h.checkedAt)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** Migrates tenant by tenant (MIGRATE_ALL_CONCURRENCY at a time) so progress and failures show per tenant. */
export function MigrateAll({ tenants }: { tenants: TenantHealth[] }) {
  const client = useQueryClient();
  const [runs, setRuns] = useState<Map<string, MigrationRun>>(new Map());
  const [running, setRunning] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const stopRequested = useRef(false);
  const [order, setOrder] = useState<string[]>([]);

  const eligible = tenants.filter(migratable).map((h) => h.slug);

  async function start() {
    setConfirming(false);
    stopRequested.current = false;
    const slugs = [...eligible];
    setOrder(slugs);
    setRuns(new Map(slugs.map((s) => [s, { state: 'queued' } as MigrationRun])));
    setRunning(true);
    const record = (slug: string, run: MigrationRun) => setRuns((current) => new Map(current).set(slug, run));
    await pMap(
      slugs,
      async (slug) => {
        // Stop: slugs not started yet stay queued (marked skipped below).
        if (stopRequested.current) return;
        record(slug, { state: 'running' });
        try {
          record(slug, { state: 'done', result: await migrateTenant(slug) });
        } catch (err) {
          const requestId = err && typeof err === 'object' && 'requestId' in err ? (err.requestId as string | null) : null;
          record(slug, { state: 'error', message: err instanceof Error ? err.message : String(err), requestId });
        }
      },
      { concurrency: MIGRATE_ALL_CONCURRENCY },
    );
    if (stopRequested.current) {
      setRuns((current) => {
        const next = new Map(current);
        for (const [slug, run] of next) if (run.state === 'queued') next.set(slug, { state: 'skipped' });
        return next;
      });
    }
    setRunning(false);
    void client.invalidateQueries({ queryKey: queryKeys.fleetHealth });
    void client.invalidateQueries({ queryKey: queryKeys.tenants });
    void client.invalidateQueries({ queryKey: ['operations'] });
  }

  const finished = [...runs.values()].filter((r) => r.state === 'done' || r.state === 'error' || r.state === 'skipped').length;
  const failed = [...runs.values()].filter((r) => r.state === 'error' || (r.state === 'done' && !r.result.ok)).length;

  return (
    <article className="card migrate-all" aria-labelledby="migrate-all-title">
      <header className="card-header">
        <h2 id="migrate-all-title">Migrate all</h2>
        {!running && !confirming && (
          <button type="button" onClick={() => setConfirming(true)} disabled={eligible.length === 0}>
            Migrate all ({eligible.length})
          </button>
        )}
        {running && (
          <button
            type="button"
            className="secondary outline"
            onClick={() => {
              stopRequested.current = true;
            }}
          >
            Stop after current
          </button>
        )}
      </header>
      <p className="muted">
        Applies pending migrations tenant by tenant, {MIGRATE_ALL_CONCURRENCY} at a time. A failure stops only that tenant; the others carry
        on.
      </p>
      {confirming && (
        <div className="confirm-row">
          <span>
            Migrate {eligible.length} tenant{eligible.length === 1 ? '' : 's'} now?
          </span>
          <button type="button" onClick={() => void start()}>
            Start migrating
          </button>
          <button type="button" className="secondary outline" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      {order.length > 0 && (
        <>
          <label htmlFor="migrate-progress" className="progress-label">
            {running ? 'Migrating' : 'Finished'}: {finished} of {order.length}
            {failed > 0 && <span className="field-error"> · {failed} failed</span>}
          </label>
          <progress id="migrate-progress" value={finished} max={order.length} />
          <ul className="migration-runs" aria-label="Per-tenant results">
            {order.map((slug) => (
              <MigrationRunRow key={slug} slug={slug} run={runs.get(slug) ?? { state: 'queued' }} />
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

function MigrationRunRow({ slug, run }: { slug: string; run: MigrationRun }) {
  let text: string;
  let tone: string;
  switch (run.state) {
    case 'queued':
      text = 'waiting';
      tone = 'muted';
      break;
    case 'running':
      text = 'migrating…';
      tone = 'info';
      break;
    case 'skipped':
      text = 'not started (stopped)';
      tone = 'muted';
      break;
    case 'error':
      text = `failed: ${run.message}${run.requestId ? ` (request ${run.requestId})` : ''}`;
      tone = 'bad';
      break;
    case 'done':
      tone = run.result.ok ? 'good' : 'bad';
      text = run.result.ok
        ? run.result.applied.length
          ? `applied ${run.result.applied.length} (now ${run.result.schemaVersion ?? '—'}) in ${formatDuration(run.result.durationMs)}`
          : `up to date in ${formatDuration(run.result.durationMs)}`
        : `failed: ${run.result.error ?? 'unknown error'}`;
      break;
  }
  return (
    <li className={`run run-${tone}`} aria-busy={run.state === 'running'}>
      <strong>{slug}</strong> <span>{text}</span>
    </li>
  );
}
