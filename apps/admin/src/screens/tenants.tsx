import { Link, useLocation, useSearchParams } from 'react-router';
import { FLEET_HEALTH_INTERVAL_MS, useFleetHealth } from '../api/health';
import { useTenants } from '../api/tenants';
import { HealthIndicator, PendingBadge, StatusBadge } from '../components/badges';
import { EmptyState, ErrorNotice, formatDate, Loading, Notice } from '@salesfleet/ui';
import { displayUrl } from '../lib/display-url';
import { type SortDirection, type SortKey, type TenantTableQuery, defaultTableQuery, tenantRows } from '../lib/tenant-table';
import { ENGINES, type Engine, TENANT_STATUSES, type TenantStatus } from '../lib/types';
import { useDocumentTitle } from '../lib/use-document-title';
import { engineLabel } from '../lib/validation';

const SORT_KEYS: readonly SortKey[] = ['name', 'slug', 'status', 'engine', 'users', 'schema', 'health', 'created'];

function readQuery(params: URLSearchParams): TenantTableQuery {
  const status = params.get('status') ?? '';
  const engine = params.get('engine') ?? '';
  const sort = params.get('sort') ?? '';
  return {
    search: params.get('q') ?? '',
    status: (TENANT_STATUSES as readonly string[]).includes(status) ? (status as TenantStatus) : '',
    engine: (ENGINES as readonly string[]).includes(engine) ? (engine as Engine) : '',
    sort: (SORT_KEYS as readonly string[]).includes(sort) ? (sort as SortKey) : defaultTableQuery.sort,
    direction: params.get('dir') === 'desc' ? 'desc' : 'asc',
  };
}

function SortHeader({
  label,
  sortKey,
  query,
  onSort,
}: {
  label: string;
  sortKey: SortKey;
  query: TenantTableQuery;
  onSort: (key: SortKey, direction: SortDirection) => void;
}) {
  const active = query.sort === sortKey;
  const next: SortDirection = active && query.direction === 'asc' ? 'desc' : 'asc';
  return (
    <th scope="col" aria-sort={active ? (query.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort-button" onClick={() => onSort(sortKey, next)}>
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (query.direction === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

export function TenantsScreen() {
  useDocumentTitle('Tenants');
  const tenants = useTenants();
  const health = useFleetHealth({ refetchInterval: FLEET_HEALTH_INTERVAL_MS });
  const [params, setParams] = useSearchParams();
  const query = readQuery(params);
  const flash = (useLocation().state as { flash?: string } | null)?.flash;

  function update(changes: Record<string, string>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  }

  const filtered = query.search !== '' || query.status !== '' || query.engine !== '';

  return (
    <section>
      <div className="page-header">
        <div>
          <h1>Tenants</h1>
          {tenants.data && (
            <p className="muted">
              {tenants.data.length} tenant{tenants.data.length === 1 ? '' : 's'}
            </p>
          )}
        </div>
        <Link to="/tenants/new" role="button">
          Create tenant
        </Link>
      </div>

      {flash && <Notice kind="success">{flash}</Notice>}
      {tenants.isPending && <Loading label="Loading tenants…" />}
      {tenants.isError && <ErrorNotice error={tenants.error} title="Could not load the tenants" onRetry={() => void tenants.refetch()} />}

      {tenants.data && tenants.data.length === 0 && (
        <EmptyState title="No tenants yet">
          <p>
            A tenant is one organisation: its own database (SQLite, PostgreSQL or MySQL) and its own subdomain, where its users sign in.
            Create the first one with <strong>Create tenant</strong>: give it a name, a subdomain and its administrator’s email. You will
            get the address and a one-time password for that administrator.
          </p>
          <p className="muted">
            From a shell, the same job is <code>pnpm cli create-tenant "Acme" acme admin@acme.example</code>.
          </p>
          <Link to="/tenants/new" role="button">
            Create the first tenant
          </Link>
        </EmptyState>
      )}

      {tenants.data && tenants.data.length > 0 && (
        <>
          <form className="filters filters-3" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
            <div className="field">
              <label htmlFor="tenant-search">Search</label>
              <input
                id="tenant-search"
                type="search"
                placeholder="Name, subdomain or email"
                value={query.search}
                onChange={(e) => update({ q: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="tenant-status">Status</label>
              <select id="tenant-status" value={query.status} onChange={(e) => update({ status: e.target.value })}>
                <option value="">All statuses</option>
                {TENANT_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="tenant-engine">Engine</label>
              <select id="tenant-engine" value={query.engine} onChange={(e) => update({ engine: e.target.value })}>
                <option value="">All engines</option>
                {ENGINES.map((engine) => (
                  <option key={engine} value={engine}>
                    {engineLabel(engine)}
                  </option>
                ))}
              </select>
            </div>
          </form>
          {health.isError && <ErrorNotice error={health.error} title="Health checks are unavailable; the table shows no health" />}
          <TenantsTable
            query={query}
            rows={tenantRows(tenants.data, health.data, query)}
            healthLoading={health.isPending}
            onSort={(sort, dir) => update({ sort, dir: dir === 'asc' ? '' : 'desc' })}
            onClearFilters={filtered ? () => update({ q: '', status: '', engine: '' }) : undefined}
          />
        </>
      )}
    </section>
  );
}

function TenantsTable({
  rows,
  query,
  healthLoading,
  onSort,
  onClearFilters,
}: {
  rows: ReturnType<typeof tenantRows>;
  query: TenantTableQuery;
  healthLoading: boolean;
  onSort: (key: SortKey, direction: SortDirection) => void;
  onClearFilters: (() => void) | undefined;
}) {
  if (rows.length === 0) {
    return (
      <EmptyState title="No tenant matches these filters">
        {onClearFilters && (
          <button type="button" className="secondary" onClick={onClearFilters}>
            Clear filters
          </button>
        )}
      </EmptyState>
    );
  }
  const header = (label: string, key: SortKey) => <SortHeader label={label} sortKey={key} query={query} onSort={onSort} />;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Tenants table">
      <table className="data-table striped">
        <thead>
          <tr>
            {header('Name', 'name')}
            {header('Subdomain', 'slug')}
            {header('Status', 'status')}
            {header('Engine', 'engine')}
            {header('Users', 'users')}
            {header('Schema', 'schema')}
            {header('Health', 'health')}
            {header('Created', 'created')}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ tenant, health }) => (
            <tr key={tenant.slug}>
              <th scope="row" className="sticky-col">
                <Link to={`/tenants/${tenant.slug}`}>{tenant.name}</Link>
              </th>
              <td>
                <a href={tenant.url} target="_blank" rel="noopener noreferrer" title={`Open ${tenant.url} in a new tab`}>
                  {displayUrl(tenant.url)}
                </a>
              </td>
              <td>
                <StatusBadge status={tenant.status} />
              </td>
              <td>{engineLabel(tenant.engine)}</td>
              <td className="num">
                {tenant.userCount ?? '—'} / {tenant.maxUsers}
              </td>
              <td>
                <span className="schema" title={tenant.schemaVersion ?? 'not migrated'}>
                  {tenant.schemaVersion ?? '—'}
                </span>{' '}
                <PendingBadge count={tenant.pendingMigrations} />
              </td>
              <td>
                <HealthIndicator health={health} loading={healthLoading} />
              </td>
              <td className="nowrap">{formatDate(tenant.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
