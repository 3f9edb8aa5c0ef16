import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { QuoteJson } from '@salesfleet/contracts';
import { describe, expect, it } from 'vitest';
import { CASHIER, fakeApi, me, product, renderApp, session } from '../test/render';
import { quoteState } from './quotes';

const MANAGER = [...CASHIER, 'sales.view_quote', 'sales.add_quote', 'sales.change_quote', 'sales.give_discount'];
const coffee = product({ id: 1, sku: 'COFFEE-250', name: 'Coffee beans', unitPrice: 1290 });
const gift = product({ id: 2, sku: 'GIFT', name: 'Gift card', unitPrice: 2500, taxRateId: null });

const quote: QuoteJson = {
  id: 5,
  number: 'QT-000005',
  status: 'open',
  locationId: 1,
  customerId: null,
  issueDate: '2026-03-10',
  validUntil: '2026-04-09',
  discountBp: null,
  discountAmount: 500,
  discountTotal: 758,
  subtotal: 4322,
  tax: 416,
  total: 4738,
  notes: null,
  invoiceId: null,
  createdBy: 2,
  createdAt: '2026-03-10T10:00:00Z',
  updatedAt: '2026-03-10T10:00:00Z',
  lines: [
    {
      id: 1,
      productId: 1,
      description: 'Coffee beans',
      quantity: 2,
      unitPrice: 1290,
      taxRateBp: 2000,
      taxInclusive: false,
      discountBp: 1000,
      discountAmount: 258,
      invoiceDiscount: 241,
      lineSubtotal: 2081,
      lineTax: 416,
      lineTotal: 2497,
    },
    {
      id: 2,
      productId: 2,
      description: 'Gift card',
      quantity: 1,
      unitPrice: 2500,
      taxRateBp: 0,
      taxInclusive: false,
      discountBp: null,
      discountAmount: 0,
      invoiceDiscount: 259,
      lineSubtotal: 2241,
      lineTax: 0,
      lineTotal: 2241,
    },
  ],
};

function quotes(permissions: string[], extra: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    'GET /session': session(me(permissions, {}, ['Managers'])),
    'GET /locations': { body: { locations: [{ id: 1, code: 'MAIN', name: 'Main store', address: null, isActive: true }] } },
    'GET /products': { body: { products: [coffee, gift], total: 2, limit: 500, offset: 0 } },
    'GET /quotes': { body: { quotes: [quote], total: 1, limit: 25, offset: 0 } },
    'GET /quotes/5': { body: { quote } },
    ...extra,
  });
}

describe('quotes', () => {
  it('says a quote past its valid-until day is expired', () => {
    expect(quoteState({ status: 'open', validUntil: '2026-03-09' }, '2026-03-10')).toBe('expired');
    expect(quoteState({ status: 'open', validUntil: '2026-03-10' }, '2026-03-10')).toBe('open');
    expect(quoteState({ status: 'converted', validUntil: '2026-03-01' }, '2026-03-10')).toBe('converted');
  });

  it('creates a quote with a line discount and one on the whole quote, previewed as the API prices it', async () => {
    const api = quotes(MANAGER, { 'POST /quotes': { status: 201, body: { quote } } });
    const user = userEvent.setup();
    renderApp('/quotes/new');
    const form = await screen.findByRole('form', { name: 'New quote' });
    await user.selectOptions(within(form).getByLabelText('Product of line 1'), '1');
    await user.clear(within(form).getByLabelText('Quantity of line 1'));
    await user.type(within(form).getByLabelText('Quantity of line 1'), '2');
    await user.type(within(form).getByLabelText('Discount of line 1'), '10%');
    await user.click(within(form).getByRole('button', { name: 'Add line' }));
    await user.selectOptions(within(form).getByLabelText('Product of line 2'), '2');
    await user.type(within(form).getByLabelText(/Discount on the whole quote/), '5.00');
    const totals = within(form).getByLabelText('Totals');
    expect(totals.textContent).toContain('€47.38');
    expect(totals.textContent).toContain('−€7.58');
    await user.click(within(form).getByRole('button', { name: 'Save quote' }));
    await waitFor(() => expect(api.calls('POST', '/quotes')).toHaveLength(1));
    expect(api.calls('POST', '/quotes')[0]!.body).toEqual({
      locationId: 1,
      customerId: null,
      notes: null,
      issueDate: '2026-03-10',
      lines: [
        { productId: 1, quantity: 2, discountBp: 1000 },
        { productId: 2, quantity: 1 },
      ],
      discountAmount: 500,
    });
    expect(await screen.findByRole('heading', { name: /Quote QT-000005/ })).toBeTruthy();
  });

  it('converts an open quote into an invoice and opens it', async () => {
    const api = quotes(MANAGER, {
      'POST /quotes/5/convert': { status: 201, body: { invoice: { id: 77 }, change: 0 } },
      'GET /invoices/77': { status: 404, body: { error: { code: 'NotFound', message: 'x', requestId: 'r' } } },
    });
    const user = userEvent.setup();
    const { router } = renderApp('/quotes/5');
    expect((await screen.findByRole('heading', { name: /Quote QT-000005/ })).textContent).toContain('Open');
    expect(screen.getByRole('table', { name: 'Quote lines' }).textContent).toContain('−€4.99');
    await user.click(screen.getByRole('button', { name: 'Convert to invoice' }));
    await waitFor(() => expect(api.calls('POST', '/quotes/5/convert')).toHaveLength(1));
    await waitFor(() => expect(router.state.location.pathname).toBe('/invoices/77'));
  });

  it('offers no conversion, no new quote and no discount without the permissions', async () => {
    quotes([...CASHIER, 'sales.view_quote']);
    renderApp('/quotes/5');
    await screen.findByRole('heading', { name: /Quote QT-000005/ });
    expect(screen.queryByRole('button', { name: 'Convert to invoice' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Mark expired' })).toBeNull();
  });

  it('keeps the invoice editor free of discount fields for a user without sales.give_discount', async () => {
    quotes(CASHIER);
    renderApp('/invoices/new');
    await screen.findByRole('form', { name: 'New invoice' });
    expect(screen.queryByLabelText('Discount of line 1')).toBeNull();
    expect(screen.queryByLabelText(/Discount on the whole invoice/)).toBeNull();
  });

  it('hides the screen from a user without sales.view_quote', async () => {
    const api = quotes(CASHIER);
    renderApp('/quotes');
    expect(await screen.findByText('Not available to you')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Quotes' })).toBeNull();
    expect(api.calls('GET', '/quotes')).toHaveLength(0);
  });
});
