import { useState } from 'react';
import { useCustomerSearch } from '../api/queries';
import type { Customer } from '../api/types';

/** Pick a customer by typing part of a name, email or phone; shows the choice with a way to clear it. */
export function CustomerSelect({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: Customer | null;
  onChange: (c: Customer | null) => void;
}) {
  const [q, setQ] = useState('');
  const results = useCustomerSearch(q, value === null);
  return (
    <div className="field customer-select">
      <label htmlFor={id}>{label}</label>
      {value ? (
        <div className="customer-picked">
          <strong>{value.name}</strong>
          <button
            type="button"
            className="secondary outline small"
            onClick={() => onChange(null)}
            aria-label={`Clear ${label.toLowerCase()}`}
          >
            ×
          </button>
        </div>
      ) : (
        <>
          <input id={id} type="search" value={q} autoComplete="off" placeholder="Type to search" onChange={(e) => setQ(e.target.value)} />
          {q.trim() && results.data && (
            <ul className="search-results" aria-label={`${label}: matches`}>
              {results.data.length === 0 && <li className="muted">No customer matches.</li>}
              {results.data.map((c) => (
                <li key={c.id}>
                  <button
                    type="button"
                    className="secondary outline"
                    onClick={() => {
                      onChange(c);
                      setQ('');
                    }}
                  >
                    {c.name}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
