import { z } from 'zod';
import { date, dateRange, idQuery, pageQuery, reportAmountSchema } from './common';

const amount = reportAmountSchema;

/** The accounting and sales reports of the tenant API (`/api/reports/…`): each answers `{ report }`. */

/** Cents owed, by age of the document at the report's day (days since its date). */
export const AgeingAmountsSchema = z.object({
  '0-30': amount,
  '31-60': amount,
  '61-90': amount,
  '90+': amount,
  total: amount,
});
export type AgeingAmountsJson = z.infer<typeof AgeingAmountsSchema>;

/** What the shop owes its suppliers at the end of a day, per supplier and by age of the bill. */
export const PayablesAgeingSchema = z
  .object({
    asOf: z.string().describe('YYYY-MM-DD, the end of this day in the tenant time zone'),
    suppliers: z.array(
      AgeingAmountsSchema.extend({
        supplierId: z.number().int(),
        name: z.string(),
        bills: z.number().int().describe('bills with something still owed'),
      }),
    ),
    totals: AgeingAmountsSchema,
  })
  .meta({ id: 'PayablesAgeing' });
export type PayablesAgeingJson = z.infer<typeof PayablesAgeingSchema>;

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
        debit: amount,
        credit: amount,
        balance: amount.describe('debit − credit'),
      }),
    ),
    totals: z.object({ debit: amount, credit: amount }),
    balanced: z.boolean(),
  })
  .meta({ id: 'TrialBalance' });
export type TrialBalanceJson = z.infer<typeof TrialBalanceSchema>;

const PlRow = z.object({ accountId: z.number().int(), code: z.string(), name: z.string(), amount });
export const ProfitAndLossSchema = z
  .object({
    ...Range,
    income: z.array(PlRow),
    expenses: z.array(PlRow),
    totals: z.object({ income: amount, expenses: amount, netProfit: amount }),
  })
  .meta({ id: 'ProfitAndLoss' });
export type ProfitAndLossJson = z.infer<typeof ProfitAndLossSchema>;

const Figures = { invoices: z.number().int(), subtotal: amount, tax: amount, total: amount };
export const SalesByDaySchema = z
  .object({ ...Range, days: z.array(z.object({ date: z.string(), ...Figures })) })
  .meta({ id: 'SalesByDay' });
export type SalesByDayJson = z.infer<typeof SalesByDaySchema>;
export const SalesByLocationSchema = z
  .object({ ...Range, locations: z.array(z.object({ locationId: z.number().int(), code: z.string(), name: z.string(), ...Figures })) })
  .meta({ id: 'SalesByLocation' });
export type SalesByLocationJson = z.infer<typeof SalesByLocationSchema>;

const SheetRow = z.object({ accountId: z.number().int(), code: z.string(), name: z.string(), balance: amount });
export const BalanceSheetSchema = z
  .object({
    asOf: z.string(),
    fiscalYearStart: z.string(),
    assets: z.array(SheetRow),
    liabilities: z.array(SheetRow),
    equity: z.array(SheetRow),
    retainedEarnings: amount.describe('income − expenses before the current fiscal year'),
    currentYearEarnings: amount.describe('income − expenses from the fiscal year start through asOf'),
    totals: z.object({
      assets: amount,
      liabilities: amount,
      equity: amount,
      liabilitiesAndEquity: amount,
    }),
    balanced: z.boolean().describe('assets = liabilities + equity (earnings included)'),
  })
  .meta({ id: 'BalanceSheet' });
export type BalanceSheetJson = z.infer<typeof BalanceSheetSchema>;

export const GeneralLedgerSchema = z
  .object({
    account: z.object({ id: z.number().int(), code: z.string(), name: z.string(), type: z.string() }),
    from: z.string().nullable(),
    to: z.string().nullable(),
    openingBalance: amount.describe('debit − credit before from'),
    closingBalance: amount.describe('debit − credit through to'),
    lines: z.array(
      z.object({
        entryId: z.number().int(),
        lineId: z.number().int(),
        date: z.string(),
        memo: z.string().nullable(),
        sourceType: z.string().nullable(),
        sourceId: z.number().int().nullable(),
        debit: amount,
        credit: amount,
        balance: amount.describe('running debit − credit through this line'),
      }),
    ),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .meta({ id: 'GeneralLedger' });
export type GeneralLedgerJson = z.infer<typeof GeneralLedgerSchema>;

const Ageing = AgeingAmountsSchema.shape;
export const ReceivablesAgeingSchema = z
  .object({
    asOf: z.string(),
    customers: z.array(z.object({ customerId: z.number().int().nullable(), name: z.string(), invoices: z.number().int(), ...Ageing })),
    totals: z.object(Ageing),
  })
  .meta({ id: 'ReceivablesAgeing' });
export type ReceivablesAgeingJson = z.infer<typeof ReceivablesAgeingSchema>;

const TaxRow = z.object({
  rateBp: z.number().int(),
  taxable: amount.describe('net amount taxed at this rate, cents'),
  tax: amount,
});
const TaxTotals = z.object({ taxable: amount, tax: amount });

export const TaxReportSchema = z
  .object({
    ...Range,
    rates: z.array(TaxRow).describe('output tax per rate: sales less credit notes'),
    totals: TaxTotals.describe('output tax'),
    inputRates: z.array(TaxRow).describe('input tax per rate: supplier bills (void ones excluded)'),
    inputTotals: TaxTotals.describe('input tax'),
    netPayable: amount.describe('output tax − input tax, cents (negative: to be reclaimed)'),
  })
  .meta({ id: 'TaxReport' });
export type TaxReportJson = z.infer<typeof TaxReportSchema>;

/** `?from=&to=`: trial balance, profit and loss, sales per location, tax. */
export const ReportQuerySchema = dateRange({});
export const SalesByDayQuerySchema = dateRange({ locationId: idQuery.optional() });
export const AsOfQuerySchema = z.object({ asOf: date.optional() });
export const GeneralLedgerQuerySchema = dateRange({ accountId: idQuery, ...pageQuery });

export const TrialBalanceResultSchema = z.object({ report: TrialBalanceSchema });
export const ProfitAndLossResultSchema = z.object({ report: ProfitAndLossSchema });
export const SalesByDayResultSchema = z.object({ report: SalesByDaySchema });
export const SalesByLocationResultSchema = z.object({ report: SalesByLocationSchema });
export const BalanceSheetResultSchema = z.object({ report: BalanceSheetSchema });
export const GeneralLedgerResultSchema = z.object({ report: GeneralLedgerSchema });
export const ReceivablesAgeingResultSchema = z.object({ report: ReceivablesAgeingSchema });
export const PayablesAgeingResultSchema = z.object({ report: PayablesAgeingSchema });
export const TaxReportResultSchema = z.object({ report: TaxReportSchema });
