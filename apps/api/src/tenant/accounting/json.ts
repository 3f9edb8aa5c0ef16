import type { AccountJson, ExpenseJson, JournalEntryJson, TaxRateJson } from '@salesfleet/contracts';
import type { Account, Expense, JournalEntryView, TaxRate } from '@salesfleet/models';
import { iso } from '../sales/json';

/** The accounting rows as the API answers them (the shapes are @salesfleet/contracts' schemas). */

export function accountJson(a: Account): AccountJson {
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

export function journalEntryJson(e: JournalEntryView): JournalEntryJson {
  return { ...e, createdAt: iso(e.createdAt) };
}

export function expenseJson(e: Expense): ExpenseJson {
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

export function taxRateJson(r: TaxRate): TaxRateJson {
  return { id: r.id, code: r.code, name: r.name, rateBp: r.rateBp, isInclusive: Boolean(r.isInclusive), isActive: Boolean(r.isActive) };
}
