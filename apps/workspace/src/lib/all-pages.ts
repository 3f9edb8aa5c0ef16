import { api } from '../api/client';
import type { Page } from '../api/types';

const PAGE = 500;
/** Rows a CSV export takes at most (the API pages at 500 at most). */
const MAX_ROWS = 10_000;

/** Every row of a paged list (for a CSV export), page after page, in the list's order. */
export async function allPages<T>(path: (query: { limit: number; offset: number }) => string, key: string): Promise<T[]> {
  const rows: T[] = [];
  for (let offset = 0; offset < MAX_ROWS; offset += PAGE) {
    const page = await api.get<Page & Record<string, unknown>>(path({ limit: PAGE, offset }));
    const items = (page[key] ?? []) as T[];
    rows.push(...items);
    if (items.length < PAGE || rows.length >= page.total) break;
  }
  return rows;
}
