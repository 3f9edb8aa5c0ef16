/** Previous / next over a server-side page (`limit`, `offset`, `total` as the API answers them). */
export function Pager({
  total,
  limit,
  offset,
  onOffsetChange,
  label = 'Pages',
}: {
  total: number;
  limit: number;
  offset: number;
  onOffsetChange: (offset: number) => void;
  label?: string;
}) {
  if (total <= limit && offset === 0) return null;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={label}>
      <button
        type="button"
        className="secondary outline small"
        disabled={offset === 0}
        onClick={() => onOffsetChange(Math.max(0, offset - limit))}
      >
        Previous
      </button>
      <span>
        {first}–{last} of {total}
      </span>
      <button type="button" className="secondary outline small" disabled={last >= total} onClick={() => onOffsetChange(offset + limit)}>
        Next
      </button>
    </nav>
  );
}
