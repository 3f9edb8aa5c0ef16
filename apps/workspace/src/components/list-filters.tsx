import type { Column } from '@salesfleet/ui';
import { locationName, useLocations } from '../api/queries';
import { useSession } from '../lib/session-context';

/** From / To dates of a list's filters (ISO dates; empty: open-ended). */
export function DateRangeFilter({
  from,
  to,
  onChange,
}: {
  from: string;
  to: string;
  onChange: (change: { from: string } | { to: string }) => void;
}) {
  return (
    <>
      <label>
        From
        <input type="date" value={from} max={to || undefined} onChange={(e) => onChange({ from: e.target.value })} />
      </label>
      <label>
        To
        <input type="date" value={to} min={from || undefined} onChange={(e) => onChange({ to: e.target.value })} />
      </label>
    </>
  );
}

/** The Location filter of a list (All or one location), on a workspace with several locations only. */
export function LocationFilter({ value, onChange }: { value: string; onChange: (locationId: string) => void }) {
  const { workspace } = useSession();
  const locations = useLocations();
  if (!workspace.multiLocation) return null;
  return (
    <label>
      Location
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All</option>
        {locations.data?.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A list's Location column (and CSV cell), on a workspace with several locations only. */
export function useLocationColumn<T>(locationId: (row: T) => number): Column<T>[] {
  const { workspace } = useSession();
  const locations = useLocations();
  if (!workspace.multiLocation) return [];
  const name = (row: T) => locationName(locations.data, locationId(row));
  return [{ header: 'Location', cell: name, csv: name }];
}
