import pg from 'pg';

/**
 * Counts this process's PostgreSQL round trips (pg `Client#query` calls, by database) and new
 * connections (`Client#connect` calls) from now on — for the profiles' before/after figures, which
 * hold on a loaded machine where times do not. `onQuery` sees each query's text (or config).
 */
export function countPgCalls(onQuery?: (database: string, query: unknown) => void) {
  const counts = { queries: 0, connects: 0, byDatabase: new Map<string, number>() };
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown; connect: (...a: unknown[]) => unknown };
  const query = proto.query;
  proto.query = function (this: { database?: string }, ...args: unknown[]) {
    const database = this.database ?? '?';
    counts.queries++;
    counts.byDatabase.set(database, (counts.byDatabase.get(database) ?? 0) + 1);
    onQuery?.(database, args[0]);
    return query.apply(this, args);
  };
  const connect = proto.connect;
  proto.connect = function (...args: unknown[]) {
    counts.connects++;
    return connect.apply(this, args);
  };
  return Object.assign(counts, {
    reset() {
      counts.queries = 0;
      counts.connects = 0;
      counts.byDatabase.clear();
    },
  });
}
