import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CASHIER, fakeApi, invoice, me, renderApp, session, workspace } from '../test/render';

const LOCATIONS = [
  { id: 1, code: 'MAIN', name: 'Main store', address: null, isActive: true },
  { id: 2, code: 'NORTH', name: 'North shop', address: null, isActive: true },
];

afterEach(() => vi.unstubAllGlobals());

describe('invoices list (ListFrame)', () => {
  it('filters on the server, pages by the answer, and exports every page as CSV', async () => {
    const rows = [
      invoice({ id: 7, number: 'INV-000007', status: 'paid', total: 3876, amountDue: 0, locationId: 2 }),
      invoice({ id: 6, number: 'INV-000006', status: 'issued', total: 1548, amountDue: 1548, locationId: 1 }),
    ];
    const csv: string[] = [];
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => undefined }));
    vi.stubGlobal(
      'Blob',
      class {
        constructor(parts: string[]) {
          csv.push(parts.join(''));
        }
      },
    );
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const api = fakeApi({
      'GET /session': session(me(CASHIER), workspace({ multiLocation: true })),
      'GET /locations': { body: { locations: LOCATIONS } },
      'GET /invoices': (req) => {
        const limit = Number(req.query.get('limit'));
        const offset = Number(req.query.get('offset') ?? 0);
        const shown = req.query.get('locationId') === '2' ? rows.slice(0, 1) : rows;
        return { body: { invoices: shown.slice(offset, offset + limit), total: shown.length === 1 ? 1 : 60, limit, offset } };
      },
    });
    const user = userEvent.setup();
    renderApp('/invoices');
    const table = await screen.findByRole('table', { name: 'Invoices' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByText('North shop')).toBeTruthy();
    // The API's total says there are more pages.
    expect(screen.getByRole('navigation', { name: 'Pages of invoices' }).textContent).toContain('1–25 of 60');

    const filters = screen.getByRole('search', { name: 'Filter invoices' });
    await user.selectOptions(within(filters).getByLabelText('Location'), '2');
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Invoices' })).getAllByRole('row')).toHaveLength(2));
    expect(api.calls('GET', '/invoices').at(-1)!.query.get('locationId')).toBe('2');

    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(csv).toHaveLength(1));
    // Every page of the filtered list (limit 500), amounts as decimal text.
    const exportCall = api.calls('GET', '/invoices').find((r) => r.query.get('limit') === '500')!;
    expect(exportCall.query.get('locationId')).toBe('2');
    expect(csv[0]).toContain('Number,Date,Status,Location,Total,Due');
    expect(csv[0]).toContain('INV-000007,');
    expect(csv[0]).toContain(',paid,North shop,38.76,0.00');
  });
});
