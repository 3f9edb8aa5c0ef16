import { type FormEvent, useId, useState } from 'react';
import { useDeleteTenant } from '../api/tenants';
import { ErrorNotice } from '@salesfleet/ui';
import { deleteConfirmationMatches } from '../lib/validation';

interface DangerZoneProps {
  slug: string;
  onDeleted: (result: { keptDatabase: boolean }) => void;
}

/** Delete, armed only by typing the subdomain exactly. */
export function DangerZone({ slug, onDeleted }: DangerZoneProps) {
  const remove = useDeleteTenant(slug);
  const [typed, setTyped] = useState('');
  const [keepDatabase, setKeepDatabase] = useState(false);
  const id = useId();
  const armed = deleteConfirmationMatches(typed, slug);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!armed || remove.isPending) return;
    remove.mutate(
      { confirm: typed, keepDatabase },
      { onSuccess: (result) => onDeleted({ keptDatabase: result?.keptDatabase ?? keepDatabase }) },
    );
  }

  return (
    <section className="danger-zone" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Danger zone</h2>
      <form onSubmit={onSubmit} aria-label="Delete tenant">
        <p>
          Deleting <strong>{slug}</strong> removes it from the platform: its address stops answering and its users can no longer sign in.{' '}
          {keepDatabase ? (
            <>Its database is kept, detached, for you to archive or drop later.</>
          ) : (
            <strong>Its database and all its data are dropped. This cannot be undone.</strong>
          )}
        </p>
        <div className="field field-check">
          <input type="checkbox" id={`${id}-keep`} checked={keepDatabase} onChange={(e) => setKeepDatabase(e.target.checked)} />
          <label htmlFor={`${id}-keep`}>Keep the database (only remove the tenant from the platform)</label>
        </div>
        <div className="field">
          <label htmlFor={`${id}-confirm`}>
            Type <code>{slug}</code> to confirm
          </label>
          <input
            id={`${id}-confirm`}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            aria-describedby={`${id}-confirm-help`}
          />
          <small id={`${id}-confirm-help`}>
            {typed === '' || armed ? 'The button unlocks when the subdomain matches exactly.' : 'Does not match yet.'}
          </small>
        </div>
        {remove.isError && <ErrorNotice error={remove.error} title="The tenant was not deleted" />}
        <button type="submit" className="danger" disabled={!armed || remove.isPending} aria-busy={remove.isPending}>
          {remove.isPending ? 'Deleting…' : `Delete ${slug}`}
        </button>
      </form>
    </section>
  );
}
