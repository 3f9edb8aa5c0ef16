import { z } from 'zod';
import { AgeingAmountsSchema } from '@salesfleet/contracts';
import type { Account, Expense, JournalEntryView, TaxRate } from '@salesfleet/models';

const iso = (d: Date | string) => new Date(d).toISOString();

export const AccountSchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    type: z.enum(['asset', 'liability', 'equity', 'income', 'expense']),
    isActive: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Account' });

export function accountJson(a: Account): z.infer<typeof AccountSchema> {
  return {
    id: a.id,
    code: a.code,
    name: a.name,
    type: a.type,
    isActive: Boolean(a.isActive),
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
  };
}

export const JournalEntrySchema = z
  .object({
    id: z.number().int(),
    entryDate: z.string(),
    memo: z.string().nullable(),
    sourceType: z.string().nullable().describe('invoice, payment, expense, void, manual'),
    sourceId: z.number().int().nullable(),
    postedBy: z.number().int().nullable(),
    createdAt: z.string(),
    total: z.number().int().describe('sum of the debits (= sum of the credits), cents'),
    lines: z.array(
      z.object({
        id: z.number().int(),
        accountId: z.number().int(),
        accountCode: z.string(),
        accountName: z.string(),
        debit: z.number().int(),
        credit: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'JournalEntry' });

export function journalEntryJson(e: JournalEntryView): z.infer<typeof JournalEntrySchema> {
  return { ...e, createdAt: iso(e.createdAt) };
}

export const ExpenseSchema = z
  .object({
    id: z.number().int(),
    expenseDate: z.string(),
    accountId: z.number().int(),
    amount: z.number().int(),
    vendor: z.string().nullable(),
    description: z.string().nullable(),
    locationId: z.number().int().nullable(),
    paidFromAccountId: z.number().int(),
    journalEntryId: z.number().int().nullable(),
    createdBy: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Expense' });

export function expenseJson(e: Expense): z.infer<typeof ExpenseSchema> {
  return {
    id: e.id,
    expenseDate: String(e.expenseDate).slice(0, 10),
    accountId: e.accountId as number,
    amount: e.amount,
    vendor: e.vendor ?? null,
    description: e.description ?? null,
    locationId: (e.locationId as number | null | undefined) ?? null,
    paidFromAccountId: e.paidFromAccountId as number,
    journalEntryId: (e.journalEntryId as number | null | undefined) ?? null,
    createdBy: e.createdBy as number,
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
  };
}

export const TaxRateSchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    rateBp: z.number().int().describe('basis points: 2000 = 20 %'),
    isInclusive: z.boolean().describe('prices with this rate include the tax'),
    isActive: z.boolean(),
  })
  .meta({ id: 'TaxRate' });

export function taxRateJson(r: TaxRate): z.infer<typeof TaxRateSchema> {
  return { id: r.id, code: r.code, name: r.name, rateBp: r.rateBp, isInclusive: Boolean(r.isInclusive), isActive: Boolean(r.isActive) };
}

const Range = { from: z.string().nullable(), to: z.string().nullable() };

export const TrialBalanceSchema = z
  .object({
    ...Range,
    accounts: z.array(
      z.object({
        accountId: z.number().int(),
        code: z.string(),
        name: z.string(),
        type: z.string(),
        debit: z.number().int(),
        credit: z.number().int(),
        balance: z.number().int().describe('debit − credit'),
      }),
    ),
    totals: z.object({ debit: z.number().int(), credit: z.number().int() }),
    balanced: z.boolean(),
  })
  .meta({ id: 'TrialBalance' });

const PlRow = z.object({ accountId: z.number().int(), code: z.string(), name: z.string(), amount: z.number().int() });
export const ProfitAndLossSchema = z
  .object({
    ...Range,
    income: z.array(PlRow),
    expenses: z.array(PlRow),
    totals: z.object({ income: z.number().int(), expenses: z.number().int(), netProfit: z.number().int() }),
  })
  .meta({ id: 'ProfitAndLoss' });

const Figures = { invoices: z.number().int(), subtotal: z.number().int(), tax: z.number().int(), total: z.number().int() };
export const SalesByDaySchema = z
  .object({ ...Range, days: z.array(z.object({ date: z.string(), ...Figures })) })
  .meta({ id: 'SalesByDay' });
export const SalesByLocationSchema = z
  .object({ ...Range, locations: z.array(z.object({ locationId: z.number().int(), code: z.string(), name: z.string(), ...Figures })) })
  .meta({ id: 'SalesByLocation' });

const SheetRow = z.object({ accountId: z.number().int(), code: z.string(), name: z.string(), balance: z.number().int() });
export const BalanceSheetSchema = z
  .object({
    asOf: z.string(),
    fiscalYearStart: z.string(),
    assets: z.array(SheetRow),
    liabilities: z.array(SheetRow),
    equity: z.array(SheetRow),
    retainedEarnings: z.number().int().describe('income − expenses before the current fiscal year'),
    currentYearEarnings: z.number().int().describe('income − expenses from the fiscal year start through asOf'),
    totals: z.object({
      assets: z.number().int(),
      liabilities: z.number().int(),
      equity: z.number().int(),
      liabilitiesAndEquity: z.number().int(),
    }),
    balanced: z.boolean().describe('assets = liabilities + equity (earnings included)'),
  })
  .meta({ id: 'BalanceSheet' });

export const GeneralLedgerSchema = z
  .object({
    account: z.object({ id: z.number().int(), code: z.string(), name: z.string(), type: z.string() }),
    from: z.string().nullable(),
    to: z.string().nullable(),
    openingBalance: z.number().int().describe('debit − credit before from'),
    closingBalance: z.number().int().describe('debit − credit through to'),
    lines: z.array(
      z.object({
        entryId: z.number().int(),
        lineId: z.number().int(),
        date: z.string(),
        memo: z.string().nullable(),
        sourceType: z.string().nullable(),
        sourceId: z.number().int().nullable(),
        debit: z.number().int(),
        credit: z.number().int(),
        balance: z.number().int().describe('running debit − credit through this line'),
      }),
    ),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .meta({ id: 'GeneralLedger' });

const Ageing = AgeingAmountsSchema.shape;
export const ReceivablesAgeingSchema = z
  .object({
    asOf: z.string(),
    customers: z.array(z.object({ customerId: z.number().int().nullable(), name: z.string(), invoices: z.number().int(), ...Ageing })),
    totals: z.object(Ageing),
  })
  .meta({ id: 'ReceivablesAgeing' });

export const TaxReportSchema = z
  .object({
    ...Range,
    rates: z.array(z.object({ rateBp: z.number().int(), taxable: z.number().int(), tax: z.number().int() })),
    totals: z.object({ taxable: z.number().int(), tax: z.number().int() }),
  })
  .meta({ id: 'TaxReport' });
