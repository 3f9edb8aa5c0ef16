import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ErrorNotice, Loading } from '@salesfleet/ui';
import { useLocations, useSellableProducts } from '../api/queries';
import type { Invoice } from '../api/types';
import { useApiWrite } from '../api/use-api';
import { DocumentFields, documentRequest, newDraft } from '../components/document-form';
import { useSession } from '../lib/session-context';

/** A draft invoice: customer, location, lines (and discounts); saved as a draft (issued from its page) or issued at once. */
export function NewInvoiceScreen() {
  const { workspace } = useSession();
  const navigate = useNavigate();
  const locations = useLocations();
  const products = useSellableProducts();
  const [draft, setDraft] = useState(() => newDraft(workspace.today));
  const catalog = products.data?.products ?? [];
  const { body, problems } = documentRequest(draft, workspace.currency, catalog);
  const create = useApiWrite<{ draft: boolean }, { invoice: Invoice }>(
    'POST',
    () => '/invoices',
    ['invoices', 'products'],
    (input) => ({
      ...body,
      issueDate: draft.date,
      draft: input.draft,
    }),
  );
  if (locations.isPending || products.isPending) return <Loading label="Loading…" />;
  if (products.isError) return <ErrorNotice error={products.error} title="Could not load the products" />;
  const valid = problems.length === 0;
  const submit = (asDraft: boolean) => (e?: FormEvent) => {
    e?.preventDefault();
    if (!valid) return;
    create.mutate({ draft: asDraft }, { onSuccess: ({ invoice }) => void navigate(`/invoices/${invoice.id}`) });
  };
  return (
    <form onSubmit={submit(true)} aria-label="New invoice">
      <h1>New invoice</h1>
      <DocumentFields
        draft={draft}
        onChange={setDraft}
        catalog={catalog}
        locations={locations.data ?? []}
        dateLabel="Date"
        idPrefix="invoice"
      />
      {create.isError && <ErrorNotice error={create.error} title="Could not save the invoice" />}
      <div className="actions">
        <button type="submit" disabled={!valid || create.isPending}>
          Save draft
        </button>
        <button type="button" className="secondary" disabled={!valid || create.isPending} onClick={() => submit(false)()}>
          Issue now
        </button>
      </div>
    </form>
  );
}
