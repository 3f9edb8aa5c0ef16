import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CASHIER, type FakeResponse, fakeApi, invoice, invoiceLine, me, payment, product, renderApp, session } from '../test/render';
import { findProducts } from './sell';

const coffee = product({ id: 1, sku: 'COFFEE-250', name: 'Coffee beans', unitPrice: 1290 });
const gift = product({ id: 2, sku: 'GIFT', name: 'Gift card', unitPrice: 2500, taxRateId: null });
const coffeeMug = product({ id: 3, sku: 'MUG-COFFEE', name: 'Coffee mug', unitPrice: 899 });

function till(extra: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    'GET /session': session(me(CASHIER)),
    'GET /locations': {
      body: {
        locations: [
          { id: 1, code: 'MAIN', name: 'Main store', address: null, isActive: true },
          { id: 2, code: 'NORTH', name: 'North shop', address: null, isActive: true },
        ],
      },
    },
    'GET /products': { body: { products: [coffee, gift, coffeeMug], total: 3, limit: 500, offset: 0 } },
    ...extra,
  });
}

describe('opening the till', () => {
  it('asks for the session, the locations and the catalog at once — one round trip, not three in turn', async () => {
    let release = () => {};
    const answered = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held = (answer: FakeResponse) => async () => {
      await answered;
      return answer;
    };
    const api = fakeApi({
      'GET /session': held(session(me(CASHIER))),
      'GET /locations': held({ body: { locations: [{ id: 1, code: 'MAIN', name: 'Main store', address: null, isActive: true }] } }),
      'GET /products': held({ body: { products: [coffee], total: 1, limit: 500, offset: 0 } }),
    });
    renderApp('/sell');
    // No answer has come yet, and all three are asked: none waits for another (nor for the till's code).
    await waitFor(() => expect(api.requests.map((r) => r.path).sort()).toEqual(['/locations', '/products', '/session']));
    expect(screen.queryByLabelText('Find product (name, SKU or scan)')).toBeNull();
    release();
    expect(await screen.findByLabelText('Find product (name, SKU or scan)')).toBeTruthy();
    // The session brought the workspace: nothing more was asked to open the till.
    expect(api.requests.map((r) => r.path).sort()).toEqual(['/locations', '/products', '/session']);
  });
});

describe('findProducts', () => {
  it('puts the exact SKU (a scan) first, then names and SKUs that contain the text', () => {
    expect(findProducts([coffee, gift, coffeeMug], 'coffee-250').exact).toBe(coffee);
    expect(findProducts([coffee, gift, coffeeMug], 'coffee').matches.map((p) => p.sku)).toEqual(['COFFEE-250', 'MUG-COFFEE']);
    expect(findProducts([coffee, gift, coffeeMug], '  ').matches).toEqual([]);
  });
});

describe('the till', () => {
  it('adds scanned codes, counts repeats, shows tax and change, and sells for cash at the chosen location', async () => {
    const api = till({
      'POST /invoices': (req) => {
        const body = req.body as { lines: { productId: number; quantity: number }[] };
        return {
          status: 201,
          body: {
            change: 404,
            invoice: invoice({
              subtotal: 5080,
              tax: 516,
              total: 5596,
              amountPaid: 5596,
              lines: body.lines.map((l, i) =>
                invoiceLine({
                  id: i + 1,
                  productId: l.productId,
                  description: l.productId === 1 ? 'Coffee beans' : 'Gift card',
                  quantity: l.quantity,
                  unitPrice: l.productId === 1 ? 1290 : 2500,
                  taxRateBp: l.productId === 1 ? 2000 : 0,
                }),
              ),
              payments: [payment({ id: 1, invoiceId: 41, amount: 5596, method: 'cash' })],
            }),
          },
        };
      },
    });
    const user = userEvent.setup();
    renderApp('/sell');
    const search = await screen.findByLabelText('Find product (name, SKU or scan)');
    await user.selectOptions(screen.getByLabelText('Location'), 'North shop');
    // A scanner types the code and Enter, twice for two packs.
    await user.type(search, 'COFFEE-250{Enter}');
    await user.type(search, 'COFFEE-250{Enter}');
    await user.type(search, 'gift{Enter}');
    const cart = screen.getByRole('table');
    expect(within(cart).getByLabelText('Quantity of Coffee beans')).toHaveProperty('value', '2');
    // 2 × 12.90 = 25.80 + 20 % = 5.16 tax; gift card 25.00 untaxed.
    expect(screen.getByLabelText('Total to pay').textContent).toBe('€55.96');
    await user.type(screen.getByLabelText('Cash given'), '60');
    expect(screen.getByText('Change due:').textContent).toContain('€4.04');
    fireEvent.keyDown(search, { key: 'Enter', ctrlKey: true });
    expect(await screen.findByRole('heading', { name: 'Sale complete' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('€4.04');
    expect(screen.getByRole('article', { name: 'Receipt INV-000041' })).toBeTruthy();
    expect(api.calls('POST', '/invoices')[0]!.body).toEqual({
      locationId: 2,
      customerId: null,
      lines: [
        { productId: 1, quantity: 2 },
        { productId: 2, quantity: 1 },
      ],
      payments: [{ method: 'cash', amount: 5596, tendered: 6000 }],
    });
  });

  it('says when a code matches nothing, and will not sell on credit without a customer', async () => {
    const api = till();
    const user = userEvent.setup();
    renderApp('/sell');
    const search = await screen.findByLabelText('Find product (name, SKU or scan)');
    await user.type(search, 'NOPE-1{Enter}');
    expect(screen.getByText(/No product matches “NOPE-1”/)).toBeTruthy();
    await user.clear(search);
    await user.type(search, 'GIFT{Enter}');
    await user.click(screen.getByLabelText('On credit'));
    expect(screen.getByText('Choose the customer who buys on credit.')).toBeTruthy();
    expect(screen.getByRole('button', { name: /Complete sale/ })).toHaveProperty('disabled', true);
    await waitFor(() => expect(api.calls('POST', '/invoices')).toHaveLength(0));
  });

  it('splits a payment: card and cash parts in the one sale request, the change as the API answers it', async () => {
    const api = till({
      'POST /invoices': {
        status: 201,
        body: { invoice: invoice({ id: 7, number: 'INV-000007', status: 'paid', total: 2500, amountPaid: 2500 }), change: 500 },
      },
    });
    const user = userEvent.setup();
    renderApp('/sell');
    await user.type(await screen.findByLabelText('Find product (name, SKU or scan)'), 'GIFT{Enter}');
    await user.click(screen.getByLabelText('Card + cash'));
    await user.type(screen.getByLabelText('Card part'), '10');
    await user.type(screen.getByLabelText('Cash given'), '20');
    expect(screen.getByText('Change due:').textContent).toContain('€5.00');
    await user.click(screen.getByRole('button', { name: /Complete sale/ }));
    expect(await screen.findByRole('heading', { name: 'Sale complete' })).toBeTruthy();
    expect(api.calls('POST', '/invoices')).toHaveLength(1);
    expect((api.calls('POST', '/invoices')[0]!.body as { payments: unknown }).payments).toEqual([
      { method: 'card', amount: 1000 },
      { method: 'cash', amount: 1500, tendered: 2000 },
    ]);
    expect(api.calls('POST', '/invoices/7/payments')).toHaveLength(0);
    expect(screen.getByRole('status').textContent).toContain('€5.00');
  });
});

describe('discounts at the till', () => {
  it('lets a user with sales.give_discount take a line discount and one on the sale, sent with the sale', async () => {
    const api = till({
      'GET /session': session(me([...CASHIER, 'sales.give_discount'], {}, ['Managers'])),
      'POST /invoices': { status: 201, body: { invoice: invoice({ total: 4738, amountPaid: 4738 }), change: 0 } },
    });
    const user = userEvent.setup();
    renderApp('/sell');
    const search = await screen.findByLabelText('Find product (name, SKU or scan)');
    await user.type(search, 'COFFEE-250{Enter}');
    await user.type(search, 'COFFEE-250{Enter}');
    await user.type(search, 'GIFT{Enter}');
    await user.type(screen.getByLabelText('Discount on Coffee beans'), '10%');
    await user.type(screen.getByLabelText(/Discount on the sale/), '5');
    // 25.80 − 10 % = 23.22; with the gift card 48.22, less 5.00 shared: 20.81 + 4.16 tax + 22.41.
    expect(screen.getByLabelText('Total to pay').textContent).toBe('€47.38');
    await user.click(screen.getByLabelText('Card'));
    await user.click(screen.getByRole('button', { name: /Complete sale/ }));
    await screen.findByRole('heading', { name: 'Sale complete' });
    expect(api.calls('POST', '/invoices')[0]!.body).toMatchObject({
      lines: [
        { productId: 1, quantity: 2, discountBp: 1000 },
        { productId: 2, quantity: 1 },
      ],
      discountAmount: 500,
      payments: [{ method: 'card', amount: 4738 }],
    });
  });

  it('shows a cashier no discount fields', async () => {
    till();
    const user = userEvent.setup();
    renderApp('/sell');
    await user.type(await screen.findByLabelText('Find product (name, SKU or scan)'), 'GIFT{Enter}');
    expect(screen.queryByLabelText('Discount on Gift card')).toBeNull();
    expect(screen.queryByLabelText(/Discount on the sale/)).toBeNull();
  });
});

describe('the till of a cashier restricted to one location', () => {
  it('offers only that location and sells there', async () => {
    const api = fakeApi({
      'GET /session': session({ ...me(CASHIER), locationIds: [2] }),
      'GET /locations': {
        body: {
          locations: [
            { id: 1, code: 'MAIN', name: 'Main store', address: null, isActive: true },
            { id: 2, code: 'NORTH', name: 'North shop', address: null, isActive: true },
          ],
        },
      },
      'GET /products': { body: { products: [gift], total: 1, limit: 500, offset: 0 } },
      'POST /invoices': { status: 201, body: { invoice: invoice({ locationId: 2, total: 2500, amountPaid: 2500 }), change: 0 } },
    });
    const user = userEvent.setup();
    renderApp('/sell');
    await user.type(await screen.findByLabelText('Find product (name, SKU or scan)'), 'GIFT{Enter}');
    expect(screen.queryByLabelText('Location')).toBeNull();
    expect(screen.getByText('North shop')).toBeTruthy();
    await user.click(screen.getByLabelText('Card'));
    await user.click(screen.getByRole('button', { name: /Complete sale/ }));
    await screen.findByRole('heading', { name: 'Sale complete' });
    expect((api.calls('POST', '/invoices')[0]!.body as { locationId: number }).locationId).toBe(2);
  });
});
