import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { creditPreview } from '../components/credit-note-form';
import { invoiceStatusLabel } from '../components/status-badge';
import { CASHIER, fakeApi, invoice, invoiceLine, me, renderApp, session } from '../test/render';

const paid = invoice({
  subtotal: 3000,
  tax: 600,
  total: 3600,
  amountPaid: 3600,
  lines: [
    invoiceLine({
      id: 1,
      productId: 1,
      description: 'Mug',
      quantity: 3,
      unitPrice: 1000,
      taxRateBp: 2000,
      lineSubtotal: 3000,
      lineTax: 600,
      lineTotal: 3600,
    }),
  ],
});

function detail(permissions: string[]) {
  const notes: unknown[] = [];
  return fakeApi({
    'GET /credit-notes': () => ({ body: { creditNotes: notes, total: notes.length, limit: 50, offset: 0 } }),
    'GET /session': session(me(permissions, {}, ['Managers'])),
    'GET /locations': { body: { locations: [{ id: 1, code: 'MAIN', name: 'Main store', address: null, isActive: true }] } },
    // After a credit note the API says what it took back (creditStatus), beside the paid status.
    'GET /invoices/41': () => ({
      body: { invoice: notes.length ? { ...paid, creditedTotal: 1200, creditStatus: 'partial' } : { ...paid, creditStatus: 'none' } },
    }),
    'POST /invoices/41/credit-notes': () => {
      notes.push(note);
      return { status: 201, body: { creditNote: note } };
    },
  });
}

const note = {
  id: 5,
  number: 'CN-000005',
  invoiceId: 41,
  issueDate: '2026-03-10',
  subtotal: 1000,
  tax: 200,
  total: 1200,
  applied: 0,
  refunded: 1200,
  refundMethod: 'card',
  reason: 'Chipped',
};

describe('credit notes from an invoice', () => {
  it('previews the credit in proportion of the units, the last units taking what is left', () => {
    const line = { ...paid.lines[0]!, lineTotal: 1000, quantity: 3 };
    const inv = { ...paid, lines: [line] };
    expect(creditPreview(inv, { 1: 1000 })).toBe(333);
    expect(creditPreview(inv, { 1: 3000 })).toBe(1000);
    expect(creditPreview(inv, {})).toBe(0);
  });

  it('credits one unit of a paid invoice, written off, refunded by card', async () => {
    const api = detail([...CASHIER, 'sales.add_credit_note', 'sales.view_credit_note']);
    const user = userEvent.setup();
    renderApp('/invoices/41');
    expect((await screen.findByRole('heading', { name: /Invoice INV-000041/ })).textContent).toContain('Paid');
    await user.click(await screen.findByRole('button', { name: 'Credit / refund…' }));
    const mugs = screen.getByLabelText('Mug (of 3)');
    await user.type(mugs, '4');
    expect(screen.getByText('At most 3')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create credit note' })).toHaveProperty('disabled', true);
    await user.clear(mugs);
    await user.type(mugs, '1');
    // Paid in full: the whole credit goes back in money, so the form asks how.
    expect(screen.getByText(/Credit of about €12.00, of which €12.00 is paid back/)).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Refund by'), 'card');
    await user.click(screen.getByLabelText('Put the goods back into stock'));
    await user.type(screen.getByLabelText(/Reason/), 'Chipped');
    await user.click(screen.getByRole('button', { name: 'Create credit note' }));
    expect(await screen.findByText(/Credit note CN-000005 for €12.00: €12.00 to pay back by card/)).toBeTruthy();
    // A paid invoice's credit is all refunded (nothing applied): its note is listed all the same, and no void is offered.
    expect(await screen.findByRole('table', { name: 'Credit notes' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Void…' })).toBeNull();
    // Still paid, and no longer all of it stands: the badge says both.
    await waitFor(() => expect(screen.getByRole('heading', { name: /Invoice INV-000041/ }).textContent).toContain('Paid · part credited'));
    expect(api.calls('POST', '/invoices/41/credit-notes')[0]!.body).toEqual({
      lines: [{ invoiceLineId: 1, quantity: '1' }],
      restock: false,
      reason: 'Chipped',
      refundMethod: 'card',
    });
  });

  it('offers no credit to a cashier (the API would answer 403)', async () => {
    detail(CASHIER);
    renderApp('/invoices/41');
    await screen.findByRole('button', { name: 'Print' });
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Credit / refund…' })).toBeNull());
  });
});

describe('the invoice status badge', () => {
  it('says what is true: part paid, part credited, credited in full never "Paid"', () => {
    expect(invoiceStatusLabel({ status: 'paid', amountPaid: 3600, creditStatus: 'none' }).label).toBe('Paid');
    expect(invoiceStatusLabel({ status: 'paid', amountPaid: 3600, creditStatus: 'partial' }).label).toBe('Paid · part credited');
    expect(invoiceStatusLabel({ status: 'paid', amountPaid: 0, creditStatus: 'full' }).label).toBe('Credited');
    expect(invoiceStatusLabel({ status: 'issued', amountPaid: 100, creditStatus: 'none' }).label).toBe('Part paid');
    expect(invoiceStatusLabel({ status: 'issued', amountPaid: 0, creditStatus: 'partial' }).label).toBe('Unpaid · part credited');
    expect(invoiceStatusLabel({ status: 'void', amountPaid: 0, creditStatus: 'none' }).label).toBe('Void');
  });
});
