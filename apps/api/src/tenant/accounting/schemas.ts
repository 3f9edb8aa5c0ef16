import { z } from 'zod';
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
    isActive: z.boolean(),
  })
  .meta({ id: 'TaxRate' });

export function taxRateJson(r: TaxRate): z.infer<typeof TaxRateSchema> {
  return { id: r.id, code: r.code, name: r.name, rateBp: r.rateBp, isActive: Boolean(r.isActive) };
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
