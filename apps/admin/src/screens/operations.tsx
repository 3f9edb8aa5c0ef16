import { useRef } from 'react';
import { useSearchParams } from 'react-router';
import { useOperations } from '../api/operations';
import { useTenantPage } from '../api/tenants';
import { ListFrame, useDebouncedInput } from '@salesfleet/ui';
import { OperationsTable } from '../components/operations-table';
import { OPERATION_OUTCOMES, type OperationListQuery, type OperationOutcome } from '@salesfleet/contracts';
import { useDocumentTitle } from '../lib/use-document-title';

const LIMITS = [50, 100, 200, 500] as const;

function readFilters(params: URLSearchParams): OperationListQuery {
  const outcome = params.get('outcome') ?? '';
  const limit = Number(params.get('limit'));
  return {
    tenant: params.get('tenant') ?? '',
    action: params.get('action') ?? '',
    outcome: (OPERATION_OUTCOMES as readonly string[]).includes(outcome) ? (outcome as OperationOutcome) : '',
    limit: (LIMITS as readonly number[]).includes(limit) ? limit : 100,
  };
}

export function OperationsScreen() {
  useDocumentTitle('Operations');
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const operations = useOperations(filters);

  function update(key: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  }

  // Actions offered in the list: every one seen in loaded rows this visit (the API defines the names).
  const seenActions = useRef(new Set<string>());
  for (const op of operations.data ?? []) seenActions.current.add(op.action);
  const actions = [...seenActions.current].sort();
  const [tenantText, setTenantText] = useDebouncedInput(filters.tenant ?? '', (v) => update('tenant', v), { trim: true });
  // Suggestions: the first tenants matching what is typed (the server searches; the fleet may be large).
  const tenants = useTenantPage({ q: tenantText.trim(), limit: 20, sort: 'slug' });
  const [actionText, setActionText] = useDebouncedInput(filters.action ?? '', (v) => update('action', v), { trim: true });
  const filtered = Boolean(filters.tenant || filters.action || filters.outcome);

  return (
    <section>
      <div className="page-header">
        <div>
          <h1>Operations</h1>
          <p className="muted">Every lifecycle operation on the fleet: who did what, when, and how it went.</p>
        </div>
      </div>
      <ListFrame
        query={operations}
        rows={(d) => d}
        columns={[]}
        rowKey={(op) => op.id}
        noun="operations"
        filtered={filtered}
        empty={<p className="muted">Creating, changing, migrating or deleting a tenant records an operation here.</p>}
        renderRows={(shown) => <OperationsTable operations={shown} busy={operations.isPlaceholderData} />}
        filters={
          <>
            <SuggestedFilter
              id="op-tenant"
              label="Tenant"
              placeholder="All tenants"
              value={tenantText}
              onValueChange={setTenantText}
              suggestions={(tenants.data?.tenants ?? []).map((t) => ({ value: t.slug, label: t.name }))}
            />
            <SuggestedFilter
              id="op-action"
              label="Action"
              placeholder="All actions"
              value={actionText}
              onValueChange={setActionText}
              suggestions={actions.map((a) => ({ value: a }))}
            />
            <div className="field">
              <label htmlFor="op-outcome">Outcome</label>
              <select id="op-outcome" value={filters.outcome} onChange={(e) => update('outcome', e.target.value)}>
                <option value="">All outcomes</option>
                {OPERATION_OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="op-limit">Show</label>
              <select id="op-limit" value={String(filters.limit)} onChange={(e) => update('limit', e.target.value)}>
                {LIMITS.map((n) => (
                  <option key={n} value={n}>
                    latest {n}
                  </option>
                ))}
              </select>
            </div>
          </>
        }
      />
    </section>
  );
}

interface SuggestedFilterProps {
  id: string;
  label: string;
  placeholder: string;
  value: string;
  onValueChange: (value: string) => void;
  /** Offered as the user types (a datalist); any other text is accepted too. */
  suggestions: readonly { value: string; label?: string }[];
}

/** A free-text filter with suggestions to pick from. */
function SuggestedFilter({ id, label, placeholder, value, onValueChange, suggestions }: SuggestedFilterProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        list={`${id}-list`}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onValueChange(e.target.value)}
        autoCapitalize="none"
        spellCheck={false}
      />
      <datalist id={`${id}-list`}>
        {suggestions.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </datalist>
    </div>
  );
}
