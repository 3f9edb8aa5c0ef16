import { useSearchParams } from 'react-router';

/** Filters and paging kept in the address (shareable, survive a reload, back button works). */
export function useUrlState<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>;
  const set = (changes: Partial<Record<K, string>>, resetOffset = true) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes) as [K, string | undefined][]) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        if (resetOffset && !('offset' in changes)) next.delete('offset');
        return next;
      },
      { replace: true },
    );
  };
  return [values, set] as const;
}
