import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ErrorNotice, formatRate, isApiError, Loading, Notice, TextField } from '@salesfleet/ui';
import { useLocations } from '../api/queries';
import type { Location, TaxRate } from '../api/types';
import { useApi, useApiWrite } from '../api/use-api';
import { useSession } from '../lib/session-context';

/** What the API lets an admin set: the company profile and formats, locations, and (read-only) tax rates. */
export function SettingsScreen() {
  const { workspace, can } = useSession();
  const locations = useLocations();
  const [editing, setEditing] = useState<Location | 'new' | null>(null);
  return (
    <section>
      <h1>Settings</h1>
      <CompanySettings />
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
          <div className="table-scroll">
            <table className="data-table">
              <thead>
                <tr>
                  <th>Code</th>
                  <th>Name</th>
                  <th className="wide-only">Address</th>
                  <th className="wide-only">Status</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {locations.data.map((l) => (
                  <tr key={l.id}>
                    <td>{l.code}</td>
                    <td>
                      {l.name}
                      {/* A phone has no room for the address and status columns: they are under the name. */}
                      <small className="muted narrow-only">{[l.address, l.isActive ? null : 'closed'].filter(Boolean).join(' · ')}</small>
                    </td>
                    <td className="wide-only">{l.address ?? '—'}</td>
                    <td className="wide-only">{l.isActive ? 'active' : 'closed'}</td>
                    <td>
                      {can('sales.change_location') && (
                        <button
                          type="button"
                          className="secondary outline small"
                          onClick={() => setEditing(l)}
                          aria-label={`Edit ${l.name}`}
                        >
                          Edit
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </article>
      {can('accounting.view_tax_rate') && <TaxRates />}
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

interface Settings {
  companyName: string;
  companyAddress: string | null;
  companyTaxNumber: string | null;
  currency: string;
  locale: string;
  timeZone: string;
  fiscalYearStartMonth: number;
  invoicePrefix: string;
  creditNotePrefix: string;
  quotePrefix: string;
  purchasePrefix: string;
  closedThrough: string | null;
}

const TEXT_FIELDS: { key: keyof Settings; label: string; hint?: string }[] = [
  { key: 'companyName', label: 'Company name' },
  { key: 'companyAddress', label: 'Address' },
  { key: 'companyTaxNumber', label: 'Tax number' },
  { key: 'currency', label: 'Currency', hint: 'ISO 4217, e.g. EUR; can change only while nothing is posted' },
  { key: 'locale', label: 'Locale', hint: 'e.g. en-GB: how amounts and dates are written' },
  { key: 'timeZone', label: 'Time zone', hint: 'e.g. Africa/Lagos: when "today" starts' },
  { key: 'invoicePrefix', label: 'Invoice prefix' },
  { key: 'creditNotePrefix', label: 'Credit note prefix' },
  { key: 'quotePrefix', label: 'Quote prefix' },
  { key: 'purchasePrefix', label: 'Purchase prefix' },
];

/** The company profile and formats (GET /api/settings for everyone, PATCH for admins). */
function CompanySettings() {
  const { workspace, can } = useSession();
  const settings = useApi<{ settings: Settings }>('/settings');
  if (settings.isPending) return <Loading label="Loading the settings…" />;
  if (settings.isError)
    return <ErrorNotice error={settings.error} title="Could not load the settings" onRetry={() => void settings.refetch()} />;
  return (
    <article>
      <h2>Company</h2>
      {can('settings.change_settings') ? (
        <SettingsForm settings={settings.data.settings} />
      ) : (
        <dl className="facts">
          {TEXT_FIELDS.map((f) => (
            <div key={f.key} className="contents">
              <dt>{f.label}</dt>
              <dd>{String(settings.data.settings[f.key] ?? '—')}</dd>
            </div>
          ))}
        </dl>
      )}
      <p className="muted">
        {workspace.activeUsers} of {workspace.maxUsers} active users
        {settings.data.settings.closedThrough ? ` · books closed through ${settings.data.settings.closedThrough}` : ''}
      </p>
    </article>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const client = useQueryClient();
  const [v, setV] = useState<Record<string, string>>(() =>
    Object.fromEntries(TEXT_FIELDS.map((f) => [f.key, String(settings[f.key] ?? '')])),
  );
  const save = useApiWrite<Record<string, unknown>>('PATCH', () => '/settings', ['settings']);
  const fields = isApiError(save.error) ? save.error.fieldErrors() : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const patch: Record<string, unknown> = {};
    for (const f of TEXT_FIELDS) {
      const before = String(settings[f.key] ?? '');
      const now = v[f.key]!.trim();
      if (now === before) continue;
      patch[f.key] = (f.key === 'companyAddress' || f.key === 'companyTaxNumber') && !now ? null : now;
    }
    if (Object.keys(patch).length === 0) return;
    save.mutate(patch, { onSuccess: () => void client.invalidateQueries({ queryKey: ['workspace'] }) });
  };
  return (
    <form onSubmit={submit} aria-label="Company settings">
      <div className="filters">
        {TEXT_FIELDS.map((f) => (
          <TextField
            key={f.key}
            id={`set-${f.key}`}
            label={f.label}
            value={v[f.key] ?? ''}
            onValueChange={(value) => setV((o) => ({ ...o, [f.key]: value }))}
            hint={f.hint}
            error={fields[f.key]}
          />
        ))}
      </div>
      {save.isError && Object.keys(fields).length === 0 && <ErrorNotice error={save.error} title="Could not save the settings" />}
      {save.isSuccess && <Notice kind="success">Settings saved.</Notice>}
      <button type="submit" disabled={save.isPending}>
        Save settings
      </button>
    </form>
  );
}

/** Tax rates: listed for whoever may see them; added and switched on or off with the tax-rate permissions. */
function TaxRates() {
  const { can, workspace } = useSession();
  const client = useQueryClient();
  const rates = useApi<{ taxRates: TaxRate[] }>('/tax-rates');
  const [v, setV] = useState({ code: '', name: '', percent: '' });
  const refresh = () => void client.invalidateQueries({ queryKey: ['workspace'] });
  const add = useApiWrite<Record<string, unknown>>('POST', () => '/tax-rates', ['tax-rates']);
  const toggle = useApiWrite<{ id: number; isActive: boolean }>(
    'PATCH',
    ({ id }) => `/tax-rates/${id}`,
    ['tax-rates'],
    ({ isActive }) => ({ isActive }),
  );
  const fields = isApiError(add.error) ? add.error.fieldErrors() : {};
  // "7.5" % → 750 basis points, without floating point.
  const m = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(v.percent.trim());
  const rateBp = m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
  const valid = rateBp !== null && rateBp <= 10_000 && v.code.trim() && v.name.trim();
  return (
    <article>
      <h2>Tax rates</h2>
      {rates.isPending ? (
        <Loading label="Loading tax rates…" />
      ) : rates.isError ? (
        <ErrorNotice error={rates.error} />
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <tbody>
              {rates.data.taxRates.map((r) => (
                <tr key={r.id}>
                  <td className="wide-only">{r.code}</td>
                  <td>
                    {r.name}
                    {/* On a phone the code and status are under the name. */}
                    <small className="muted narrow-only">
                      {r.code} · {r.isActive ? 'active' : 'inactive'}
                    </small>
                  </td>
                  <td className="num">{formatRate(r.rateBp, workspace.locale)}</td>
                  <td className="wide-only">{r.isActive ? 'active' : 'inactive'}</td>
                  <td>
                    {can('accounting.change_tax_rate') && (
                      <button
                        type="button"
                        className="secondary outline small"
                        aria-label={`${r.isActive ? 'Deactivate' : 'Activate'} ${r.name}`}
                        onClick={() => toggle.mutate({ id: r.id, isActive: !r.isActive }, { onSuccess: refresh })}
                      >
                        {r.isActive ? 'Deactivate' : 'Activate'}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {toggle.isError && <ErrorNotice error={toggle.error} title="Could not change the tax rate" />}
      {can('accounting.add_tax_rate') && (
        <form
          aria-label="New tax rate"
          onSubmit={(e) => {
            e.preventDefault();
            if (!valid) return;
            add.mutate(
              { code: v.code.trim(), name: v.name.trim(), rateBp },
              {
                onSuccess: () => {
                  setV({ code: '', name: '', percent: '' });
                  refresh();
                },
              },
            );
          }}
        >
          <div className="filters">
            <TextField
              id="t-code"
              label="Code"
              value={v.code}
              onValueChange={(code) => setV((o) => ({ ...o, code }))}
              maxLength={20}
              error={fields.code}
            />
            <TextField
              id="t-name"
              label="Name"
              value={v.name}
              onValueChange={(name) => setV((o) => ({ ...o, name }))}
              maxLength={100}
              error={fields.name}
            />
            <TextField
              id="t-rate"
              label="Rate (%)"
              inputMode="decimal"
              value={v.percent}
              onValueChange={(percent) => setV((o) => ({ ...o, percent }))}
              error={v.percent && (rateBp === null || rateBp > 10_000) ? '0–100, at most two decimals' : fields.rateBp}
            />
            <button type="submit" disabled={!valid || add.isPending}>
              Add tax rate
            </button>
          </div>
          {add.isError && Object.keys(fields).length === 0 && <ErrorNotice error={add.error} title="Could not add the tax rate" />}
        </form>
      )}
    </article>
  );
}
