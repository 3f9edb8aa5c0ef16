import { useState } from 'react';
import {
  MAX_SERVER_CAPACITY,
  TENANT_SERVER_NAME_MESSAGE,
  TENANT_SERVER_STATES,
  type TenantServer,
  type TenantServerState,
  isTenantServerName,
} from '@salesfleet/contracts';
import { type Column, ErrorNotice, ListFrame, Notice, TextField } from '@salesfleet/ui';
import { ConfirmAction } from '../components/confirm-action';
import { useAddTenantServer, useRemoveTenantServer, useTenantServers, useUpdateTenantServer } from '../api/servers';
import { useCheckedForm } from '../lib/use-checked-form';
import { useDocumentTitle } from '../lib/use-document-title';

const stateTone: Record<TenantServerState, string> = { open: 'good', draining: 'warn', full: 'muted' };
const ENGINE_LABEL = { postgres: 'PostgreSQL', mysql: 'MySQL/MariaDB' } as const;
const stateOptions = TENANT_SERVER_STATES.map((state) => (
  <option key={state} value={state}>
    {state}
  </option>
));

/**
 * The database servers new tenants are placed on (the least-loaded open one of the engine): their
 * capacity, how many tenants each holds and its state. Add one, change its state or capacity, remove
 * one that holds no tenant. A server's password is never shown back.
 */
export function ServersScreen() {
  useDocumentTitle('Servers');
  const servers = useTenantServers();
  const update = useUpdateTenantServer();
  const remove = useRemoveTenantServer();
  const busy = update.isPending || remove.isPending;
  const columns: Column<TenantServer>[] = [
    { header: 'Name', rowHeader: true, cell: (s) => s.name },
    { header: 'Engine', cell: (s) => ENGINE_LABEL[s.engine] },
    {
      header: 'Address',
      cell: (s) => (
        <>
          <span className="schema">
            {s.user ? `${s.user}@` : ''}
            {s.host}:{s.port}
            {s.maintenanceDatabase ? `/${s.maintenanceDatabase}` : ''}
          </span>
          {s.passwordSet && <span className="muted small-text"> · password set</span>}
        </>
      ),
    },
    {
      header: 'Used',
      num: true,
      cell: (s) => (
        <span title={`${s.tenantCount} of ${s.capacity} tenants`}>
          {s.tenantCount} / {s.capacity}
        </span>
      ),
    },
    {
      header: 'Capacity',
      cell: (s) => (
        <CapacityInput key={s.capacity} server={s} busy={busy} onSave={(capacity) => update.mutate({ name: s.name, capacity })} />
      ),
    },
    {
      header: 'State',
      cell: (s) => (
        <>
          <span className={`badge badge-${stateTone[s.state]}`}>{s.state}</span>{' '}
          <select
            aria-label={`State of ${s.name}`}
            value={s.state}
            disabled={busy}
            onChange={(e) => update.mutate({ name: s.name, state: e.target.value as TenantServerState })}
          >
            {stateOptions}
          </select>
        </>
      ),
    },
    {
      header: 'Actions',
      heading: <span className="visually-hidden">Actions</span>,
      className: 'row-actions',
      cell: (s) => (
        <ConfirmAction
          label="Remove…"
          confirmLabel={`Remove ${s.name}`}
          busy={busy}
          disabled={busy || s.tenantCount > 0}
          title={s.tenantCount > 0 ? 'Tenants are on it: move them first' : undefined}
          onConfirm={(close) => remove.mutate(s.name, { onSettled: close })}
        />
      ),
    },
  ];

  return (
    <section>
      <div className="page-header">
        <h1>Servers</h1>
      </div>
      <p className="muted">
        New tenants go to the least-loaded open server of their engine. Draining and full servers take no new tenants; move tenants away
        from a server (move-tenant --to-server) before removing it.
      </p>
      {update.isError && <ErrorNotice error={update.error} title="The server was not changed" />}
      {remove.isError && <ErrorNotice error={remove.error} title="The server was not removed" />}
      {remove.isSuccess && <Notice kind="success">Server {remove.variables} removed.</Notice>}
      <ListFrame
        query={servers}
        rows={(d) => d}
        columns={columns}
        rowKey={(s) => s.name}
        noun="servers"
        label="Servers"
        empty={<p>Without registered servers, new PostgreSQL and MySQL tenants go to SALESFLEET_TENANT_SERVER_URL. Add one below.</p>}
      />
      <AddServerForm />
    </section>
  );
}

/** A server's capacity, saved when changed to a whole number in range. */
function CapacityInput({ server: s, busy, onSave }: { server: TenantServer; busy: boolean; onSave: (capacity: number) => void }) {
  const [capacity, setCapacity] = useState(String(s.capacity));
  const wanted = Number(capacity);
  const capacityOk = Number.isInteger(wanted) && wanted >= 1 && wanted <= MAX_SERVER_CAPACITY;
  return (
    <form
      className="inline-cell"
      onSubmit={(e) => {
        e.preventDefault();
        if (capacityOk && wanted !== s.capacity) onSave(wanted);
      }}
    >
      <input
        type="number"
        min={1}
        max={MAX_SERVER_CAPACITY}
        value={capacity}
        aria-label={`Capacity of ${s.name}`}
        aria-invalid={capacityOk ? undefined : true}
        onChange={(e) => setCapacity(e.target.value)}
      />
      {capacityOk && wanted !== s.capacity && (
        <button type="submit" className="secondary outline small" disabled={busy}>
          Save
        </button>
      )}
    </form>
  );
}

const URL_PATTERN = /^(postgres|postgresql|mysql|mariadb):\/\/[^/\s]+/i;

const EMPTY_SERVER = { name: '', url: '', capacity: '100', state: 'open' as TenantServerState };

function serverProblems(form: typeof EMPTY_SERVER) {
  const capacity = Number(form.capacity);
  return {
    name: isTenantServerName(form.name.trim().toLowerCase()) ? undefined : `The name ${TENANT_SERVER_NAME_MESSAGE}.`,
    url: URL_PATTERN.test(form.url.trim()) ? undefined : 'Give a postgres:// or mysql:// URL with a host.',
    capacity:
      Number.isInteger(capacity) && capacity >= 1 && capacity <= MAX_SERVER_CAPACITY
        ? undefined
        : `A whole number of tenants from 1 to ${MAX_SERVER_CAPACITY}.`,
  };
}

function AddServerForm() {
  const add = useAddTenantServer();
  const form = useCheckedForm(EMPTY_SERVER, serverProblems);
  const onSubmit = form.submit((v) => {
    if (add.isPending) return;
    // The URL (and its password) leaves the page once sent.
    add.mutate(
      { name: v.name.trim().toLowerCase(), url: v.url.trim(), capacity: Number(v.capacity), state: v.state },
      { onSuccess: form.reset },
    );
  });

  return (
    <form onSubmit={onSubmit} aria-label="Add a server" className="inline-form narrow">
      <h2>Add a server</h2>
      <TextField id="server-name" label="Name" {...form.field('name')} autoComplete="off" />
      <TextField
        id="server-url"
        label="Connection URL"
        type="password"
        {...form.field('url')}
        hint="postgres://user:password@host:5432/maintenance-database (or mysql://…). The password is stored encrypted and never shown again."
        autoComplete="off"
      />
      <TextField
        id="server-capacity"
        label="Capacity (tenants)"
        type="number"
        min={1}
        max={MAX_SERVER_CAPACITY}
        {...form.field('capacity')}
      />
      <div className="field">
        <label htmlFor="server-state">State</label>
        <select id="server-state" value={form.values.state} onChange={(e) => form.set('state', e.target.value as TenantServerState)}>
          {stateOptions}
        </select>
      </div>
      {add.isError && <ErrorNotice error={add.error} title="The server was not added" />}
      {add.isSuccess && <Notice kind="success">Server {add.data.name} added.</Notice>}
      <button type="submit" disabled={add.isPending} aria-busy={add.isPending}>
        Add server
      </button>
    </form>
  );
}
