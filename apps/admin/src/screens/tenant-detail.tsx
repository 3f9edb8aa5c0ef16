import { type FormEvent, lazy, Suspense, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useHealthHistory, useTenantHealth } from '../api/health';
import { useOperations } from '../api/operations';
import {
  useAddDomain,
  useMigrateTenant,
  useRemoveDomain,
  useResumeTenant,
  useSuspendTenant,
  useTenant,
  useUpdateTenant,
} from '../api/tenants';
import { HealthIndicator, PendingBadge, StatusBadge } from '../components/badges';
import { Breadcrumb } from '../components/breadcrumb';
import {
  CheckboxField,
  ErrorNotice,
  formatBytes,
  formatDate,
  formatDateTime,
  formatDuration,
  formatLatency,
  formatRelative,
  fromDateInput,
  isApiError,
  ListFrame,
  Loading,
  Notice,
  TextField,
  toDateInput,
} from '@salesfleet/ui';
import { OperationsTable } from '../components/operations-table';
import type { TenantDetail, UpdateTenantInput } from '@salesfleet/contracts';
import { useDocumentTitle } from '../lib/use-document-title';
import { type TenantSettingsForm, engineLabel, validateDomain, validateTenantSettings } from '../lib/validation';
import { DangerZone } from './danger-zone';
import { BackupsCard, MoveCard, UsersRecoveryCard } from './tenant-data-safety';

export function TenantDetailScreen() {
  const { slug = '' } = useParams();
  const tenant = useTenant(slug);
  const navigate = useNavigate();
  useDocumentTitle(tenant.data?.name ?? slug);

  return (
    <section>
      <Breadcrumb trail={[{ to: '/tenants', label: 'Tenants' }]} current={slug} />
      {tenant.isPending && <Loading label="Loading the tenant…" />}
      {tenant.isError &&
        (isApiError(tenant.error) && tenant.error.status === 404 ? (
          <div className="empty-state">
            <h1>No tenant “{slug}”</h1>
            <p>It may have been deleted. {<Link to="/tenants">Back to the tenants</Link>}</p>
          </div>
        ) : (
          <ErrorNotice error={tenant.error} title="Could not load the tenant" onRetry={() => void tenant.refetch()} />
        ))}
      {tenant.data && (
        <TenantDetailView
          tenant={tenant.data}
          onDeleted={({ keptDatabase }) =>
            navigate('/tenants', {
              state: {
                flash: `Tenant ${slug} was deleted; its database was ${keptDatabase ? 'kept' : 'dropped'}.`,
              },
            })
          }
        />
      )}
    </section>
  );
}

function TenantDetailView({ tenant, onDeleted }: { tenant: TenantDetail; onDeleted: (r: { keptDatabase: boolean }) => void }) {
  return (
    <>
      <div className="page-header">
        <div>
          <h1>
            {tenant.name} <StatusBadge status={tenant.status} />
          </h1>
          <p className="muted">
            <a href={tenant.url} target="_blank" rel="noopener noreferrer">
              {tenant.url}
            </a>{' '}
            · {engineLabel(tenant.engine)} · created {formatDate(tenant.createdAt)}
          </p>
        </div>
        <LifecycleActions tenant={tenant} />
      </div>

      <StatusNotice tenant={tenant} />
      <div className="cards">
        <HealthCard slug={tenant.slug} />
        <MigrationsCard tenant={tenant} />
        <SettingsCard tenant={tenant} />
        <DatabaseCard tenant={tenant} />
      </div>
      <HealthHistoryCard slug={tenant.slug} />
      <DomainsCard tenant={tenant} />
      <BackupsCard tenant={tenant} />
      <MoveCard tenant={tenant} />
      <UsersRecoveryCard tenant={tenant} />
      <RecentOperations slug={tenant.slug} />
      <DangerZone slug={tenant.slug} onDeleted={onDeleted} />
    </>
  );
}

/** What the tenant's users see right now, when it is anything but normal. */
function StatusNotice({ tenant }: { tenant: TenantDetail }) {
  switch (tenant.status) {
    case 'suspended':
      return (
        <Notice kind="warning" announce={false}>
          <strong>Suspended.</strong> Its users get “403 suspended” until you resume it; nothing is deleted. The reason is in the{' '}
          <Link to={`/operations?tenant=${encodeURIComponent(tenant.slug)}`}>operations log</Link>.
        </Notice>
      );
    case 'provisioning':
      return (
        <Notice kind="info" announce={false}>
          <strong>Being created.</strong> Its address answers 503 until provisioning finishes.
        </Notice>
      );
    case 'failed':
      return (
        <Notice kind="warning" announce={false}>
          <strong>Creation failed.</strong> See its <Link to={`/operations?tenant=${encodeURIComponent(tenant.slug)}`}>operations</Link> for
          the failing step; delete it or create it again.
        </Notice>
      );
    case 'deleting':
      return (
        <Notice kind="info" announce={false}>
          <strong>Being deleted.</strong>
        </Notice>
      );
    default:
      return null;
  }
}

function LifecycleActions({ tenant }: { tenant: TenantDetail }) {
  const suspend = useSuspendTenant(tenant.slug);
  const resume = useResumeTenant(tenant.slug);
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');

  if (tenant.status === 'suspended') {
    return (
      <div className="lifecycle">
        <button type="button" onClick={() => resume.mutate()} disabled={resume.isPending} aria-busy={resume.isPending}>
          {resume.isPending ? 'Resuming…' : 'Resume tenant'}
        </button>
        {resume.isError && <ErrorNotice error={resume.error} title="Not resumed" />}
      </div>
    );
  }
  if (tenant.status !== 'active') return null;
  if (!asking) {
    return (
      <div className="lifecycle">
        <button type="button" className="secondary outline" onClick={() => setAsking(true)}>
          Suspend…
        </button>
      </div>
    );
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    suspend.mutate(reason.trim(), {
      onSuccess: () => {
        setAsking(false);
        setReason('');
      },
    });
  }

  return (
    <form className="lifecycle suspend-form" onSubmit={onSubmit} aria-label="Suspend tenant">
      <p>
        While suspended, <strong>{tenant.slug}</strong> answers 403 to its users. Nothing is deleted; resume any time.
      </p>
      <div className="field">
        <label htmlFor="suspend-reason">
          Reason <span className="muted">(optional, recorded in the operations log)</span>
        </label>
        <textarea id="suspend-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
      </div>
      {suspend.isError && <ErrorNotice error={suspend.error} title="Not suspended" />}
      <div className="form-actions">
        <button type="submit" className="warning" disabled={suspend.isPending} aria-busy={suspend.isPending}>
          {suspend.isPending ? 'Suspending…' : 'Suspend tenant'}
        </button>
        <button type="button" className="secondary outline" onClick={() => setAsking(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The chart library comes with the first tenant page that shows a chart. */
const HealthChart = lazy(() => import('../components/health-chart'));

/** The tenant's recorded health (the health job's samples, 30 days) as a chart. */
function HealthHistoryCard({ slug }: { slug: string }) {
  const [days, setDays] = useState(7);
  const history = useHealthHistory(slug, days);
  const samples = history.data?.samples ?? [];
  const failed = samples.filter((s) => !s.reachable).length;
  return (
    <article className="card" aria-labelledby="health-history-title">
      <header className="card-header">
        <h2 id="health-history-title">Health history</h2>
        <select aria-label="Period" value={days} onChange={(e) => setDays(Number(e.target.value))}>
          <option value={1}>Last 24 hours</option>
          <option value={7}>Last 7 days</option>
          <option value={30}>Last 30 days</option>
        </select>
      </header>
      {history.isPending && <Loading label="Reading the history…" />}
      {history.isError && <ErrorNotice error={history.error} title="Could not read the health history" />}
      {history.data && samples.length === 0 && <p className="muted">No health check recorded in this period.</p>}
      {samples.length > 0 && (
        <>
          <p className="muted small-text">
            {samples.length} checks{failed > 0 ? `, ${failed} without an answer` : ''} · latency (ms) and database size (MB)
          </p>
          <Suspense fallback={<Loading label="Drawing…" />}>
            <HealthChart samples={samples} label={`Health of ${slug}`} />
          </Suspense>
        </>
      )}
    </article>
  );
}

function HealthCard({ slug }: { slug: string }) {
  const health = useTenantHealth(slug);
  const h = health.data;
  return (
    <article className="card" aria-labelledby="health-title">
      <header className="card-header">
        <h2 id="health-title">Health</h2>
        <button
          type="button"
          className="secondary outline small"
          onClick={() => void health.refetch()}
          disabled={health.isFetching}
          aria-busy={health.isFetching}
        >
          Check now
        </button>
      </header>
      {health.isPending && <Loading label="Checking…" />}
      {health.isError && <ErrorNotice error={health.error} title="Health check failed" />}
      {h && (
        <>
          <dl className="facts">
            <dt>Database</dt>
            <dd>
              <HealthIndicator health={h} />
            </dd>
            <dt>Latency</dt>
            <dd>{formatLatency(h.latencyMs)}</dd>
            <dt>Schema</dt>
            <dd>
              <span className="schema">{h.schemaVersion ?? '—'}</span> <PendingBadge count={h.pendingMigrations} />
            </dd>
            <dt>Size</dt>
            <dd>{formatBytes(h.sizeBytes)}</dd>
            <dt>Users</dt>
            <dd>
              {h.userCount ?? '—'} of {h.maxUsers}
            </dd>
            <dt>Checked</dt>
            <dd title={formatDateTime(h.checkedAt)}>{formatRelative(h.checkedAt)}</dd>
          </dl>
          {h.error && <p className="field-error">{h.error}</p>}
        </>
      )}
    </article>
  );
}

function MigrationsCard({ tenant }: { tenant: TenantDetail }) {
  const migrate = useMigrateTenant(tenant.slug);
  const result = migrate.data;
  return (
    <article className="card" aria-labelledby="migrations-title">
      <header className="card-header">
        <h2 id="migrations-title">Migrations</h2>
      </header>
      <dl className="facts">
        <dt>Schema version</dt>
        <dd>
          <span className="schema">{tenant.schemaVersion ?? 'not migrated'}</span>
        </dd>
        <dt>Pending</dt>
        <dd>
          {tenant.pendingMigrations === null ? (
            'unknown'
          ) : tenant.pendingMigrations === 0 ? (
            'none — up to date'
          ) : (
            <PendingBadge count={tenant.pendingMigrations} />
          )}
        </dd>
      </dl>
      <button type="button" onClick={() => migrate.mutate()} disabled={migrate.isPending} aria-busy={migrate.isPending}>
        {migrate.isPending ? 'Migrating…' : 'Run migrations'}
      </button>
      {migrate.isError && <ErrorNotice error={migrate.error} title="Migration failed" />}
      {result && (
        <div className={`notice ${result.ok ? 'notice-success' : 'notice-error'}`} role="status">
          <strong>
            {result.ok
              ? result.applied.length
                ? `Applied ${result.applied.length} migration${result.applied.length === 1 ? '' : 's'} in ${formatDuration(result.durationMs)}.`
                : 'Already up to date.'
              : 'Migration failed.'}
          </strong>
          {result.applied.length > 0 && (
            <ul className="mono-list">
              {result.applied.map((name) => (
                <li key={name}>{name}</li>
              ))}
            </ul>
          )}
          {result.error && <p>{result.error}</p>}
        </div>
      )}
    </article>
  );
}

function settingsFromTenant(tenant: TenantDetail): TenantSettingsForm {
  return {
    name: tenant.name,
    maxUsers: String(tenant.maxUsers),
    multiLocation: tenant.multiLocation,
    trialEndsAt: toDateInput(tenant.trialEndsAt),
    paidUntil: toDateInput(tenant.paidUntil),
  };
}

/** Only what changed goes to the API. */
export function settingsChanges(before: TenantSettingsForm, after: TenantSettingsForm): UpdateTenantInput {
  const changes: UpdateTenantInput = {};
  if (after.name.trim() !== before.name) changes.name = after.name.trim();
  if (after.maxUsers.trim() !== before.maxUsers) changes.maxUsers = Number(after.maxUsers.trim());
  if (after.multiLocation !== before.multiLocation) changes.multiLocation = after.multiLocation;
  if (after.trialEndsAt !== before.trialEndsAt) changes.trialEndsAt = fromDateInput(after.trialEndsAt);
  if (after.paidUntil !== before.paidUntil) changes.paidUntil = fromDateInput(after.paidUntil);
  return changes;
}

function SettingsCard({ tenant }: { tenant: TenantDetail }) {
  const update = useUpdateTenant(tenant.slug);
  const initial = settingsFromTenant(tenant);
  const [form, setForm] = useState<TenantSettingsForm>(initial);
  const [saved, setSaved] = useState(false);
  const errors = validateTenantSettings(form);
  const apiErrors = isApiError(update.error) ? update.error.fieldErrors() : {};
  const changes = settingsChanges(initial, form);
  const dirty = Object.keys(changes).length > 0;
  const set = <K extends keyof TenantSettingsForm>(key: K, value: TenantSettingsForm[K]) => {
    setSaved(false);
    setForm((f) => ({ ...f, [key]: value }));
  };
  const usersBelowCount =
    !errors.maxUsers && tenant.userCount !== null && Number(form.maxUsers) < tenant.userCount
      ? `The tenant already has ${tenant.userCount} users; lowering the limit below that blocks new users only.`
      : undefined;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (Object.keys(errors).length > 0 || !dirty) return;
    update.mutate(changes, {
      onSuccess: (t) => {
        setForm(settingsFromTenant(t));
        setSaved(true);
      },
    });
  }

  return (
    <article className="card" aria-labelledby="settings-title">
      <header className="card-header">
        <h2 id="settings-title">Settings</h2>
      </header>
      <form onSubmit={onSubmit} noValidate aria-label="Tenant settings">
        <TextField
          id="settings-name"
          label="Name"
          value={form.name}
          onValueChange={(v) => set('name', v)}
          error={errors.name ?? apiErrors.name}
        />
        <TextField
          id="settings-max-users"
          label="Maximum users"
          inputMode="numeric"
          value={form.maxUsers}
          onValueChange={(v) => set('maxUsers', v)}
          error={errors.maxUsers ?? apiErrors.maxUsers}
          hint={
            usersBelowCount ??
            (tenant.userCount === null
              ? 'The current number of users is unknown.'
              : `Currently ${tenant.userCount} user${tenant.userCount === 1 ? '' : 's'}.`)
          }
        />
        <CheckboxField
          id="settings-multi-location"
          label="Multiple locations"
          checked={form.multiLocation}
          onCheckedChange={(v) => set('multiLocation', v)}
        />
        <div className="grid-2">
          <TextField
            id="settings-trial"
            label="Trial ends"
            type="date"
            optional
            value={form.trialEndsAt}
            onValueChange={(v) => set('trialEndsAt', v)}
            error={errors.trialEndsAt ?? apiErrors.trialEndsAt}
            hint="Empty: no trial."
          />
          <TextField
            id="settings-paid"
            label="Paid until"
            type="date"
            optional
            value={form.paidUntil}
            onValueChange={(v) => set('paidUntil', v)}
            error={errors.paidUntil ?? apiErrors.paidUntil}
            hint="Empty: no end date."
          />
        </div>
        {update.isError && <ErrorNotice error={update.error} title="Settings not saved" />}
        {saved && !dirty && <Notice kind="success">Saved.</Notice>}
        <div className="form-actions">
          <button type="submit" disabled={!dirty || update.isPending || Object.keys(errors).length > 0} aria-busy={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save settings'}
          </button>
          {dirty && (
            <button type="button" className="secondary outline" onClick={() => setForm(initial)}>
              Discard changes
            </button>
          )}
        </div>
      </form>
    </article>
  );
}

function DatabaseCard({ tenant }: { tenant: TenantDetail }) {
  const db = tenant.database;
  return (
    <article className="card" aria-labelledby="database-title">
      <header className="card-header">
        <h2 id="database-title">Database</h2>
      </header>
      <dl className="facts">
        <dt>Engine</dt>
        <dd>{engineLabel(db?.engine ?? tenant.engine)}</dd>
        {db?.host && (
          <>
            <dt>Host</dt>
            <dd>
              <code>
                {db.host}
                {db.port ? `:${db.port}` : ''}
              </code>
            </dd>
          </>
        )}
        <dt>{tenant.engine === 'sqlite' ? 'File' : db?.schema ? 'Shared database' : 'Name'}</dt>
        <dd>
          <code className="break">{db?.name ?? '—'}</code>
        </dd>
        {db?.schema && (
          <>
            <dt>Schema</dt>
            <dd>
              <code className="break">{db.schema}</code>
            </dd>
          </>
        )}
        {db?.user && (
          <>
            <dt>User</dt>
            <dd>
              <code>{db.user}</code>
            </dd>
          </>
        )}
        {tenant.engine !== 'sqlite' && (
          <>
            <dt>Password</dt>
            <dd>{db?.passwordSet ? 'set (stored encrypted, never shown)' : 'none'}</dd>
          </>
        )}
        <dt>Administrator</dt>
        <dd>{tenant.adminEmail}</dd>
        <dt>Updated</dt>
        <dd>{formatDateTime(tenant.updatedAt)}</dd>
      </dl>
    </article>
  );
}

function DomainsCard({ tenant }: { tenant: TenantDetail }) {
  const add = useAddDomain(tenant.slug);
  const remove = useRemoveDomain(tenant.slug);
  const [domain, setDomain] = useState('');
  const [primary, setPrimary] = useState(false);
  const [touched, setTouched] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const error = touched ? validateDomain(domain) : null;
  const apiError = isApiError(add.error) ? add.error.fieldErrors().domain : undefined;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (validateDomain(domain)) return;
    add.mutate(
      { domain: domain.trim().toLowerCase().replace(/\.$/, ''), primary },
      {
        onSuccess: () => {
          setDomain('');
          setPrimary(false);
          setTouched(false);
        },
      },
    );
  }

  const domains = tenant.domains ?? [];
  return (
    <article className="card" aria-labelledby="domains-title">
      <header className="card-header">
        <h2 id="domains-title">Custom domains</h2>
      </header>
      <p className="muted">
        The tenant always answers on <code>{tenant.url.replace(/^https?:\/\//, '').replace(/\/$/, '')}</code>. Point a custom domain’s DNS
        at this platform, then add it here.
      </p>
      {domains.length === 0 ? (
        <p>No custom domains.</p>
      ) : (
        <ul className="domain-list">
          {domains.map((d) => (
            <li key={d.domain}>
              <span>
                <code>{d.domain}</code> {d.primary && <span className="badge badge-info">primary</span>}
                <span className="muted"> · added {formatDate(d.createdAt)}</span>
              </span>
              {confirming === d.domain ? (
                <span className="inline-actions">
                  <button
                    type="button"
                    className="danger small"
                    onClick={() => remove.mutate(d.domain, { onSettled: () => setConfirming(null) })}
                    aria-busy={remove.isPending}
                    disabled={remove.isPending}
                  >
                    Remove {d.domain}
                  </button>
                  <button type="button" className="secondary outline small" onClick={() => setConfirming(null)}>
                    Keep
                  </button>
                </span>
              ) : (
                <button type="button" className="secondary outline small" onClick={() => setConfirming(d.domain)}>
                  Remove…
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {remove.isError && <ErrorNotice error={remove.error} title="Domain not removed" />}
      <form onSubmit={onSubmit} noValidate className="domain-form" aria-label="Add a custom domain">
        <TextField
          id="domain-new"
          label="Add a domain"
          value={domain}
          onValueChange={(v) => {
            setDomain(v);
            setTouched(true);
          }}
          error={error ?? apiError}
          placeholder="shop.example.com"
          autoCapitalize="none"
          spellCheck={false}
        />
        <CheckboxField id="domain-primary" label="Make it the primary domain" checked={primary} onCheckedChange={setPrimary} />
        {add.isError && !apiError && <ErrorNotice error={add.error} title="Domain not added" />}
        <button type="submit" className="secondary" disabled={add.isPending} aria-busy={add.isPending}>
          Add domain
        </button>
      </form>
    </article>
  );
}

function RecentOperations({ slug }: { slug: string }) {
  const operations = useOperations({ tenant: slug, limit: 10 });
  return (
    <article className="card" aria-labelledby="ops-title">
      <header className="card-header">
        <h2 id="ops-title">Recent operations</h2>
        <Link to={`/operations?tenant=${encodeURIComponent(slug)}`}>All operations for {slug}</Link>
      </header>
      <ListFrame
        query={operations}
        rows={(d) => d}
        columns={[]}
        rowKey={(op) => op.id}
        noun="operations"
        renderRows={(shown) => <OperationsTable operations={shown} showTenant={false} />}
      />
    </article>
  );
}
