import { useEffect, useState, type FormEvent } from 'react';
import { EmptyState, ErrorNotice, isApiError, Loading, Pager, queryString, TextField } from '@salesfleet/ui';
import type { Customer, Page } from '../api/types';
import { useApi, useApiWrite } from '../api/use-api';
import { useSession } from '../lib/session-context';
import { useUrlState } from '../lib/url-state';

const LIMIT = 25;
type CustomerInput = { name: string; email: string | null; phone: string | null; taxNumber: string | null; address: string | null };

export function CustomersScreen() {
  const { can, dateTime } = useSession();
  const [f, setF] = useUrlState(['q', 'offset'] as const);
  const [q, setQ] = useState(f.q);
  const [editing, setEditing] = useState<Customer | 'new' | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => q !== f.q && setF({ q }), 300);
    return () => clearTimeout(timer);
  }, [q, f.q, setF]);
  const list = useApi<{ customers: Customer[] } & Page>(`/customers${queryString({ q: f.q, offset: f.offset, limit: LIMIT })}`);
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
      <label className="visually-hidden" htmlFor="customer-q">
        Search customers
      </label>
      <input id="customer-q" type="search" placeholder="Search name, email, phone" value={q} onChange={(e) => setQ(e.target.value)} />
      {list.isPending ? (
        <Loading label="Loading customers…" />
      ) : list.isError ? (
        <ErrorNotice error={list.error} title="Could not load the customers" onRetry={() => void list.refetch()} />
      ) : list.data.customers.length === 0 ? (
        <EmptyState title={f.q ? 'No customer matches' : 'No customers yet'}>
          <p>{f.q ? 'Try another part of the name, email or phone.' : 'Customers you add appear here.'}</p>
        </EmptyState>
      ) : (
        <>
          <div className="table-scroll">
            <table className="data-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Email</th>
                  <th>Phone</th>
                  <th>Tax number</th>
                  <th>Added</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.data.customers.map((c) => (
                  <tr key={c.id}>
                    <td>
                      {c.name} {!c.isActive && <span className="badge badge-muted">inactive</span>}
                    </td>
                    <td>{c.email ?? '—'}</td>
                    <td>{c.phone ?? '—'}</td>
                    <td>{c.taxNumber ?? '—'}</td>
                    <td>{dateTime(c.createdAt)}</td>
                    <td>
                      {can('sales.change_customer') && (
                        <button type="button" className="secondary outline small" onClick={() => setEditing(c)}>
                          Edit
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            total={list.data.total}
            limit={LIMIT}
            offset={Number(f.offset) || 0}
            onOffsetChange={(o) => setF({ offset: String(o) }, false)}
          />
        </>
      )}
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
