import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { columnsCsv, type Column, ListFrame, type QueryState } from './list-frame';
import { plural } from './plural';

interface Row {
  id: number;
  name: string;
  total: number;
}
const columns: Column<Row>[] = [
  { header: 'Name', cell: (r) => <strong>{r.name}</strong>, csv: (r) => r.name },
  { header: 'Total', cell: (r) => `€${r.total}`, csv: (r) => r.total, num: true },
  { header: 'Actions', cell: () => <button type="button">Open</button> },
];
const state = (over: Partial<QueryState<{ rows: Row[]; total: number }>>): QueryState<{ rows: Row[]; total: number }> => ({
  isPending: false,
  isError: false,
  error: null,
  data: undefined,
  refetch: vi.fn(),
  ...over,
});

describe('ListFrame', () => {
  it('says loading, then the error with a retry, then the empty state, each in the noun of the list', () => {
    const props = { rows: (d: { rows: Row[] }) => d.rows, columns, rowKey: (r: Row) => r.id, noun: 'suppliers' };
    const { rerender } = render(<ListFrame query={state({ isPending: true })} {...props} />);
    expect(screen.getByText('Loading suppliers…')).toBeTruthy();
    const retry = vi.fn();
    rerender(<ListFrame query={state({ isError: true, error: new Error('down'), refetch: retry })} {...props} />);
    expect(screen.getByText('Could not load suppliers')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /retry|try again/i }));
    expect(retry).toHaveBeenCalled();
    rerender(<ListFrame query={state({ data: { rows: [], total: 0 } })} {...props} empty={<p>Add one.</p>} />);
    expect(screen.getByText('No suppliers yet')).toBeTruthy();
    expect(screen.getByText('Add one.')).toBeTruthy();
    rerender(<ListFrame query={state({ data: { rows: [], total: 0 } })} {...props} filtered />);
    expect(screen.getByText('No suppliers match these filters')).toBeTruthy();
  });

  it('shows the rows with right-aligned figures and pages on the server', () => {
    const onOffset = vi.fn();
    const rows = [
      { id: 1, name: 'Acme', total: 5 },
      { id: 2, name: 'Bolt', total: 7 },
    ];
    render(
      <ListFrame
        query={state({ data: { rows, total: 30 } })}
        rows={(d) => d.rows}
        columns={columns}
        rowKey={(r) => r.id}
        noun="suppliers"
        page={(d) => ({ total: d.total, limit: 2, offset: 0 })}
        onOffsetChange={onOffset}
      />,
    );
    const table = screen.getByRole('table', { name: 'suppliers' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByText('€7').className).toBe('num');
    expect(screen.getByText('1–2 of 30')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(onOffset).toHaveBeenCalledWith(2);
  });

  it('exports every row (fetched past the page) with only the exported columns', async () => {
    const clicked: string[] = [];
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => undefined }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    const all = vi.fn(async () => [
      { id: 1, name: 'Acme', total: 5 },
      { id: 2, name: '=cmd', total: 7 },
      { id: 3, name: 'Cog, Ltd', total: 9 },
    ]);
    render(
      <ListFrame
        query={state({ data: { rows: [{ id: 1, name: 'Acme', total: 5 }], total: 3 } })}
        rows={(d) => d.rows}
        columns={columns}
        rowKey={(r) => r.id}
        noun="suppliers"
        csvName="suppliers.csv"
        allRows={all}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await vi.waitFor(() => expect(click).toHaveBeenCalled());
    expect(all).toHaveBeenCalledOnce();
    expect(clicked).toEqual(['suppliers.csv']);
    expect(columnsCsv(columns, await all())).toBe('Name,Total\r\nAcme,5\r\n\'=cmd,7\r\n"Cog, Ltd",9\r\n');
  });

  it('draws rows that are not table rows with renderRows and exports them with its own csv', async () => {
    const texts: string[] = [];
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => undefined }));
    vi.stubGlobal(
      'Blob',
      class {
        constructor(parts: string[]) {
          texts.push(parts.join(''));
        }
      },
    );
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const rows = [
      { id: 1, name: 'Acme', total: 5 },
      { id: 2, name: 'Bolt', total: 7 },
    ];
    render(
      <ListFrame
        query={state({ data: { rows, total: 2 } })}
        rows={(d) => d.rows}
        columns={[{ header: 'Actions', cell: () => null, className: 'nowrap' }]}
        rowKey={(r) => r.id}
        noun="entries"
        csvName="entries.csv"
        csv={(exported) => exported.map((r) => `${r.name};${r.total}`).join('\n')}
        renderRows={(shown) =>
          shown.map((r) => (
            <article key={r.id} aria-label={`Entry ${r.name}`}>
              {r.total}
            </article>
          ))
        }
      />,
    );
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getAllByRole('article').map((a) => a.getAttribute('aria-label'))).toEqual(['Entry Acme', 'Entry Bolt']);
    expect(screen.getByRole('search', { name: 'Filter entries' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await vi.waitFor(() => expect(click).toHaveBeenCalled());
    expect(texts.some((t) => t.includes('Acme;5\nBolt;7'))).toBe(true);
    vi.unstubAllGlobals();
  });

  it('names each row by its row-header column, draws a sortable heading and marks rows and a stale page', () => {
    const onSort = vi.fn();
    const data = {
      rows: [
        { id: 1, name: 'Acme', total: 5 },
        { id: 2, name: 'Bolt', total: 0 },
      ],
      total: 2,
    };
    render(
      <ListFrame
        query={state({ data, isPlaceholderData: true })}
        rows={(d) => d.rows}
        columns={[
          {
            header: 'Name',
            rowHeader: true,
            sort: 'ascending',
            heading: (
              <button type="button" onClick={onSort}>
                Name ▲
              </button>
            ),
            cell: (r) => r.name,
          },
          { header: 'Total', cell: (r) => r.total },
        ]}
        rowKey={(r) => r.id}
        rowClassName={(r) => (r.total === 0 ? 'status-disabled' : undefined)}
        noun="suppliers"
        label="Suppliers"
      />,
    );
    const table = screen.getByRole('table', { name: 'Suppliers' });
    expect(
      within(table)
        .getAllByRole('rowheader')
        .map((th) => th.textContent),
    ).toEqual(['Acme', 'Bolt']);
    expect(within(table).getByRole('row', { name: /Bolt/ }).className).toBe('status-disabled');
    const heading = within(table).getByRole('columnheader', { name: 'Name ▲' });
    expect(heading.getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(within(heading).getByRole('button'));
    expect(onSort).toHaveBeenCalledOnce();
    const region = screen.getByRole('region', { name: 'Suppliers table' });
    expect(region.getAttribute('aria-busy')).toBe('true');
    expect(region.tabIndex).toBe(0);
  });

  it('offers to clear the filters when nothing matches them', () => {
    const clear = vi.fn();
    render(
      <ListFrame
        query={state({ data: { rows: [], total: 0 } })}
        rows={(d) => d.rows}
        columns={columns}
        rowKey={(r) => r.id}
        noun="tenants"
        filtered
        onClearFilters={clear}
      />,
    );
    expect(screen.getByRole('heading', { name: 'No tenants match these filters' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(clear).toHaveBeenCalledOnce();
  });

  it('gives a column its own classes beside num', () => {
    render(
      <ListFrame
        query={state({ data: { rows: [{ id: 1, name: 'Acme', total: 5 }], total: 1 } })}
        rows={(d) => d.rows}
        columns={[
          { header: 'Total', cell: (r) => `€${r.total}`, num: true, className: 'strong' },
          { header: '', cell: () => 'buttons', className: 'nowrap' },
        ]}
        rowKey={(r) => r.id}
        noun="suppliers"
      />,
    );
    expect(screen.getByText('€5').className).toBe('num strong');
    expect(screen.getByText('buttons').className).toBe('nowrap');
  });
});

describe('plural', () => {
  it('picks the form by the locale’s rules', () => {
    expect(plural(1, { one: 'invoice', other: 'invoices' })).toBe('1 invoice');
    expect(plural(0, { one: 'invoice', other: 'invoices' })).toBe('0 invoices');
    expect(plural(1200, { one: 'invoice', other: 'invoices' }, 'en-IE')).toBe('1,200 invoices');
    // Polish has "few" (2–4) and "many" (5+).
    const pl = { one: 'faktura', few: 'faktury', many: 'faktur', other: 'faktury' };
    expect(plural(1, pl, 'pl')).toBe('1 faktura');
    expect(plural(3, pl, 'pl')).toBe('3 faktury');
    expect(plural(5, pl, 'pl')).toBe('5 faktur');
  });
});
