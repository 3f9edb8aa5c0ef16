import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { FLEET_HEALTH_INTERVAL_MS, FLEET_HEALTH_PAGE, useFleetHealth } from '../api/health';
import { jobTenants, startJob, useFollowJob, useLatestJob } from '../api/jobs';
import { queryKeys } from '../api/query-keys';
import { HealthIndicator, PendingBadge, StatusBadge } from '../components/badges';
import { type Column, ErrorNotice, formatBytes, formatDateTime, formatRelative, ListFrame, plural, pluralWord } from '@salesfleet/ui';
import type { FleetHealth, FleetJob, FleetJobKind } from '@salesfleet/contracts';
import { useDocumentTitle } from '../lib/use-document-title';

const TENANT = { one: 'tenant', other: 'tenants' };

/**
 * The fleet overview, from the registry alone (each tenant's last check; the health job records
 * them): counts, the tenants failures first, and the fleet jobs — "Migrate all", "Check now" and
 * "Back up all" start a job in the server and follow it live; closing the tab does not stop it.
 */
export function FleetHealthScreen() {
  useDocumentTitle('Fleet health');
  const [offset, setOffset] = useState(0);
  const health = useFleetHealth({ offset, refetchInterval: FLEET_HEALTH_INTERVAL_MS });
  const data = health.data;
  const summary = data?.summary;
  const columns: Column<FleetHealth['tenants'][number]>[] = [
    { header: 'Tenant', rowHeader: true, cell: (t) => <Link to={`/tenants/${t.slug}`}>{t.slug}</Link> },
    { header: 'Status', cell: (t) => <StatusBadge status={t.status} /> },
    {
      header: 'Health',
      cell: (t) => (
        <>
          <HealthIndicator health={t.health ?? undefined} />
          {t.health?.error && <div className="field-error small-text">{t.health.error}</div>}
        </>
      ),
    },
    {
      header: 'Schema',
      cell: (t) => (
        <>
          <span className="schema">{t.schemaVersion ?? '—'}</span> <PendingBadge count={t.pendingMigrations} />
        </>
      ),
    },
    { header: 'Users', num: true, cell: (t) => `${t.userCount ?? '—'} / ${t.maxUsers}` },
    { header: 'Size', num: true, cell: (t) => formatBytes(t.health?.sizeBytes ?? null) },
    {
      header: 'Checked',
      className: 'nowrap',
      cell: (t) => (
        <span title={t.health ? formatDateTime(t.health.checkedAt) : 'never'}>
          {t.health ? formatRelative(t.health.checkedAt) : 'never'}
        </span>
      ),
    },
  ];

  return (
    <section>
      <div className="page-header">
        <div>
          <h1>Fleet health</h1>
          <p className="muted" aria-live="polite">
            As last checked by the health job
            {summary?.newestCheckAt && <> · newest check {formatRelative(summary.newestCheckAt)}</>}
            {summary?.oldestCheckAt && <> · oldest {formatRelative(summary.oldestCheckAt)}</>}
          </p>
        </div>
      </div>

      <ListFrame
        query={health}
        rows={(d) => d.tenants}
        columns={columns}
        rowKey={(t) => t.slug}
        rowClassName={(t) => (t.health && (!t.health.reachable || t.health.error) ? 'row-failing' : undefined)}
        noun="tenants"
        label="Fleet health"
        empty={
          <p>
            Health appears here once the first tenant exists. <Link to="/tenants/new">Create a tenant</Link>.
          </p>
        }
        page={(d) => ({ total: d.total, limit: FLEET_HEALTH_PAGE, offset })}
        onOffsetChange={setOffset}
      >
        {({ summary }) =>
          summary.tenants > 0 && (
            <>
              <ul className="summary" aria-label="Summary">
                <li>
                  <strong>{summary.tenants}</strong> {pluralWord(summary.tenants, TENANT)}
                </li>
                <li className={summary.unreachable ? 'summary-bad' : 'summary-good'}>
                  <strong>{summary.unreachable}</strong> failing
                </li>
                <li className={summary.behindSchema ? 'summary-warn' : undefined}>
                  <strong>{summary.behindSchema}</strong> with pending migrations
                </li>
                <li className={summary.tenants - summary.checked ? 'summary-warn' : undefined}>
                  <strong>{summary.tenants - summary.checked}</strong> never checked
                </li>
                <li>
                  <strong>{formatBytes(summary.sizeBytes)}</strong> in all
                </li>
                <li>
                  <strong>{summary.averageLatencyMs === null ? '—' : `${summary.averageLatencyMs} ms`}</strong> average latency
                </li>
              </ul>
              <div className="grid">
                <FleetJobCard
                  kind="migrate"
                  title="Migrate all"
                  action={`Migrate all (${summary.tenants})`}
                  confirm={`Migrate every tenant (${summary.tenants}) now? Up-to-date tenants are skipped without being opened.`}
                  explain="Runs in the server as a fleet job, one at a time across every server process, and goes on if this tab is closed. A failure stops only that tenant."
                />
                <FleetJobCard
                  kind="health"
                  title="Health check"
                  action="Check now"
                  explain="Checks every tenant (latency, size, schema, users) and records a sample for its history; the server also runs it on a schedule."
                />
                <FleetJobCard
                  kind="backup"
                  title="Back up all"
                  action={`Back up all (${summary.tenants})`}
                  confirm={`Back up every active or suspended tenant (${summary.tenants} in all) now? One tenant after another; its users keep working.`}
                  explain="Takes a consistent backup of each tenant into its backups folder on the server, as a fleet job that goes on if this tab is closed. A failure stops only that tenant."
                />
              </div>
            </>
          )
        }
      </ListFrame>
    </section>
  );
}

/** Starts a fleet job of `kind` (or picks up the one running) and follows it live. */
export function FleetJobCard({
  kind,
  title,
  action,
  confirm,
  explain,
}: {
  kind: FleetJobKind;
  title: string;
  action: string;
  confirm?: string;
  explain: string;
}) {
  const client = useQueryClient();
  const latest = useLatestJob(kind);
  const [started, setStarted] = useState<{ job: FleetJob; started: boolean } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);
  const job = useFollowJob(started?.job ?? latest.data ?? null);
  const running = job?.state === 'running';

  async function start() {
    setConfirming(false);
    setError(null);
    setStarting(true);
    try {
      const answer = await startJob(kind);
      setStarted(answer);
      void client.invalidateQueries({ queryKey: queryKeys.jobs(kind) });
    } catch (err) {
      setError(err);
    } finally {
      setStarting(false);
    }
  }

  const titleId = `job-${kind}-title`;
  return (
    <article className={`card fleet-job fleet-job-${kind}`} aria-labelledby={titleId}>
      <header className="card-header">
        <h2 id={titleId}>{title}</h2>
        {!running && !confirming && (
          <button type="button" onClick={() => (confirm ? setConfirming(true) : void start())} disabled={starting} aria-busy={starting}>
            {action}
          </button>
        )}
      </header>
      <p className="muted">{explain}</p>
      {confirming && (
        <div className="confirm-row">
          <span>{confirm}</span>
          <button type="button" onClick={() => void start()}>
            Start
          </button>
          <button type="button" className="secondary outline" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      {error !== null && <ErrorNotice error={error} title="The job did not start" />}
      {started && !started.started && running && <p className="muted">A {kind} job was already running: following it.</p>}
      {job && <JobProgress job={job} />}
    </article>
  );
}

function JobProgress({ job }: { job: FleetJob }) {
  const finished = job.total - job.counts.pending;
  const failures = useQuery({
    queryKey: ['jobs', job.id, 'failed', job.counts.failed],
    queryFn: () => jobTenants(job.id, 'failed').then((d) => d.tenants),
    enabled: job.state !== 'running' && job.counts.failed > 0,
  });
  const progressId = `job-${job.id}-progress`;
  return (
    <div className="job-progress" aria-live="polite">
      <label htmlFor={progressId} className="progress-label">
        Job {job.id} · {job.state === 'running' ? 'running' : job.state === 'succeeded' ? 'Finished' : 'Finished with failures'}: {finished}{' '}
        of {plural(job.total, TENANT)}
        {job.counts.skipped > 0 && <span className="muted"> · {job.counts.skipped} up to date</span>}
        {job.counts.failed > 0 && <span className="field-error"> · {job.counts.failed} failed</span>}
      </label>
      {/* An empty job (no tenant) is complete, not 0 of 1. */}
      <progress id={progressId} value={job.total === 0 ? 1 : finished} max={Math.max(job.total, 1)} />
      <p className="muted small-text">
        Started {formatRelative(job.createdAt)} by {job.actor}
        {job.attempts > 1 && <> · resumed after its server stopped</>}
        {job.finishedAt && <> · finished {formatRelative(job.finishedAt)}</>}
      </p>
      {failures.data && failures.data.length > 0 && (
        <ul className="migration-runs" aria-label="Failed tenants">
          {failures.data.map((t) => (
            <li key={t.slug} className="run run-bad">
              <strong>{t.slug}</strong> <span>{t.error ?? 'failed'}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
