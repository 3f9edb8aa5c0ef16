import type { Transaction } from 'sequelize';
import type { PostingLine } from '../accounting/posting';
import { priceLines, ValidationFailed } from '@salesfleet/contracts';
import type { TenantModels } from '../model-types';
import type { FieldIssue } from '../sales/fields';
import { QUANTITY_SCALE } from '../sales/quantity';

/**
 * Tax on purchases (input tax). The rule, in one place:
 *
 *   Input tax is recognised when the supplier bill is raised, at the rate recorded on the document.
 *
 * A bill for goods is raised by receiving them (purchases.ts), so the receipt's entry carries the
 * input tax of what was received, computed on the received quantity at the rate the order line was
 * ordered at; any other bill (bills.ts) carries it when it is entered. Either way one entry posts
 *
 *   debit Inventory (or the bill's account)   net
 *   debit Input tax recoverable (1300)        tax
 *   credit Accounts payable                   net + tax  (the bill's total)
 *
 * so Inventory = Σ stock × average cost (the valuation takes the net) and Accounts payable = Σ open
 * bills (the bill's total is the gross) keep holding. Voiding a bill reverses its entry, tax included.
 * The arithmetic is the sales arithmetic (sales/tax.ts priceLines, no discounts): an exclusive rate
 * adds tax = net × rate half-up; an inclusive rate takes tax = gross × rate / (1 + rate) half-up out
 * of the cost. A bill's tax per rate is kept (supplier_bill_taxes) for the tax report.
 */

/** The tax terms of a purchase line: no rate means no tax. */
export interface PurchaseTaxTerms {
  taxRateBp: number;
  taxInclusive: boolean;
}

export const NO_TAX: PurchaseTaxTerms = Object.freeze({ taxRateBp: 0, taxInclusive: false });

export interface PurchaseAmounts {
  /** Without tax: what Inventory or the expense account is debited with. */
  net: number;
  tax: number;
  /** net + tax: what is owed. */
  gross: number;
}

/** Net, tax and gross of `quantity` (thousandths) at `unitCost` cents in the terms' basis. */
export function purchaseAmounts(quantity: number, unitCost: number, terms: PurchaseTaxTerms): PurchaseAmounts {
  const { priced, issues } = priceLines([{ quantity, unitPrice: unitCost, taxRateBp: terms.taxRateBp, taxInclusive: terms.taxInclusive }]);
  if (issues.length) throw new ValidationFailed('Amounts too large', issues);
  const line = priced.lines[0]!;
  return { net: line.lineSubtotal, tax: line.lineTax, gross: line.lineTotal };
}

/** The amounts of a bill entered as one sum (`amount` cents in the rate's basis). */
export function billAmounts(amount: number, terms: PurchaseTaxTerms): PurchaseAmounts {
  return purchaseAmounts(QUANTITY_SCALE, amount, terms);
}

/**
 * The terms of tax rate `taxRateId` (null or undefined: no tax), or an issue at `path` when there is
 * no such active rate. The rate's percentage and basis are copied onto the document, so a later
 * change of the rate does not change it.
 */
export async function purchaseTaxTerms(
  models: TenantModels,
  taxRateId: number | null | undefined,
  path: string,
  transaction: Transaction,
): Promise<PurchaseTaxTerms | FieldIssue> {
  if (taxRateId === null || taxRateId === undefined) return NO_TAX;
  const rate = await models.TaxRate.findByPk(taxRateId, { attributes: ['id', 'code', 'rateBp', 'isInclusive', 'isActive'], transaction });
  if (!rate) return { path, message: `no tax rate ${taxRateId}` };
  if (!rate.isActive) return { path, message: `tax rate ${rate.code} is inactive` };
  return { taxRateBp: rate.rateBp, taxInclusive: Boolean(rate.isInclusive) };
}

/** The posting lines of a bill: debit `debitAccount` net and input tax, credit Accounts payable gross. */
export function billPostingLines(
  accounts: { inputTax: number; accountsPayable: number },
  debitAccount: number,
  amounts: readonly PurchaseAmounts[],
): PostingLine[] {
  const sum = (pick: (a: PurchaseAmounts) => number) => amounts.reduce((s, a) => s + BigInt(pick(a)), 0n);
  return [
    { accountId: debitAccount, debit: Number(sum((a) => a.net)) },
    { accountId: accounts.inputTax, debit: Number(sum((a) => a.tax)) },
    { accountId: accounts.accountsPayable, credit: Number(sum((a) => a.gross)) },
  ];
}

/** Records a bill's tax per rate (rates without tax are left out). */
export async function recordBillTaxes(
  models: TenantModels,
  supplierBillId: number,
  taxed: readonly { taxRateBp: number; amounts: PurchaseAmounts }[],
  transaction: Transaction,
): Promise<void> {
  const byRate = new Map<number, { taxable: bigint; tax: bigint }>();
  for (const t of taxed) {
    if (t.taxRateBp === 0 && t.amounts.tax === 0) continue;
    const row = byRate.get(t.taxRateBp) ?? { taxable: 0n, tax: 0n };
    row.taxable += BigInt(t.amounts.net);
    row.tax += BigInt(t.amounts.tax);
    byRate.set(t.taxRateBp, row);
  }
  if (byRate.size === 0) return;
  await models.SupplierBillTax.bulkCreate(
    [...byRate.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([taxRateBp, r]) => ({ supplierBillId, taxRateBp, taxable: Number(r.taxable), tax: Number(r.tax) })),
    { transaction },
  );
}
