import { api } from '../api/client';
import type { Page } from '../api/types';

const PAGE = 500;
/** Rows a CSV export takes at most (the API pages at 500 at most). */
const MAX_ROWS = 10_000;

/** Every row of a paged list (for a CSV export), page after page, in the list's order. */
export async function allPages<T>(
  path: (query: { limit: number; offset: number }) => string,
  key: string,
  /** Where the page sits in the answer, when not at its top (`report` of a paged report). */
  within?: string,
): Promise<T[]> {
  const rows: T[] = [];
  for (let offset = 0; offset < MAX_ROWS; offset += PAGE) {
    const answer = await api.get<Record<string, unknown>>(path({ limit: PAGE, offset }));
    const page = (within ? answer[within] : answer) as Page & Record<string, unknown>;
    const items = (page[key] ?? []) as T[];
    rows.push(...items);
    if (items.length < PAGE || rows.length >= page.total) break;
  }
  return rows;
}
