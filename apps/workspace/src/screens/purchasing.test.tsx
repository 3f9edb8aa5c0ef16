import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { PurchaseOrder, SupplierBill } from '../api/types';
import { CASHIER, fakeApi, me, product, renderApp, session } from '../test/render';

const MANAGER = [
  'purchasing.view_supplier',
  'purchasing.add_supplier',
  'purchasing.view_purchase_order',
  'purchasing.add_purchase_order',
  'purchasing.change_purchase_order',
  'purchasing.receive_goods',
  'purchasing.view_supplier_bill',
  'purchasing.add_supplier_payment',
  'sales.view_product',
];
const supplier = { id: 7, name: 'Roastery Ltd', email: null, phone: null, taxNumber: null, address: null, isActive: true };
const order = (over: Partial<PurchaseOrder> = {}): PurchaseOrder => ({
  id: 3,
  number: 'PO-000003',
  status: 'ordered',
  supplierId: 7,
  locationId: 1,
  orderDate: '2026-03-09',
  expectedDate: null,
  total: 9000,
  tax: 0,
  notes: null,
  createdBy: 1,
  createdAt: '2026-03-09T10:00:00Z',
  updatedAt: '2026-03-09T10:00:00Z',
  lines: [
    {
      id: 31,
      productId: 1,
      quantity: 10,
      quantityReceived: 0,
      unitCost: 600,
      taxRateBp: 0,
      taxInclusive: false,
      lineTotal: 6000,
      lineTax: 0,
    },
    {
      id: 32,
      productId: 2,
      quantity: 2.5,
      quantityReceived: 0.5,
      unitCost: 1500,
      taxRateBp: 0,
      taxInclusive: false,
      lineTotal: 3750,
      lineTax: 0,
    },
  ],
  ...over,
});

const bill = (over: Partial<SupplierBill> = {}): SupplierBill => ({
  id: 12,
  number: 'BILL-000012',
  supplierReference: null,
  supplierId: 7,
  purchaseOrderId: 3,
  accountId: null,
  status: 'open',
  billDate: '2026-03-10',
  dueDate: null,
  total: 3600,
  tax: 0,
  amountPaid: 0,
  amountDue: 3600,
  description: null,
  createdBy: 1,
  createdAt: '2026-03-10T10:00:00Z',
  payments: [],
  ...over,
});

/** A manager's (or `permissions`') workspace over the fake API (plus `extra` answers), opened at `url`. */
function setup(url: string, permissions: string[] = MANAGER, extra: Parameters<typeof fakeApi>[0] = {}) {
  const api = fakeApi({
    'GET /session': session(me(permissions, {}, ['Managers'])),
    'GET /locations': { body: { locations: [{ id: 1, code: 'MAIN', name: 'Main store', address: null, isActive: true }] } },
    'GET /suppliers': { body: { suppliers: [supplier], total: 1, limit: 200, offset: 0 } },
    'GET /products': {
      body: {
        products: [product({ id: 1, sku: 'BEANS', name: 'Beans' }), product({ id: 2, sku: 'FLOUR', name: 'Flour' })],
        total: 2,
        limit: 500,
        offset: 0,
      },
    },
    ...extra,
  });
  const user = userEvent.setup();
  renderApp(url);
  return { api, user };
}

describe('purchasing', () => {
  it('receives part of an order: only what arrived, as decimal text, and links the bill it opened', async () => {
    const { api, user } = setup('/purchasing/orders/3', MANAGER, {
      'GET /purchase-orders/3': { body: { purchaseOrder: order() } },
      'POST /purchase-orders/3/receipts': {
        status: 201,
        body: {
          purchaseOrder: order({ status: 'partial' }),
          bill: { id: 12, number: 'BILL-000012', total: 3600, amountDue: 3600, status: 'open' },
        },
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Receive goods' }));
    // Everything still due is proposed: 10 beans, 2 of the 2.5 flour (0.5 came already).
    const beans = screen.getByLabelText('BEANS Beans (due 10)');
    expect((beans as HTMLInputElement).value).toBe('10');
    expect((screen.getByLabelText('FLOUR Flour (due 2)') as HTMLInputElement).value).toBe('2');
    await user.clear(beans);
    await user.type(beans, '11');
    expect(screen.getByText('At most 10 is still due')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Receive' })).toHaveProperty('disabled', true);
    await user.clear(beans);
    await user.type(beans, '6');
    await user.clear(screen.getByLabelText('FLOUR Flour (due 2)'));
    await user.type(screen.getByLabelText(/Supplier's invoice number/), 'R-88');
    await user.click(screen.getByRole('button', { name: 'Receive' }));
    expect(await screen.findByText(/Supplier bill BILL-000012/)).toBeTruthy();
    expect(api.calls('POST', '/purchase-orders/3/receipts')[0]!.body).toEqual({
      lines: [{ lineId: 31, quantity: '6' }],
      supplierReference: 'R-88',
    });
    expect(screen.getByRole('link', { name: 'Open the bill' }).getAttribute('href')).toBe('/purchasing/bills/12');
  });

  it('places an order with decimal quantities as decimal text', async () => {
    const { api, user } = setup('/purchasing', MANAGER, {
      'GET /purchase-orders': { body: { purchaseOrders: [], total: 0, limit: 25, offset: 0 } },
      'POST /purchase-orders': { status: 201, body: { purchaseOrder: order() } },
    });
    expect(await screen.findByText('No purchase orders yet')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'New purchase order' }));
    const form = screen.getByRole('form', { name: 'New purchase order' });
    await user.selectOptions(within(form).getByLabelText('Supplier'), 'Roastery Ltd');
    await user.selectOptions(within(form).getByLabelText('Product'), 'FLOUR Flour');
    await user.type(within(form).getByLabelText('Quantity'), '2.25');
    await user.type(within(form).getByLabelText('Unit cost'), '4.40');
    expect(within(form).getByText('€9.90')).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: 'Place order' }));
    await waitFor(() => expect(api.calls('POST', '/purchase-orders')).toHaveLength(1));
    expect(api.calls('POST', '/purchase-orders')[0]!.body).toEqual({
      supplierId: 7,
      locationId: 1,
      lines: [{ productId: 2, quantity: '2.25', unitCost: 440 }],
    });
  });

  it('pays part of a bill and refuses more than is owed before asking the API', async () => {
    const { api, user } = setup('/purchasing/bills/12', MANAGER, {
      'GET /supplier-bills/12': { body: { bill: bill() } },
      'POST /supplier-bills/12/payments': { status: 201, body: { payment: {}, bill: bill() } },
    });
    const amount = await screen.findByLabelText('Amount');
    await user.type(amount, '40');
    expect(screen.getByText('At most €36.00 is owed')).toBeTruthy();
    await user.clear(amount);
    await user.type(amount, '10.50');
    await user.click(screen.getByRole('button', { name: 'Record payment' }));
    await waitFor(() => expect(api.calls('POST', '/supplier-bills/12/payments')).toHaveLength(1));
    expect(api.calls('POST', '/supplier-bills/12/payments')[0]!.body).toEqual({ amount: 1050 });
  });

  it('voids a bill entered by mistake (with purchasing.delete_supplier_bill); the bill then says void', async () => {
    const rent = bill({
      id: 14,
      number: 'BILL-000014',
      supplierReference: 'R-9',
      purchaseOrderId: null,
      accountId: 40,
      total: 50000,
      amountDue: 50000,
      description: 'Rent, typed twice',
    });
    let current = rent;
    const { api, user } = setup('/purchasing/bills/14', [...MANAGER, 'purchasing.delete_supplier_bill'], {
      'GET /supplier-bills/14': () => ({ body: { bill: current } }),
      'POST /supplier-bills/14/void': () => {
        current = { ...rent, status: 'void', amountDue: 0 };
        return { body: { bill: current } };
      },
      'GET /supplier-bills/12': { body: { bill: { ...rent, id: 12, number: 'BILL-000012', purchaseOrderId: 3 } } },
    });
    await user.click(await screen.findByRole('button', { name: 'Void bill…' }));
    const form = screen.getByRole('form', { name: 'Void the bill' });
    await user.type(within(form).getByLabelText(/Reason/), 'Entered twice');
    await user.click(within(form).getByRole('button', { name: 'Void bill' }));
    await waitFor(() => expect(api.calls('POST', '/supplier-bills/14/void')).toHaveLength(1));
    expect(api.calls('POST', '/supplier-bills/14/void')[0]!.body).toEqual({ reason: 'Entered twice' });
    expect(await screen.findByText('Void', { selector: '.badge' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Void bill…' })).toBeNull();
  });

  it('offers no bill void without the permission or on a goods-receipt bill', async () => {
    setup('/purchasing/bills/12', [...MANAGER, 'purchasing.delete_supplier_bill'], {
      'GET /supplier-bills/12': { body: { bill: bill() } },
    });
    expect(await screen.findByText('BILL-000012', { exact: false })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Void bill…' })).toBeNull();
  });

  it('shows a viewer no receiving, no cancelling and no new order; hides the screen from a user without purchasing', async () => {
    setup('/purchasing/orders/3', ['purchasing.view_purchase_order', 'sales.view_product'], {
      'GET /purchase-orders/3': { body: { purchaseOrder: order() } },
    });
    expect(await screen.findByText('PO-000003')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Receive goods' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Cancel order' })).toBeNull();
  });

  it('is not in the navigation of a user whose groups have no purchasing permission', async () => {
    const { api } = setup(
      '/purchasing',
      CASHIER.filter((p) => !p.startsWith('purchasing.')),
    );
    expect(await screen.findByText('Not available to you')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Purchasing' })).toBeNull();
    expect(api.calls('GET', '/purchase-orders')).toHaveLength(0);
  });
});
