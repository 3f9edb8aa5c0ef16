import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import { formatDateTime, formatDuration } from '@salesfleet/ui';
import { maskSecrets, maskSecretsInText } from '../lib/mask-secrets';
import type { Operation } from '@salesfleet/contracts';
import { OutcomeBadge } from './badges';

/** Operations with a row that expands to its details (secrets masked again here, whatever the API sent). */
export function OperationsTable({
  operations,
  showTenant = true,
  busy = false,
}: {
  operations: readonly Operation[];
  showTenant?: boolean;
  /** The rows are the previous filter's while the new one loads. */
  busy?: boolean;
}) {
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const columns = showTenant ? 7 : 6;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Operations table" aria-busy={busy || undefined}>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Details</span>
            </th>
            <th scope="col">When</th>
            {showTenant && <th scope="col">Tenant</th>}
            <th scope="col">Action</th>
            <th scope="col">Outcome</th>
            <th scope="col">Actor</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {operations.map((op) => {
            const id = String(op.id);
            const expanded = open.has(id);
            return (
              <Fragment key={id}>
                <tr className={expanded ? 'row-expanded' : undefined}>
                  <td>
                    <button
                      type="button"
                      className="expand-button"
                      aria-expanded={expanded}
                      aria-controls={`op-details-${id}`}
                      onClick={() => toggle(id)}
                    >
                      <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
                      <span className="visually-hidden">
                        {expanded ? 'Hide' : 'Show'} details of {op.action} {formatDateTime(op.createdAt)}
                      </span>
                    </button>
                  </td>
                  <td className="nowrap">{formatDateTime(op.createdAt)}</td>
                  {showTenant && <td>{op.tenantSlug ? <Link to={`/tenants/${op.tenantSlug}`}>{op.tenantSlug}</Link> : '—'}</td>}
                  <td>
                    <code>{op.action}</code>
                    {op.step && <span className="muted"> · {op.step}</span>}
                    {op.error && (
                      <div className="field-error small-text truncate" title={maskSecretsInText(op.error)}>
                        {maskSecretsInText(op.error)}
                      </div>
                    )}
                  </td>
                  <td>
                    <OutcomeBadge outcome={op.outcome} />
                  </td>
                  <td>{op.actor}</td>
                  <td className="num nowrap">{formatDuration(op.durationMs)}</td>
                </tr>
                {expanded && (
                  <tr id={`op-details-${id}`} className="details-row">
                    <td colSpan={columns}>
                      {op.error && (
                        <p className="field-error">
                          <strong>Error:</strong> {maskSecretsInText(op.error)}
                        </p>
                      )}
                      <pre className="json" aria-label="Operation details">
                        {JSON.stringify(maskSecrets(op.details ?? {}), null, 2)}
                      </pre>
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
