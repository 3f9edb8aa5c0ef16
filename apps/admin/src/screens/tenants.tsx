import { Link, useLocation, useSearchParams } from 'react-router';
import { useTenantPage } from '../api/tenants';
import { HealthIndicator, PendingBadge, StatusBadge } from '../components/badges';
import { type Column, formatDate, ListFrame, Notice, useDebouncedInput } from '@salesfleet/ui';
import { displayUrl } from '../lib/display-url';
import {
  ENGINES,
  type Engine,
  TENANT_STATUSES,
  type TenantListQuery,
  type TenantSortKey,
  type TenantStatus,
  type TenantSummary,
} from '@salesfleet/contracts';
import { useDocumentTitle } from '../lib/use-document-title';
import { engineLabel } from '../lib/validation';

type SortDirection = 'asc' | 'desc';
const SORT_KEYS: readonly TenantSortKey[] = ['name', 'slug', 'status', 'engine', 'users', 'schema', 'health', 'created'];
export const TENANTS_PAGE_SIZE = 50;

interface TableQuery {
  q: string;
  status: TenantStatus | '';
  engine: Engine | '';
  sort: TenantSortKey;
  dir: SortDirection;
  /** 1-based. */
  page: number;
}

function readQuery(params: URLSearchParams): TableQuery {
  const status = params.get('status') ?? '';
  const engine = params.get('engine') ?? '';
  const sort = params.get('sort') ?? '';
  const page = Number(params.get('page'));
  return {
    q: params.get('q') ?? '',
    status: (TENANT_STATUSES as readonly string[]).includes(status) ? (status as TenantStatus) : '',
    engine: (ENGINES as readonly string[]).includes(engine) ? (engine as Engine) : '',
    sort: (SORT_KEYS as readonly string[]).includes(sort) ? (sort as TenantSortKey) : 'name',
    dir: params.get('dir') === 'desc' ? 'desc' : 'asc',
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** A column heading that sorts the list by its key: ascending first, then the other way. */
function sortable(
  label: string,
  sortKey: TenantSortKey,
  query: TableQuery,
  onSort: (key: TenantSortKey, direction: SortDirection) => void,
) {
  const active = query.sort === sortKey;
  const next: SortDirection = active && query.dir === 'asc' ? 'desc' : 'asc';
  return {
    header: label,
    sort: active ? (query.dir === 'asc' ? 'ascending' : 'descending') : 'none',
    heading: (
      <button type="button" className="sort-button" onClick={() => onSort(sortKey, next)}>
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (query.dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    ),
  } as const;
}

/**
 * The fleet's tenants, one page at a time: the server searches, filters, sorts and counts (from the
 * registry alone), so the page answers as fast at 10,000 tenants as at 10. Health is each tenant's
 * last recorded check; nothing here opens a tenant database.
 */
export function TenantsScreen() {
  useDocumentTitle('Tenants');
  const [params, setParams] = useSearchParams();
  const query = readQuery(params);
  const pageQuery: TenantListQuery = {
    limit: TENANTS_PAGE_SIZE,
    offset: (query.page - 1) * TENANTS_PAGE_SIZE,
    q: query.q.trim(),
    status: query.status,
    engine: query.engine,
    sort: query.sort,
    dir: query.dir,
  };
  const page = useTenantPage(pageQuery);
  const flash = (useLocation().state as { flash?: string } | null)?.flash;

  function update(changes: Record<string, string>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    // A new search, filter or sort starts again at the first page.
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  }
  const [searchText, setSearchText] = useDebouncedInput(query.q, (q) => update({ q }), { trim: true });

  const filtered = query.q !== '' || query.status !== '' || query.engine !== '';
  const data = page.data;
  const emptyFleet = data && data.total === 0 && !filtered;
  const onSort = (sort: TenantSortKey, dir: SortDirection) => update({ sort, dir: dir === 'asc' ? '' : 'desc' });
  const column = (label: string, key: TenantSortKey) => sortable(label, key, query, onSort);
  const columns: Column<TenantSummary>[] = [
    {
      ...column('Name', 'name'),
      rowHeader: true,
      className: 'sticky-col',
      cell: (tenant) => <Link to={`/tenants/${tenant.slug}`}>{tenant.name}</Link>,
    },
    {
      ...column('Subdomain', 'slug'),
      cell: (tenant) => (
        <a href={tenant.url} target="_blank" rel="noopener noreferrer" title={`Open ${tenant.url} in a new tab`}>
          {displayUrl(tenant.url)}
        </a>
      ),
    },
    { ...column('Status', 'status'), cell: (tenant) => <StatusBadge status={tenant.status} /> },
    { ...column('Engine', 'engine'), cell: (tenant) => engineLabel(tenant.engine) },
    { ...column('Users', 'users'), num: true, cell: (tenant) => `${tenant.userCount ?? '—'} / ${tenant.maxUsers}` },
    {
      ...column('Schema', 'schema'),
      cell: (tenant) => (
        <>
          <span className="schema" title={tenant.schemaVersion ?? 'not migrated'}>
            {tenant.schemaVersion ?? '—'}
          </span>{' '}
          <PendingBadge count={tenant.pendingMigrations} />
        </>
      ),
    },
    {
      ...column('Health', 'health'),
      cell: (tenant) => (
        <span title={tenant.health ? `Last checked ${formatDate(tenant.health.checkedAt)}` : 'Not checked yet'}>
          <HealthIndicator health={tenant.health ?? undefined} />
        </span>
      ),
    },
    { ...column('Created', 'created'), className: 'nowrap', cell: (tenant) => formatDate(tenant.createdAt) },
  ];

  return (
    <section>
      <div className="page-header">
        <div>
          <h1>Tenants</h1>
          {data && (
            <p className="muted">
              {data.total.toLocaleString('en')} {filtered ? 'matching ' : ''}tenant{data.total === 1 ? '' : 's'}
            </p>
          )}
        </div>
        <Link to="/tenants/new" role="button">
          Create tenant
        </Link>
      </div>

      {flash && <Notice kind="success">{flash}</Notice>}
      <ListFrame
        query={page}
        rows={(d) => d.tenants}
        columns={columns}
        rowKey={(tenant) => tenant.slug}
        noun="tenants"
        label="Tenants"
        filters={
          !emptyFleet && (
            <>
              <div className="field">
                <label htmlFor="tenant-search">Search</label>
                <input
                  id="tenant-search"
                  type="search"
                  placeholder="Name, subdomain or email"
                  value={searchText}
                  onChange={(e) => setSearchText(e.target.value)}
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
            </>
          )
        }
        filtered={filtered}
        onClearFilters={() => {
          setSearchText('');
          update({ q: '', status: '', engine: '' });
        }}
        empty={
          <>
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
          </>
        }
        page={(d) => ({ total: d.total, limit: TENANTS_PAGE_SIZE, offset: (query.page - 1) * TENANTS_PAGE_SIZE })}
        onOffsetChange={(offset) => {
          const page = Math.floor(offset / TENANTS_PAGE_SIZE) + 1;
          update({ page: page > 1 ? String(page) : '' });
        }}
      />
    </section>
  );
}
