import {
  createAccount,
  createExpense,
  deleteAccount,
  getAccount,
  getExpense,
  getJournalEntry,
  listAccounts,
  listExpenses,
  listJournalEntries,
  profitAndLoss,
  salesByDay,
  salesByLocation,
  trialBalance,
  updateAccount,
  balanceSheet,
  createManualEntry,
  createTaxRate,
  deleteTaxRate,
  generalLedger,
  getTaxRate,
  listTaxRates,
  payablesAgeing,
  receivablesAgeing,
  reverseJournalEntry,
  taxReport,
  updateExpense,
  updateTaxRate,
} from '@salesfleet/models';
import type { TenantRouteMount } from '../domain-routes';
import { accountJson, expenseJson, journalEntryJson, taxRateJson } from './json';
import {
  AccountInputSchema,
  AccountListQuerySchema,
  AccountListSchema,
  AccountResultSchema,
  ActiveQuerySchema,
  AsOfQuerySchema,
  BalanceSheetResultSchema,
  ExpenseInputSchema,
  ExpenseListQuerySchema,
  ExpensePageSchema,
  ExpenseResultSchema,
  GeneralLedgerQuerySchema,
  GeneralLedgerResultSchema,
  idParam,
  JournalEntryListQuerySchema,
  JournalEntryPageSchema,
  JournalEntryResultSchema,
  ManualEntryInputSchema,
  PayablesAgeingResultSchema,
  ProfitAndLossResultSchema,
  ReceivablesAgeingResultSchema,
  ReportQuerySchema,
  ReversalInputSchema,
  SalesByDayQuerySchema,
  SalesByDayResultSchema,
  SalesByLocationResultSchema,
  TaxRateInputSchema,
  TaxRateListSchema,
  TaxRateResultSchema,
  TaxReportResultSchema,
  TrialBalanceResultSchema,
} from '@salesfleet/contracts';

/** The accounting area of the tenant API: chart of accounts, expenses, journal, tax rates, reports. */
export const accountingRoutes: TenantRouteMount = (routes) => {
  // ── accounts ──
  routes.add(
    {
      method: 'get',
      path: '/accounts',
      summary: 'The chart of accounts, by code',
      permission: 'accounting.view_account',
      query: AccountListQuerySchema,
      responses: { 200: { description: 'Accounts', schema: AccountListSchema } },
    },
    async (c, { query }) => c.json({ accounts: (await listAccounts(c.var.db, query)).map(accountJson) }),
  );

  routes.add(
    {
      method: 'get',
      path: '/accounts/:id',
      summary: 'One account',
      permission: 'accounting.view_account',
      params: idParam,
      responses: { 200: { description: 'The account', schema: AccountResultSchema }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => c.json({ account: accountJson(await getAccount(c.var.db, params.id)) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/accounts',
      summary: 'Create an account (code unique, ignoring case)',
      permission: 'accounting.add_account',
      body: AccountInputSchema,
      responses: {
        201: { description: 'Created', schema: AccountResultSchema },
        409: { description: 'Conflict: code taken' },
      },
    },
    async (c, { body }) => c.json({ account: accountJson(await createAccount(c.var.db, body)) }, 201),
  );

  routes.add(
    {
      method: 'patch',
      path: '/accounts/:id',
      summary: 'Update an account (the type only while it has no postings; system accounts keep code and type and stay active)',
      permission: 'accounting.change_account',
      params: idParam,
      body: AccountInputSchema.partial(),
      responses: {
        200: { description: 'Updated', schema: AccountResultSchema },
        404: { description: 'NotFound' },
        409: { description: 'Conflict: code taken, account in use, system account' },
      },
    },
    async (c, { params, body }) => c.json({ account: accountJson(await updateAccount(c.var.db, params.id, body)) }),
  );

  routes.add(
    {
      method: 'delete',
      path: '/accounts/:id',
      summary: 'Delete an account without postings (otherwise deactivate it)',
      permission: 'accounting.delete_account',
      params: idParam,
      responses: {
        204: { description: 'Deleted' },
        404: { description: 'NotFound' },
        409: { description: 'Conflict: it has journal lines or expenses (details.reason inUse), or is a system account' },
      },
    },
    async (c, { params }) => {
      await deleteAccount(c.var.db, params.id);
      return c.body(null, 204);
    },
  );

  // ── journal ──
  routes.add(
    {
      method: 'get',
      path: '/journal-entries',
      summary: 'Journal entries with their lines, newest first (by date, source, account)',
      permission: 'accounting.view_journal_entry',
      query: JournalEntryListQuerySchema,
      responses: { 200: { description: 'A page of entries', schema: JournalEntryPageSchema } },
    },
    async (c, { query }) => {
      const page = await listJournalEntries(c.var.db, query);
      return c.json({ entries: page.items.map(journalEntryJson), total: page.total, limit: page.limit, offset: page.offset });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/journal-entries/:id',
      summary: 'One journal entry with its lines',
      permission: 'accounting.view_journal_entry',
      params: idParam,
      responses: { 200: { description: 'The entry', schema: JournalEntryResultSchema }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => c.json({ entry: journalEntryJson(await getJournalEntry(c.var.db, params.id)) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/journal-entries',
      summary: 'Post a manual journal entry (balanced; active accounts; not receivables, payables or inventory, which their documents own)',
      permission: 'accounting.add_journal_entry',
      body: ManualEntryInputSchema,
      responses: {
        201: { description: 'Posted', schema: JournalEntryResultSchema },
        409: { description: 'Conflict: dated in a closed period (details.reason periodClosed)' },
      },
    },
    async (c, { body }) =>
      c.json({ entry: journalEntryJson(await createManualEntry(c.var.db, { ...body, userId: c.var.user.user.id })) }, 201),
  );

  routes.add(
    {
      method: 'post',
      path: '/journal-entries/:id/reverse',
      summary: 'Reverse a manual entry with its mirror image (entries are never deleted)',
      permission: 'accounting.add_journal_entry',
      params: idParam,
      body: ReversalInputSchema,
      responses: {
        201: { description: 'The reversing entry', schema: JournalEntryResultSchema },
        404: { description: 'NotFound' },
        409: { description: 'Conflict: not a manual entry (notManual), already reversed (alreadyReversed), closed period (periodClosed)' },
      },
    },
    async (c, { params, body }) =>
      c.json({ entry: journalEntryJson(await reverseJournalEntry(c.var.db, params.id, { ...body, userId: c.var.user.user.id })) }, 201),
  );

  // ── expenses ──
  routes.add(
    {
      method: 'get',
      path: '/expenses',
      summary: 'Expenses, newest first (by date, account, location)',
      permission: 'accounting.view_expense',
      query: ExpenseListQuerySchema,
      responses: { 200: { description: 'A page of expenses', schema: ExpensePageSchema } },
    },
    async (c, { query }) => {
      const page = await listExpenses(c.var.db, query);
      return c.json({ expenses: page.items.map(expenseJson), total: page.total, limit: page.limit, offset: page.offset });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/expenses/:id',
      summary: 'One expense',
      permission: 'accounting.view_expense',
      params: idParam,
      responses: { 200: { description: 'The expense', schema: ExpenseResultSchema }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => c.json({ expense: expenseJson(await getExpense(c.var.db, params.id)) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/expenses',
      summary: 'Record an expense and post it (debit the expense account, credit the account paid from) in one transaction',
      permission: 'accounting.add_expense',
      body: ExpenseInputSchema,
      responses: { 201: { description: 'Recorded', schema: ExpenseResultSchema } },
    },
    async (c, { body }) => c.json({ expense: expenseJson(await createExpense(c.var.db, { ...body, userId: c.var.user.user.id })) }, 201),
  );

  routes.add(
    {
      method: 'patch',
      path: '/expenses/:id',
      summary: 'Edit an expense and its posting, while its old and new dates are in an open period',
      permission: 'accounting.change_expense',
      params: idParam,
      body: ExpenseInputSchema.partial(),
      responses: {
        200: { description: 'Updated', schema: ExpenseResultSchema },
        404: { description: 'NotFound' },
        409: { description: 'Conflict: its period is closed (details.reason periodClosed)' },
      },
    },
    async (c, { params, body }) => c.json({ expense: expenseJson(await updateExpense(c.var.db, params.id, body)) }),
  );

  // ── tax rates ──
  routes.add(
    {
      method: 'get',
      path: '/tax-rates',
      summary: 'Tax rates (for products), by code',
      permission: 'accounting.view_tax_rate',
      query: ActiveQuerySchema,
      responses: { 200: { description: 'Tax rates', schema: TaxRateListSchema } },
    },
    async (c, { query }) => c.json({ taxRates: (await listTaxRates(c.var.db, query)).map(taxRateJson) }),
  );

  routes.add(
    {
      method: 'get',
      path: '/tax-rates/:id',
      summary: 'One tax rate',
      permission: 'accounting.view_tax_rate',
      params: idParam,
      responses: { 200: { description: 'The rate', schema: TaxRateResultSchema }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => c.json({ taxRate: taxRateJson(await getTaxRate(c.var.db, params.id)) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/tax-rates',
      summary: 'Create a tax rate (code unique, ignoring case)',
      permission: 'accounting.add_tax_rate',
      body: TaxRateInputSchema,
      responses: {
        201: { description: 'Created', schema: TaxRateResultSchema },
        409: { description: 'Conflict: code taken' },
      },
    },
    async (c, { body }) => c.json({ taxRate: taxRateJson(await createTaxRate(c.var.db, body)) }, 201),
  );

  routes.add(
    {
      method: 'patch',
      path: '/tax-rates/:id',
      summary: 'Change a tax rate (issued invoices keep the rate they were issued with)',
      permission: 'accounting.change_tax_rate',
      params: idParam,
      body: TaxRateInputSchema.partial(),
      responses: {
        200: { description: 'Updated', schema: TaxRateResultSchema },
        404: { description: 'NotFound' },
        409: { description: 'Conflict: code taken' },
      },
    },
    async (c, { params, body }) => c.json({ taxRate: taxRateJson(await updateTaxRate(c.var.db, params.id, body)) }),
  );

  routes.add(
    {
      method: 'delete',
      path: '/tax-rates/:id',
      summary: 'Delete a tax rate no product uses (otherwise deactivate it)',
      permission: 'accounting.delete_tax_rate',
      params: idParam,
      responses: {
        204: { description: 'Deleted' },
        404: { description: 'NotFound' },
        409: { description: 'Conflict: in use (details.reason inUse)' },
      },
    },
    async (c, { params }) => {
      await deleteTaxRate(c.var.db, params.id);
      return c.body(null, 204);
    },
  );

  // ── reports ──
  routes.add(
    {
      method: 'get',
      path: '/reports/trial-balance',
      summary: 'Trial balance: debits and credits per account over entries dated in the range (always balances)',
      permission: 'accounting.view_reports',
      query: ReportQuerySchema,
      responses: { 200: { description: 'Trial balance', schema: TrialBalanceResultSchema } },
    },
    async (c, { query }) => c.json({ report: await trialBalance(c.var.db, query) }),
  );

  routes.add(
    {
      method: 'get',
      path: '/reports/profit-and-loss',
      summary: 'Profit and loss: income minus expenses, by account',
      permission: 'accounting.view_reports',
      query: ReportQuerySchema,
      responses: { 200: { description: 'Profit and loss', schema: ProfitAndLossResultSchema } },
    },
    async (c, { query }) => c.json({ report: await profitAndLoss(c.var.db, query) }),
  );

  routes.add(
    {
      method: 'get',
      path: '/reports/sales-by-day',
      summary: 'Sales (issued and paid invoices, not void) per day',
      permission: 'accounting.view_reports',
      query: SalesByDayQuerySchema,
      responses: { 200: { description: 'Sales per day', schema: SalesByDayResultSchema } },
    },
    async (c, { query }) => c.json({ report: { from: query.from ?? null, to: query.to ?? null, days: await salesByDay(c.var.db, query) } }),
  );

  routes.add(
    {
      method: 'get',
      path: '/reports/sales-by-location',
      summary: 'Sales (issued and paid invoices, not void) per location',
      permission: 'accounting.view_reports',
      query: ReportQuerySchema,
      responses: { 200: { description: 'Sales per location', schema: SalesByLocationResultSchema } },
    },
    async (c, { query }) =>
      c.json({ report: { from: query.from ?? null, to: query.to ?? null, locations: await salesByLocation(c.var.db, query) } }),
  );

  routes.add(
    {
      method: 'get',
      path: '/reports/balance-sheet',
      summary: 'Balance sheet at the end of a day (default today in the tenant time zone), earnings split at the fiscal year start',
      permission: 'accounting.view_reports',
      query: AsOfQuerySchema,
      responses: { 200: { description: 'Balance sheet', schema: BalanceSheetResultSchema } },
    },
    async (c, { query }) => c.json({ report: await balanceSheet(c.var.db, query) }),
  );

  routes.add(
    {
      method: 'get',
      path: '/reports/general-ledger',
      summary: "One account's postings in date order with a running balance, paged",
      permission: 'accounting.view_reports',
      query: GeneralLedgerQuerySchema,
      responses: {
        200: { description: 'General ledger', schema: GeneralLedgerResultSchema },
        404: { description: 'NotFound: no such account' },
      },
    },
    async (c, { query }) => c.json({ report: await generalLedger(c.var.db, query) }),
  );

  routes.add(
    {
      method: 'get',
      path: '/reports/receivables-ageing',
      summary: 'What customers owe, by age of the invoice at a day (0–30, 31–60, 61–90, 90+ days)',
      permission: 'accounting.view_reports',
      query: AsOfQuerySchema,
      responses: { 200: { description: 'Receivables ageing', schema: ReceivablesAgeingResultSchema } },
    },
    async (c, { query }) => c.json({ report: await receivablesAgeing(c.var.db, query) }),
  );

  routes.add(
    {
      method: 'get',
      path: '/reports/payables-ageing',
      summary:
        'What the shop owes its suppliers at the end of a day (default today), per supplier and by age of the bill (0–30, 31–60, 61–90, 90+ days)',
      permission: 'accounting.view_reports',
      query: AsOfQuerySchema,
      responses: { 200: { description: 'Payables ageing', schema: PayablesAgeingResultSchema } },
    },
    async (c, { query }) => c.json({ report: await payablesAgeing(c.var.db, query) }),
  );

  routes.add(
    {
      method: 'get',
      path: '/reports/tax',
      summary:
        'Output tax per rate (invoices issued in the range, void ones excluded, less credit notes), input tax per rate (supplier bills dated in the range, void ones excluded) and the net payable',
      permission: 'accounting.view_reports',
      query: ReportQuerySchema,
      responses: { 200: { description: 'Tax report', schema: TaxReportResultSchema } },
    },
    async (c, { query }) => c.json({ report: await taxReport(c.var.db, query) }),
  );
};
