import { z } from 'zod';
import { CODE_MESSAGE, CODE_PATTERN } from '../rules/codes';
import { MAX_MANUAL_LINES } from '../rules/limits';
import { MAX_BASIS_POINTS } from '../rules/money';
import { ActiveQuerySchema, amount, date, dateRange, id, idQuery, PageFields, pageQuery } from './common';

/** Accounting in the tenant API: the chart of accounts, the journal, expenses, tax rates (reports: reports.ts). */

/** Stored as a short string (not a database ENUM) so one schema serves every dialect. */
export const ACCOUNT_TYPES = ['asset', 'liability', 'equity', 'income', 'expense'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** What produced a journal entry; `sourceId` is that row's id. A string, not a database ENUM. */
export const JOURNAL_SOURCE_TYPES = [
  'invoice',
  'payment',
  'expense',
  'void',
  'manual',
  'reversal',
  'stock_adjustment',
  'purchase_receipt',
  'supplier_bill',
  'supplier_payment',
  'credit_note',
  'supplier_bill_void',
] as const;
export type JournalSourceType = (typeof JOURNAL_SOURCE_TYPES)[number];

export const AccountSchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    type: z.enum(ACCOUNT_TYPES),
    isActive: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Account' });
export type AccountJson = z.infer<typeof AccountSchema>;

export const JournalEntrySchema = z
  .object({
    id: z.number().int(),
    entryDate: z.string(),
    memo: z.string().nullable(),
    sourceType: z.string().nullable().describe('invoice, payment, expense, void, manual, reversal (sourceId: the entry reversed)…'),
    sourceId: z.number().int().nullable(),
    postedBy: z.number().int().nullable(),
    createdAt: z.string(),
    total: z.number().int().describe('sum of the debits (= sum of the credits), cents'),
    reversedBy: z.number().int().nullable().describe('the entry that reversed this one (its sourceType is reversal)'),
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
export type JournalEntryJson = z.infer<typeof JournalEntrySchema>;

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
export type ExpenseJson = z.infer<typeof ExpenseSchema>;

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
export type TaxRateJson = z.infer<typeof TaxRateSchema>;

const code = z.string().trim().min(1, 'required').max(20).regex(CODE_PATTERN, CODE_MESSAGE);

export const AccountInputSchema = z
  .object({
    code,
    name: z.string().trim().min(1, 'required').max(150),
    type: z.enum(ACCOUNT_TYPES),
    isActive: z.boolean().optional(),
  })
  .strict();
export type AccountInput = z.input<typeof AccountInputSchema>;
export const AccountListQuerySchema = z.object({ type: z.enum(ACCOUNT_TYPES).optional(), active: ActiveQuerySchema.shape.active });
export const AccountListSchema = z.object({ accounts: z.array(AccountSchema) });
export const AccountResultSchema = z.object({ account: AccountSchema });

export const ExpenseInputSchema = z
  .object({
    expenseDate: date.optional().describe("default today in the tenant's time zone"),
    accountId: id.describe('an active expense account'),
    amount,
    vendor: z.string().trim().max(200).nullable().optional(),
    description: z.string().trim().max(5000).nullable().optional(),
    locationId: id.nullable().optional(),
    paidFromAccountId: id.optional().describe('an active asset or liability account; default cash (1000)'),
  })
  .strict();
export type ExpenseInput = z.input<typeof ExpenseInputSchema>;
export const ExpenseListQuerySchema = dateRange({ accountId: idQuery.optional(), locationId: idQuery.optional(), ...pageQuery });
export const ExpensePageSchema = z.object({ expenses: z.array(ExpenseSchema), ...PageFields });
export const ExpenseResultSchema = z.object({ expense: ExpenseSchema });

export const TaxRateInputSchema = z
  .object({
    code,
    name: z.string().trim().min(1, 'required').max(100),
    rateBp: z.number().int().min(0).max(MAX_BASIS_POINTS).describe('basis points: 2000 = 20 %'),
    isInclusive: z.boolean().optional().describe('prices include the tax; default false'),
    isActive: z.boolean().optional(),
  })
  .strict();
export type TaxRateInput = z.input<typeof TaxRateInputSchema>;
export const TaxRateListSchema = z.object({ taxRates: z.array(TaxRateSchema) });
export const TaxRateResultSchema = z.object({ taxRate: TaxRateSchema });

export const ManualEntryInputSchema = z
  .object({
    entryDate: date.optional().describe("default today in the tenant's time zone"),
    memo: z.string().trim().min(1, 'required').max(255),
    lines: z
      .array(z.union([z.object({ accountId: id, debit: amount }).strict(), z.object({ accountId: id, credit: amount }).strict()]))
      .min(2)
      .max(MAX_MANUAL_LINES)
      .describe('each line has a debit or a credit; debits must equal credits'),
  })
  .strict();
export type ManualEntryInput = z.input<typeof ManualEntryInputSchema>;
export const ReversalInputSchema = z
  .object({
    date: date.optional().describe("default today in the tenant's time zone"),
    memo: z.string().trim().max(200).nullable().optional(),
  })
  .strict();
export const JournalEntryListQuerySchema = dateRange({
  sourceType: z.enum(JOURNAL_SOURCE_TYPES).optional(),
  sourceId: idQuery.optional(),
  accountId: idQuery.optional(),
  ...pageQuery,
});
export const JournalEntryPageSchema = z.object({ entries: z.array(JournalEntrySchema), ...PageFields });
export const JournalEntryResultSchema = z.object({ entry: JournalEntrySchema });
