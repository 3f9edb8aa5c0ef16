import { type ReactNode, useState } from 'react';
import { downloadCsv, toCsv } from './csv';
import { ErrorNotice } from './error-notice';
import { Pager } from './pager';
import { EmptyState, Loading } from './states';

type CsvValue = string | number | null | undefined;

/** One column of a table: its heading, what a row shows, and (optionally) what the CSV export writes. */
export interface Column<T> {
  /** The heading (the column's key and its CSV header). */
  header: string;
  /** What the heading cell shows instead of `header` (a sort button, a visually hidden label). */
  heading?: ReactNode;
  /** A sortable column's current order (the heading's aria-sort). */
  sort?: 'ascending' | 'descending' | 'none';
  /** The cells name their row (`<th scope="row">`, read out with the row's other cells). */
  rowHeader?: boolean;
  cell: (row: T) => ReactNode;
  /** The CSV cell; omitted: the column is not exported. */
  csv?: (row: T) => CsvValue;
  /** Right-aligned figures. */
  num?: boolean;
  /** More classes of the column's cells (`nowrap` for a cell of buttons). */
  className?: string;
}

const cellClass = (c: Pick<Column<unknown>, 'num' | 'className'>) => [c.num && 'num', c.className].filter(Boolean).join(' ') || undefined;

/**
 * A table of rows, scrolling sideways inside its card on a narrow screen (never overflowing it); with
 * a label, the scrolling box is a focusable region so that a keyboard can scroll it too.
 */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  rowClassName,
  label,
  footer,
  busy,
}: {
  /** The table's columns (with `renderRows`: only what the CSV export writes, if no `csv`). */
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string | number;
  rowClassName?: (row: T) => string | undefined;
  label?: string;
  footer?: ReactNode;
  /** The rows shown are the previous query's while the new one loads. */
  busy?: boolean;
}) {
  return (
    <div
      className="table-scroll"
      tabIndex={label ? 0 : undefined}
      role={label ? 'region' : undefined}
      aria-label={label && `${label} table`}
      aria-busy={busy || undefined}
    >
      <table className="data-table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={cellClass(c)} aria-sort={c.sort}>
                {c.heading ?? c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className={rowClassName?.(row)}>
              {columns.map((c) =>
                c.rowHeader ? (
                  <th key={c.header} scope="row" className={cellClass(c)}>
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={c.header} className={cellClass(c)}>
                    {c.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
          {footer}
        </tbody>
      </table>
    </div>
  );
}

/** The CSV text of rows by the columns that say how to export themselves. */
export function columnsCsv<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const exported = columns.filter((c) => c.csv);
  return toCsv(
    exported.map((c) => c.header),
    rows.map((r) => exported.map((c) => c.csv?.(r))),
  );
}

/** What ListFrame reads of a query (TanStack Query's result fits; the UI package does not depend on it). */
export interface QueryState<D> {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: D | undefined;
  refetch: () => unknown;
  /** The data is the previous query's, kept on screen while the new one loads. */
  isPlaceholderData?: boolean;
}

export interface PageState {
  total: number;
  limit: number;
  offset: number;
}

/**
 * A list or report: filters, then loading / error / empty / the table with its pager, and a CSV
 * export (of every row when `allRows` can fetch them past the current page, else of the rows shown).
 * Every list screen of the workspace is one; a list whose rows are not table rows (the journal's
 * entries) draws them with `renderRows` and writes its own `csv`.
 */
export function ListFrame<D, T>({
  query,
  rows,
  columns,
  rowKey,
  rowClassName,
  noun,
  filters,
  filtered = false,
  onClearFilters,
  empty,
  page,
  onOffsetChange,
  csvName,
  allRows,
  label,
  footer,
  children,
  renderRows,
  csv,
}: {
  query: QueryState<D>;
  rows: (data: D) => readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string | number;
  rowClassName?: (row: T) => string | undefined;
  /** Plural noun of the rows ("purchase orders"): loading, error and empty messages. */
  noun: string;
  filters?: ReactNode;
  filtered?: boolean;
  /** Offered as a button when nothing matches the filters. */
  onClearFilters?: () => void;
  /** What the empty state says when nothing is filtered (how rows come to exist). */
  empty?: ReactNode;
  page?: (data: D) => PageState;
  /** Where the pager moves (with `page`). */
  onOffsetChange?: (offset: number) => void;
  csvName?: string;
  allRows?: () => Promise<readonly T[]>;
  label?: string;
  footer?: (data: D) => ReactNode;
  /** Shown above the table once the data is there (a chart, a summary). */
  children?: (data: D) => ReactNode;
  /** Draws the rows instead of the table (rows that are not table rows). */
  renderRows?: (rows: readonly T[]) => ReactNode;
  /** The CSV text of the exported rows, instead of the columns' own. */
  csv?: (rows: readonly T[]) => string;
}) {
  const [exporting, setExporting] = useState<unknown>(null);
  const data = query.data;
  const shown = data === undefined ? [] : rows(data);
  const exportCsv = async () => {
    if (!csvName) return;
    try {
      setExporting(true);
      const exported = allRows ? await allRows() : shown;
      downloadCsv(csvName, csv ? csv(exported) : columnsCsv(columns, exported));
      setExporting(null);
    } catch (error) {
      setExporting(error);
    }
  };
  return (
    <>
      {(filters || csvName) && (
        <div className="filters" role="search" aria-label={`Filter ${noun}`}>
          {filters}
          {csvName && (
            <button
              type="button"
              className="secondary"
              onClick={() => void exportCsv()}
              disabled={shown.length === 0 || exporting === true}
              aria-busy={exporting === true}
            >
              Export CSV
            </button>
          )}
        </div>
      )}
      {exporting !== null && exporting !== true && <ErrorNotice error={exporting} title="Could not export the CSV" />}
      {query.isPending ? (
        <Loading label={`Loading ${noun}…`} />
      ) : query.isError || data === undefined ? (
        <ErrorNotice error={query.error} title={`Could not load ${noun}`} onRetry={() => void query.refetch()} />
      ) : (
        <>
          {children?.(data)}
          {shown.length === 0 ? (
            <EmptyState title={filtered ? `No ${noun} match these filters` : `No ${noun} yet`}>
              {!filtered ? (
                empty
              ) : onClearFilters ? (
                <button type="button" className="secondary" onClick={onClearFilters}>
                  Clear filters
                </button>
              ) : (
                <p>Change or clear the filters.</p>
              )}
            </EmptyState>
          ) : (
            <>
              {renderRows ? (
                renderRows(shown)
              ) : (
                <DataTable
                  columns={columns}
                  rows={shown}
                  rowKey={rowKey}
                  rowClassName={rowClassName}
                  label={label ?? noun}
                  footer={footer?.(data)}
                  busy={query.isPlaceholderData}
                />
              )}
              {page && onOffsetChange && <Pager {...page(data)} onOffsetChange={onOffsetChange} label={`Pages of ${noun}`} />}
            </>
          )}
        </>
      )}
    </>
  );
}
