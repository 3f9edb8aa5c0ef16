import { useState, type FormEvent } from 'react';
import { type Column, ErrorNotice, isApiError, ListFrame, queryString, TextField, useDebouncedInput } from '@salesfleet/ui';
import type { Customer, Page } from '../api/types';
import { useApi, useApiWrite } from '../api/use-api';
import { allPages } from '../lib/all-pages';
import { useSession } from '../lib/session-context';
import { useUrlState } from '../lib/url-state';

const LIMIT = 25;
type CustomerInput = { name: string; email: string | null; phone: string | null; taxNumber: string | null; address: string | null };

export function CustomersScreen() {
  const { can, dateTime, workspace } = useSession();
  const [f, setF] = useUrlState(['q', 'offset'] as const);
  const [q, setQ] = useDebouncedInput(f.q, (q) => setF({ q }));
  const [editing, setEditing] = useState<Customer | 'new' | null>(null);
  const path = (page: Record<string, unknown>) => `/customers${queryString({ q: f.q, ...page })}`;
  const list = useApi<{ customers: Customer[] } & Page>(path({ offset: f.offset, limit: LIMIT }));
  const columns: Column<Customer>[] = [
    {
      header: 'Name',
      cell: (c) => (
        <>
          {c.name} {!c.isActive && <span className="badge badge-muted">inactive</span>}
        </>
      ),
      csv: (c) => c.name,
    },
    { header: 'Email', cell: (c) => c.email ?? '—', csv: (c) => c.email },
    { header: 'Phone', cell: (c) => c.phone ?? '—', csv: (c) => c.phone },
    { header: 'Tax number', cell: (c) => c.taxNumber ?? '—', csv: (c) => c.taxNumber },
    { header: 'Added', cell: (c) => dateTime(c.createdAt), csv: (c) => c.createdAt },
    {
      header: '',
      cell: (c) =>
        can('sales.change_customer') && (
          <button type="button" className="secondary outline small" onClick={() => setEditing(c)}>
            Edit
          </button>
        ),
    },
  ];
  return (
    <section>
      <div className="page-head">
        <h1>Customers</h1>
        {can('sales.add_customer') && editing === null && (
          <button type="button" onClick={() => setEditing('new')}>
            Add customer
          </button>
        )}
      </div>
      {editing !== null && <CustomerForm customer={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
      <ListFrame
        query={list}
        rows={(d) => d.customers}
        columns={columns}
        rowKey={(c) => c.id}
        noun="customers"
        label="Customers"
        filtered={Boolean(f.q)}
        filters={
          <label>
            Search
            <input type="search" placeholder="Name, email or phone" value={q} onChange={(e) => setQ(e.target.value)} />
          </label>
        }
        empty={<p>Customers you add appear here.</p>}
        page={(d) => d}
        onOffsetChange={(o) => setF({ offset: String(o) }, false)}
        csvName={`${workspace.slug}-customers.csv`}
        allRows={() => allPages<Customer>(path, 'customers')}
      />
    </section>
  );
}

function CustomerForm({ customer, onDone }: { customer: Customer | null; onDone: () => void }) {
  const [v, setV] = useState({
    name: customer?.name ?? '',
    email: customer?.email ?? '',
    phone: customer?.phone ?? '',
    taxNumber: customer?.taxNumber ?? '',
    address: customer?.address ?? '',
  });
  const save = useApiWrite<CustomerInput>(customer ? 'PATCH' : 'POST', () => (customer ? `/customers/${customer.id}` : '/customers'), [
    'customers',
  ]);
  const fields = isApiError(save.error) ? save.error.fieldErrors() : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const orNull = (s: string) => (s.trim() ? s.trim() : null);
    save.mutate(
      { name: v.name.trim(), email: orNull(v.email), phone: orNull(v.phone), taxNumber: orNull(v.taxNumber), address: orNull(v.address) },
      { onSuccess: onDone },
    );
  };
  const set = (k: keyof typeof v) => (value: string) => setV((o) => ({ ...o, [k]: value }));
  return (
    <form onSubmit={submit} className="card-form" aria-label={customer ? `Edit ${customer.name}` : 'New customer'}>
      <h2>{customer ? `Edit ${customer.name}` : 'New customer'}</h2>
      <div className="filters">
        <TextField id="c-name" label="Name" value={v.name} onValueChange={set('name')} required maxLength={200} error={fields.name} />
        <TextField id="c-email" label="Email" type="email" value={v.email} onValueChange={set('email')} optional error={fields.email} />
        <TextField id="c-phone" label="Phone" value={v.phone} onValueChange={set('phone')} optional maxLength={50} error={fields.phone} />
        <TextField
          id="c-tax"
          label="Tax number"
          value={v.taxNumber}
          onValueChange={set('taxNumber')}
          optional
          maxLength={50}
          error={fields.taxNumber}
        />
        <TextField
          id="c-address"
          label="Address"
          value={v.address}
          onValueChange={set('address')}
          optional
          maxLength={2000}
          error={fields.address}
        />
      </div>
      {save.isError && Object.keys(fields).length === 0 && <ErrorNotice error={save.error} title="Could not save the customer" />}
      <div className="actions">
        <button type="submit" disabled={save.isPending || !v.name.trim()}>
          Save
        </button>
        <button type="button" className="secondary outline" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
