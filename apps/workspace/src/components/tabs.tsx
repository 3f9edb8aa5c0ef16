/** A row of tabs (buttons with role tab): the current one filled, the others outlined. */
export function Tabs<Id extends string>({
  label,
  tabs,
  current,
  onChange,
}: {
  label: string;
  tabs: readonly { id: Id; label: string }[];
  current: Id | undefined;
  onChange: (id: Id) => void;
}) {
  if (tabs.length < 2) return null;
  return (
    <div className="actions" role="tablist" aria-label={label}>
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          aria-selected={t.id === current}
          className={t.id === current ? '' : 'secondary outline'}
          onClick={() => onChange(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
