import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { slugProblem, type Backup, type Engine, type OperationRun, type TenantUserCredentials } from '@salesfleet/contracts';
import { type Column, ErrorNotice, formatBytes, formatDateTime, formatDuration, ListFrame, SelectField, TextField } from '@salesfleet/ui';
import {
  useBackups,
  useCreateTenantAdmin,
  useDeleteOldDatabase,
  useMoveTenant,
  useResetTenantUserPassword,
  useRestoreBackup,
  useRun,
  useTakeBackup,
} from '../api/data-safety';
import { queryKeys } from '../api/query-keys';
import { OneTimePassword } from '../components/one-time-password';
import { ENGINES, type TenantDetail } from '@salesfleet/contracts';
import { useCheckedForm } from '../lib/use-checked-form';
import { engineLabel, newAccountProblems } from '../lib/validation';

const MOVE_STEP_LABELS: Record<string, string> = {
  maintenance: 'Maintenance on',
  drain: 'Requests drained',
  copy: 'Data copied',
  load: 'Loaded into the new database',
  verify: 'Verified',
  switch: 'Switched',
  notify: 'API processes told',
  drop_old: 'Old database dropped',
  create_database: 'Database created',
  migrate: 'Migrated',
  activate: 'Activated',
};

/** Follows a background run (backup, restore, move) until it ends; `onDone` runs once when it does. */
export function RunStatus({
  runId,
  label,
  onDone,
  children,
}: {
  runId: string;
  label: string;
  onDone?: (run: OperationRun) => void;
  children?: (run: OperationRun) => ReactNode;
}) {
  const run = useRun(runId);
  const done = useRef(false);
  const r = run.data;
  useEffect(() => {
    if (r && r.state !== 'running' && !done.current) {
      done.current = true;
      onDone?.(r);
    }
  }, [r, onDone]);
  if (run.isError) return <ErrorNotice error={run.error} title={`Could not follow the ${label}`} />;
  if (!r) return <p aria-busy="true">Starting the {label}…</p>;
  const percent = r.progress && r.progress.rowsTotal > 0 ? Math.round((100 * r.progress.rowsDone) / r.progress.rowsTotal) : null;
  return (
    <div
      className={`notice ${r.state === 'succeeded' ? 'notice-success' : r.state === 'failed' ? 'notice-error' : 'notice-info'}`}
      role="status"
      aria-label={`${label} status`}
    >
      <strong>
        {r.state === 'running' ? `The ${label} is running…` : r.state === 'succeeded' ? `The ${label} succeeded.` : `The ${label} failed.`}
      </strong>
      {r.state === 'running' && r.progress && (
        <p className="progress-label">
          {r.progress.phase} {r.progress.table ?? ''}: {r.progress.rowsDone.toLocaleString()} of {r.progress.rowsTotal.toLocaleString()}{' '}
          rows
          {percent !== null && <progress value={percent} max={100} aria-label={`${label} progress`} />}
        </p>
      )}
      {r.steps.length > 0 && (
        <ul className="migration-runs">
          {r.steps.map((s) => (
            <li key={s.name} className={s.outcome === 'failed' ? 'run-bad' : 'run-good'}>
              <span aria-hidden="true">{s.outcome === 'failed' ? '✗' : '✓'}</span> {MOVE_STEP_LABELS[s.name] ?? s.name}
              {s.durationMs !== null && <span className="muted"> · {formatDuration(s.durationMs)}</span>}
            </li>
          ))}
        </ul>
      )}
      {r.error && <p>{r.error.message}</p>}
      {children?.(r)}
    </div>
  );
}

const engineOptions = ENGINES.map((e) => ({ value: e, label: engineLabel(e) }));

/** Take a backup, list the tenant's backups, restore one as a new tenant. */
export function BackupsCard({ tenant }: { tenant: TenantDetail }) {
  const backups = useBackups(tenant.slug);
  const take = useTakeBackup(tenant.slug);
  const client = useQueryClient();
  const [runId, setRunId] = useState<string | null>(null);
  const [restoring, setRestoring] = useState<string | null>(null);
  const working = tenant.status === 'active' || tenant.status === 'suspended' || tenant.status === 'maintenance';
  const backupColumns: Column<Backup>[] = [
    {
      header: 'Taken',
      cell: (b) => (
        <span title={b.name}>
          {formatDateTime(b.createdAt)}
          {b.kind === 'move' && <span className="muted"> (copy of a move)</span>}
        </span>
      ),
    },
    { header: 'From', cell: (b) => (b.engine ? engineLabel(b.engine) : '—') },
    { header: 'Rows', num: true, cell: (b) => (b.rows === null ? '—' : b.rows.toLocaleString()) },
    { header: 'Size', num: true, cell: (b) => formatBytes(b.bytes) },
    {
      header: 'Actions',
      heading: <span className="visually-hidden">Actions</span>,
      cell: (b) => (
        <button type="button" className="secondary outline small" onClick={() => setRestoring(b.name)}>
          Restore…
        </button>
      ),
    },
  ];

  return (
    <article className="card card-wide" aria-labelledby="backups-title">
      <header className="card-header">
        <h2 id="backups-title">Backups</h2>
        <button
          type="button"
          className="small"
          disabled={!working || take.isPending}
          aria-busy={take.isPending}
          onClick={() => take.mutate(undefined, { onSuccess: (id) => setRunId(id) })}
        >
          Take a backup
        </button>
      </header>
      <p className="muted">
        One consistent snapshot of every table into an engine-neutral archive in the data directory; it can be restored on any engine.
      </p>
      {take.isError && <ErrorNotice error={take.error} title="The backup was not started" />}
      {runId && (
        <RunStatus
          key={runId}
          runId={runId}
          label="backup"
          onDone={() => {
            void client.invalidateQueries({ queryKey: queryKeys.backups(tenant.slug) });
            void client.invalidateQueries({ queryKey: ['operations'] });
          }}
        >
          {(r) => r.state === 'succeeded' && <p>{Number(r.result?.rows ?? 0).toLocaleString()} rows saved.</p>}
        </RunStatus>
      )}
      <ListFrame query={backups} rows={(d) => d} columns={backupColumns} rowKey={(b) => b.name} noun="backups" label="Backups" />
      {restoring && backups.data?.some((b) => b.name === restoring) && (
        <RestoreForm
          key={restoring}
          slug={tenant.slug}
          backup={backups.data.find((b) => b.name === restoring) as Backup}
          onCancel={() => setRestoring(null)}
        />
      )}
    </article>
  );
}

function RestoreForm({ slug, backup, onCancel }: { slug: string; backup: Backup; onCancel: () => void }) {
  const restore = useRestoreBackup(slug);
  const client = useQueryClient();
  const [as, setAs] = useState('');
  const [engine, setEngine] = useState<'' | Engine>('');
  const [touched, setTouched] = useState(false);
  const [runId, setRunId] = useState<string | null>(null);
  const problem = slugProblem(as.trim());

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (problem || restore.isPending) return;
    restore.mutate({ name: backup.name, input: { as: as.trim(), ...(engine ? { engine } : {}) } }, { onSuccess: (id) => setRunId(id) });
  }

  if (runId) {
    return (
      <RunStatus
        runId={runId}
        label="restore"
        onDone={() => {
          void client.invalidateQueries({ queryKey: queryKeys.tenants });
          void client.invalidateQueries({ queryKey: ['operations'] });
        }}
      >
        {(r) =>
          r.state === 'succeeded' && (
            <p>
              <Link to={`/tenants/${as.trim()}`}>Open the restored tenant {as.trim()}</Link>
            </p>
          )
        }
      </RunStatus>
    );
  }
  return (
    <form onSubmit={onSubmit} aria-label="Restore backup" className="inline-form">
      <p>
        Restore the backup of {formatDateTime(backup.createdAt)} as a <strong>new tenant</strong>; {slug} is not touched. Every checksum is
        verified before anything is created.
      </p>
      <TextField
        id="restore-as"
        label="New subdomain"
        value={as}
        onValueChange={setAs}
        error={touched && problem ? problem : undefined}
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
      />
      <SelectField
        id="restore-engine"
        label="Database engine"
        value={engine}
        onValueChange={(v) => setEngine(v as '' | Engine)}
        options={[{ value: '', label: 'Default (the configured place)' }, ...engineOptions]}
      />
      {restore.isError && <ErrorNotice error={restore.error} title="The restore was not started" />}
      <div className="form-actions">
        <button type="submit" disabled={restore.isPending} aria-busy={restore.isPending}>
          Restore as new tenant
        </button>
        <button type="button" className="secondary outline" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Move the tenant's data to another engine, follow the move, then drop the old database when ready. */
export function MoveCard({ tenant }: { tenant: TenantDetail }) {
  const move = useMoveTenant(tenant.slug);
  const dropOld = useDeleteOldDatabase(tenant.slug);
  const client = useQueryClient();
  const [engine, setEngine] = useState<Engine>(tenant.engine === 'sqlite' ? 'postgres' : 'sqlite');
  const [runId, setRunId] = useState<string | null>(null);
  const canMove = tenant.status === 'active' || tenant.status === 'suspended';

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (move.isPending) return;
    dropOld.reset();
    move.mutate({ engine }, { onSuccess: (id) => setRunId(id) });
  }

  return (
    <article className="card" aria-labelledby="move-title">
      <header className="card-header">
        <h2 id="move-title">Move</h2>
      </header>
      <p className="muted">
        Now on {engineLabel(tenant.engine)}. During the move its users get “503, back in a moment” (nothing in flight is lost); the copy is
        verified before the switch, and on any failure the tenant stays on its database. The old database is kept until you delete it.
      </p>
      <form onSubmit={onSubmit} aria-label="Move tenant">
        <SelectField
          id="move-engine"
          label="Move to"
          value={engine}
          onValueChange={(v) => setEngine(v as Engine)}
          options={engineOptions}
          disabled={!canMove}
        />
        {move.isError && <ErrorNotice error={move.error} title="The move was not started" />}
        <button type="submit" disabled={!canMove || move.isPending} aria-busy={move.isPending}>
          Move to {engineLabel(engine)}
        </button>
      </form>
      {runId && (
        <RunStatus
          key={runId}
          runId={runId}
          label="move"
          onDone={() => {
            void client.invalidateQueries({ queryKey: queryKeys.tenant(tenant.slug) });
            void client.invalidateQueries({ queryKey: queryKeys.tenants });
            void client.invalidateQueries({ queryKey: ['operations'] });
          }}
        >
          {(r) =>
            r.state === 'succeeded' &&
            !r.result?.droppedOld && (
              <div>
                <p>
                  Now on <code>{String(r.result?.to ?? '')}</code>. The old database <code>{String(r.result?.from ?? '')}</code> is kept.
                </p>
                {dropOld.isSuccess ? (
                  <p>
                    {dropOld.data.dropped
                      ? 'The old database was dropped.'
                      : 'The old database was forgotten (it was not made by Salesfleet).'}
                  </p>
                ) : (
                  <button
                    type="button"
                    className="secondary small"
                    onClick={() => dropOld.mutate()}
                    disabled={dropOld.isPending}
                    aria-busy={dropOld.isPending}
                  >
                    Delete the old database
                  </button>
                )}
                {dropOld.isError && <ErrorNotice error={dropOld.error} title="The old database was not deleted" />}
              </div>
            )
          }
        </RunStatus>
      )}
    </article>
  );
}

/** One-time passwords for a locked-out user, or a new admin. */
export function UsersRecoveryCard({ tenant }: { tenant: TenantDetail }) {
  const reset = useResetTenantUserPassword(tenant.slug);
  const create = useCreateTenantAdmin(tenant.slug);
  const [username, setUsername] = useState('');
  const admin = useCheckedForm({ username: '', email: '' }, newAccountProblems);
  const [issued, setIssued] = useState<TenantUserCredentials | null>(null);

  function onReset(e: FormEvent) {
    e.preventDefault();
    if (!username.trim() || reset.isPending) return;
    setIssued(null);
    reset.mutate(username.trim(), { onSuccess: setIssued });
  }

  const onCreate = admin.submit((v) => {
    if (create.isPending) return;
    setIssued(null);
    create.mutate({ username: v.username.trim(), email: v.email.trim() }, { onSuccess: setIssued });
  });

  return (
    <article className="card card-wide" aria-labelledby="recovery-title">
      <header className="card-header">
        <h2 id="recovery-title">Users recovery</h2>
      </header>
      <p className="muted">For someone locked out: a one-time password they must change at their next sign-in. Their sessions end.</p>
      <div className="cards">
        <form onSubmit={onReset} aria-label="Reset a user's password">
          <TextField id="reset-username" label="Username" value={username} onValueChange={setUsername} autoComplete="off" />
          {reset.isError && <ErrorNotice error={reset.error} title="The password was not reset" />}
          <button type="submit" className="secondary" disabled={!username.trim() || reset.isPending} aria-busy={reset.isPending}>
            Reset password
          </button>
        </form>
        <form onSubmit={onCreate} aria-label="Create an admin">
          <TextField id="new-admin-username" label="New admin's username" {...admin.field('username')} autoComplete="off" />
          <TextField id="new-admin-email" label="New admin's email" type="email" {...admin.field('email')} autoComplete="off" />
          {create.isError && <ErrorNotice error={create.error} title="The admin was not created" />}
          <button type="submit" className="secondary" disabled={create.isPending} aria-busy={create.isPending}>
            Create admin
          </button>
        </form>
      </div>
      {issued && (
        <OneTimePassword password={issued.oneTimePassword}>
          For <strong>{issued.username}</strong> on {tenant.slug}. Hand it over a secure channel; leaving this page forgets it.
        </OneTimePassword>
      )}
    </article>
  );
}
