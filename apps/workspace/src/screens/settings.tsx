import { useState, type FormEvent } from 'react';
import { ErrorNotice, formatRate, isApiError, Loading, Notice, TextField } from '@salesfleet/ui';
import { useLocations } from '../api/queries';
import type { Location, TaxRate } from '../api/types';
import { useApi, useApiWrite } from '../api/use-api';
import { useSession } from '../lib/session-context';

/** What the API lets an admin set today: locations and (read-only) tax rates; the workspace's formats shown. */
export function SettingsScreen() {
  const { workspace, can } = useSession();
  const locations = useLocations();
  const rates = useApi<{ taxRates: TaxRate[] }>('/tax-rates', { enabled: can('accounting.view_tax_rate') });
  const [editing, setEditing] = useState<Location | 'new' | null>(null);
  return (
    <section>
      <h1>Settings</h1>
      <article>
        <h2>Workspace</h2>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{workspace.name}</dd>
          <dt>Address</dt>
          <dd>
            {workspace.slug}.{window.location.host.split('.').slice(1).join('.') || window.location.host}
          </dd>
          <dt>Currency</dt>
          <dd>{workspace.currency}</dd>
          <dt>Locale · time zone</dt>
          <dd>
            {workspace.locale} · {workspace.timeZone}
          </dd>
          <dt>Users</dt>
          <dd>
            {workspace.activeUsers} of {workspace.maxUsers} active
          </dd>
        </dl>
      </article>
      <article>
        <div className="page-head">
          <h2>Locations</h2>
          {can('sales.add_location') && workspace.multiLocation && editing === null && (
            <button type="button" className="small" onClick={() => setEditing('new')}>
              Add location
            </button>
          )}
        </div>
        {!workspace.multiLocation && <p className="muted">This workspace has one location; more need a multi-location plan.</p>}
        {editing !== null && <LocationForm location={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
        {locations.isPending ? (
          <Loading label="Loading locations…" />
        ) : locations.isError ? (
          <ErrorNotice error={locations.error} title="Could not load the locations" />
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th>Code</th>
                <th>Name</th>
                <th>Address</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {locations.data.map((l) => (
                <tr key={l.id}>
                  <td>{l.code}</td>
                  <td>{l.name}</td>
                  <td>{l.address ?? '—'}</td>
                  <td>{l.isActive ? 'active' : 'closed'}</td>
                  <td>
                    {can('sales.change_location') && (
                      <button type="button" className="secondary outline small" onClick={() => setEditing(l)} aria-label={`Edit ${l.name}`}>
                        Edit
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </article>
      {can('accounting.view_tax_rate') && (
        <article>
          <h2>Tax rates</h2>
          {rates.isPending ? (
            <Loading label="Loading tax rates…" />
          ) : rates.isError ? (
            <ErrorNotice error={rates.error} />
          ) : (
            <ul>
              {rates.data.taxRates.map((r) => (
                <li key={r.id}>
                  {r.name} ({r.code}): {formatRate(r.rateBp, workspace.locale)}
                  {!r.isActive && ' — inactive'}
                </li>
              ))}
            </ul>
          )}
        </article>
      )}
    </section>
  );
}

function LocationForm({ location, onDone }: { location: Location | null; onDone: () => void }) {
  const [v, setV] = useState({
    code: location?.code ?? '',
    name: location?.name ?? '',
    address: location?.address ?? '',
    isActive: location?.isActive ?? true,
  });
  const save = useApiWrite<Record<string, unknown>>(
    location ? 'PATCH' : 'POST',
    () => (location ? `/locations/${location.id}` : '/locations'),
    ['locations'],
  );
  const fields = isApiError(save.error) ? save.error.fieldErrors() : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      { code: v.code.trim(), name: v.name.trim(), address: v.address.trim() || null, ...(location ? { isActive: v.isActive } : {}) },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit} aria-label={location ? `Edit ${location.name}` : 'New location'}>
      <div className="filters">
        <TextField
          id="l-code"
          label="Code"
          value={v.code}
          onValueChange={(code) => setV((o) => ({ ...o, code }))}
          required
          maxLength={20}
          error={fields.code}
        />
        <TextField
          id="l-name"
          label="Name"
          value={v.name}
          onValueChange={(name) => setV((o) => ({ ...o, name }))}
          required
          maxLength={150}
          error={fields.name}
        />
        <TextField
          id="l-address"
          label="Address"
          value={v.address}
          onValueChange={(address) => setV((o) => ({ ...o, address }))}
          optional
          maxLength={2000}
        />
        {location && (
          <label>
            <input type="checkbox" checked={v.isActive} onChange={(e) => setV((o) => ({ ...o, isActive: e.target.checked }))} /> Open
            (sells)
          </label>
        )}
      </div>
      {save.isError && Object.keys(fields).length === 0 && <ErrorNotice error={save.error} title="Could not save the location" />}
      {save.isSuccess && <Notice kind="success">Saved.</Notice>}
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          Save
        </button>
        <button type="button" className="secondary outline" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
