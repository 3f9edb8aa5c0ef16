import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { GeneralLedger, JournalEntry } from '../api/types';
import { fakeApi, me, renderApp, session } from '../test/render';
import { entryBalance, journalCsv } from './accounts';

const ACCOUNTANT = ['accounting.view_account', 'accounting.view_journal_entry', 'accounting.add_journal_entry', 'accounting.view_reports'];
const accounts = [
  { id: 1, code: '1000', name: 'Cash', type: 'asset', isActive: true },
  { id: 2, code: '1100', name: 'Bank', type: 'asset', isActive: true },
];
const entry: JournalEntry = {
  id: 9,
  entryDate: '2026-03-09',
  memo: 'Float to the bank',
  sourceType: 'manual',
  sourceId: null,
  postedBy: 1,
  createdAt: '2026-03-09T10:00:00Z',
  total: 5000,
  reversedBy: null,
  lines: [
    { id: 1, accountId: 2, accountCode: '1100', accountName: 'Bank', debit: 5000, credit: 0 },
    { id: 2, accountId: 1, accountCode: '1000', accountName: 'Cash', debit: 0, credit: 5000 },
  ],
};

function books(permissions: string[], extra: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    'GET /session': session(me(permissions, {}, ['Admin'])),
    'GET /accounts': { body: { accounts } },
    'GET /journal-entries': { body: { entries: [entry], total: 1, limit: 20, offset: 0 } },
    ...extra,
  });
}

describe('manual journal entries', () => {
  it('balances lines before posting', () => {
    expect(entryBalance([{ accountId: '1', debit: 500, credit: 0 }]).problem).toBe('At least two lines with an account and an amount');
    expect(
      entryBalance([
        { accountId: '1', debit: 500, credit: 0 },
        { accountId: '2', debit: 0, credit: 400 },
      ]).problem,
    ).toBe('Debits must equal credits');
    expect(entryBalance([{ accountId: '1', debit: 5, credit: 5 }]).problem).toBe('A line has a debit or a credit, not both');
    expect(
      entryBalance([
        { accountId: '1', debit: 500, credit: 0 },
        { accountId: '2', debit: 0, credit: 500 },
      ]),
    ).toEqual({ debit: 500, credit: 500, problem: null });
  });

  it('posts a balanced entry and reverses another on a chosen day', async () => {
    const api = books(ACCOUNTANT, {
      'POST /journal-entries': { status: 201, body: { entry } },
      'POST /journal-entries/9/reverse': { status: 201, body: { entry: { ...entry, id: 10 } } },
    });
    const user = userEvent.setup();
    renderApp('/accounts?tab=journal');
    await user.click(await screen.findByRole('button', { name: 'New journal entry' }));
    const form = screen.getByRole('form', { name: 'New journal entry' });
    await user.type(within(form).getByLabelText('Memo'), 'Owner puts money in');
    const [one, two] = within(form).getAllByRole('group');
    await user.selectOptions(within(one!).getByLabelText('Account'), '1000 Cash');
    await user.type(within(one!).getByLabelText('Debit'), '100');
    await user.selectOptions(within(two!).getByLabelText('Account'), '1100 Bank');
    await user.type(within(two!).getByLabelText('Credit'), '99');
    expect(within(form).getByText('Debits must equal credits')).toBeTruthy();
    expect(within(form).getByRole('button', { name: 'Post entry' })).toHaveProperty('disabled', true);
    await user.clear(within(two!).getByLabelText('Credit'));
    await user.type(within(two!).getByLabelText('Credit'), '100.00');
    await user.click(within(form).getByRole('button', { name: 'Post entry' }));
    await waitFor(() => expect(api.calls('POST', '/journal-entries')).toHaveLength(1));
    expect(api.calls('POST', '/journal-entries')[0]!.body).toEqual({
      entryDate: '2026-03-10',
      memo: 'Owner puts money in',
      lines: [
        { accountId: 1, debit: 10000 },
        { accountId: 2, credit: 10000 },
      ],
    });
    await user.click(screen.getByRole('button', { name: 'Reverse…' }));
    const date = screen.getByLabelText('Reversal date');
    await user.clear(date);
    await user.type(date, '2026-03-11');
    await user.click(screen.getByRole('button', { name: 'Post reversal' }));
    await waitFor(() => expect(api.calls('POST', '/journal-entries/9/reverse')).toHaveLength(1));
    expect(api.calls('POST', '/journal-entries/9/reverse')[0]!.body).toEqual({ date: '2026-03-11' });
  });

  it('offers no new entry and no reversal to a user who may only read the journal', async () => {
    books(['accounting.view_journal_entry']);
    renderApp('/accounts');
    expect(await screen.findByText(/Float to the bank/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'New journal entry' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reverse…' })).toBeNull();
    expect(screen.queryByRole('tab', { name: 'Ledger' })).toBeNull();
  });
});

describe('the general ledger', () => {
  it('opens an account’s ledger from the chart with its opening and closing balance and running balance', async () => {
    const report: GeneralLedger = {
      account: { id: 1, code: '1000', name: 'Cash', type: 'asset' },
      from: null,
      to: null,
      openingBalance: 0,
      closingBalance: 2500,
      lines: [
        {
          entryId: 3,
          lineId: 30,
          date: '2026-03-02',
          memo: 'Sale',
          sourceType: 'invoice',
          sourceId: 1,
          debit: 4000,
          credit: 0,
          balance: 4000,
        },
        {
          entryId: 4,
          lineId: 40,
          date: '2026-03-03',
          memo: null,
          sourceType: 'expense',
          sourceId: 2,
          debit: 0,
          credit: 1500,
          balance: 2500,
        },
      ],
      total: 2,
      limit: 50,
      offset: 0,
    };
    const api = books(ACCOUNTANT, { 'GET /reports/general-ledger': { body: { report } } });
    const user = userEvent.setup();
    renderApp('/accounts');
    await user.click(await screen.findByRole('button', { name: 'Ledger of 1000 Cash' }));
    const table = await screen.findByRole('table', { name: 'Ledger of 1000 Cash' });
    expect(
      within(table)
        .getAllByRole('row')
        .map((r) => r.textContent),
    ).toEqual(['DateEntryMemoDebitCreditBalance', '2 Mar 2026#3Sale€40.00€40.00', '3 Mar 2026#4expense€15.00€25.00']);
    expect(screen.getByText(/closing balance/).textContent).toContain('€25.00');
    expect(api.calls('GET', '/reports/general-ledger')[0]!.query.get('accountId')).toBe('1');
  });
});

describe('the journal', () => {
  const reversed: JournalEntry = { ...entry, reversedBy: 10 };
  const reversal: JournalEntry = {
    ...entry,
    id: 10,
    memo: 'Reversal of #9',
    sourceType: 'reversal',
    sourceId: 9,
    lines: [
      { id: 3, accountId: 2, accountCode: '1100', accountName: 'Bank', debit: 0, credit: 5000 },
      { id: 4, accountId: 1, accountCode: '1000', accountName: 'Cash', debit: 5000, credit: 0 },
    ],
  };

  it('marks a reversed entry and its reversal, and offers no second reversal of either', async () => {
    books(ACCOUNTANT, { 'GET /journal-entries': { body: { entries: [reversal, reversed], total: 2, limit: 20, offset: 0 } } });
    renderApp('/accounts?tab=journal');
    const original = await screen.findByRole('article', { name: 'Entry #9' });
    expect(within(original).getByText('Reversed by #10')).toBeTruthy();
    expect(within(screen.getByRole('article', { name: 'Entry #10' })).getByText('Reversal of #9')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Reverse…' })).toBeNull();
  });

  it('exports every entry of the period as CSV, one row per line', async () => {
    expect(journalCsv([reversed, reversal], 'EUR').split('\r\n').filter(Boolean)).toEqual([
      'Date,Entry,Memo,Source,Source id,Reversed by,Account code,Account,Debit,Credit',
      '2026-03-09,9,Float to the bank,manual,,10,1100,Bank,50.00,',
      '2026-03-09,9,Float to the bank,manual,,10,1000,Cash,,50.00',
      '2026-03-09,10,Reversal of #9,reversal,9,,1100,Bank,,50.00',
      '2026-03-09,10,Reversal of #9,reversal,9,,1000,Cash,50.00,',
    ]);
    const api = books(ACCOUNTANT);
    const clicked: string[] = [];
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => undefined }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    const user = userEvent.setup();
    renderApp('/accounts?tab=journal');
    await user.click(await screen.findByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(clicked).toEqual(['corner-journal.csv']));
    expect(api.calls('GET', '/journal-entries').some((r) => r.query.get('limit') === '500')).toBe(true);
    click.mockRestore();
  });
});
