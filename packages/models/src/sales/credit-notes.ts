import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import { postJournalEntry, systemAccounts } from '../accounting/posting';
import { RetryableConflict, writeTransaction, type WriteOptions } from '../accounting/transactions';
import { checkDate, findPage, pageWindow, type Page, type PageOptions } from '../accounting/values';
import { Conflict, NotFound, ValidationFailed } from '@salesfleet/contracts';
import type { CreditNote, TenantModels } from '../model-types';
import { postingSettings, tenantToday } from '../settings/settings';
import { FieldChecks, MAX_INT32 } from './fields';
import { nextDocumentNumbers } from './invoicing';
import { PAYMENT_METHODS, type PaymentMethod } from './payment';
import { moneyAccount } from './payments';
import { divideRounded, MAX_QUANTITY } from './quantity';
import { inventoryLines, putStock } from './stock';
import { InventoryValuation } from './valuation';
import { returnableBatches, returnToBatch, splitOver, trackedProducts } from './batches';

/**
 * Credit notes and refunds against an issued invoice, in full or in part, by line. One transaction:
 *
 *   debit  sales revenue                 the credited lines' net amounts (after any discount)
 *   debit  tax payable                   their tax
 *   credit accounts receivable           the part that reduces what the customer still owes
 *   credit cash / bank                   the rest, paid back to the customer (refund)
 *   debit  inventory / credit cost of goods sold   the returned goods at the value they left with
 *
 * A line credited in part takes its share of the line's amounts and cost, rounded half-up; the last
 * part takes exactly what is left, so crediting a whole invoice in pieces reverses it to the cent.
 * The invoice is locked first: a payment racing a credit note waits, and neither can push what is
 * paid plus credited past the invoice total.
 */

export interface CreditNoteLineInput {
  invoiceLineId: number;
  /** Thousandths of a unit, at most what is not yet credited on that line. */
  quantity: number;
}

export interface CreditNoteInput {
  lines: readonly CreditNoteLineInput[];
  /** `YYYY-MM-DD`, not before the invoice; default today in the tenant's time zone. */
  date?: string;
  reason?: string | null;
  /** How money is paid back when the credit exceeds what is still owed; required then. */
  refundMethod?: PaymentMethod;
  /** Put the goods back into stock at the value they left with (default true); false writes them off. */
  restock?: boolean;
  userId: number;
}

function creditNumberTaken(err: unknown): never {
  if (err instanceof UniqueConstraintError) throw new RetryableConflict('Credit note number taken concurrently');
  throw err;
}

export async function createCreditNote(
  models: TenantModels,
  invoiceId: number,
  input: CreditNoteInput,
  options: WriteOptions = {},
): Promise<CreditNote> {
  const f = new FieldChecks();
  if (input.date !== undefined) f.date(input.date, 'date');
  const reason = f.text(input.reason, 'reason', 200, false) ?? null;
  if (input.refundMethod !== undefined && !(PAYMENT_METHODS as readonly unknown[]).includes(input.refundMethod))
    f.fail('refundMethod', `one of ${PAYMENT_METHODS.join(', ')}`);
  if (input.restock !== undefined) f.bool(input.restock, 'restock');
  if (!Array.isArray(input.lines) || input.lines.length === 0 || input.lines.length > 500) f.fail('lines', '1 to 500 lines');
  else {
    const seen = new Set<number>();
    input.lines.forEach((l, i) => {
      f.int(l.invoiceLineId, `lines.${i}.invoiceLineId`, 1, MAX_INT32);
      f.int(l.quantity, `lines.${i}.quantity`, 1, MAX_QUANTITY);
      if (seen.has(l.invoiceLineId)) f.fail(`lines.${i}.invoiceLineId`, 'each invoice line once');
      seen.add(l.invoiceLineId);
    });
  }
  f.done('credit note');
  const restock = input.restock ?? true;

  const id = await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const invoice = await models.Invoice.findByPk(invoiceId, { transaction, lock: transaction.LOCK.UPDATE });
      if (!invoice) throw new NotFound('Invoice', invoiceId);
      if (invoice.status !== 'issued' && invoice.status !== 'paid') {
        throw new Conflict(`Invoice ${invoice.number} is ${invoice.status}; only issued invoices are credited`, { status: invoice.status });
      }
      const date = input.date ?? (await tenantToday(models, transaction));
      const issueDate = String(invoice.issueDate).slice(0, 10);
      if (date < issueDate)
        throw new ValidationFailed('A credit note is not dated before its invoice', [
          { path: 'date', message: `on or after ${issueDate}` },
        ]);

      const invoiceLines = await models.InvoiceLine.findAll({ where: { invoiceId }, order: [['id', 'ASC']], transaction });
      const byId = new Map(invoiceLines.map((l) => [l.id, l]));
      const earlier = await models.CreditNoteLine.findAll({
        where: { invoiceLineId: { [Op.in]: invoiceLines.map((l) => l.id) } },
        attributes: ['invoiceLineId', 'quantity', 'lineSubtotal', 'lineTax', 'costAmount'],
        raw: true,
        transaction,
      });
      const credited = new Map<number, { quantity: number; subtotal: number; tax: number; cost: number }>();
      for (const e of earlier) {
        const c = credited.get(e.invoiceLineId as number) ?? { quantity: 0, subtotal: 0, tax: 0, cost: 0 };
        c.quantity += Number(e.quantity);
        c.subtotal += Number(e.lineSubtotal);
        c.tax += Number(e.lineTax);
        c.cost += Number(e.costAmount ?? 0);
        credited.set(e.invoiceLineId as number, c);
      }

      const issues: { path: string; message: string }[] = [];
      const lines = input.lines.flatMap((l, i) => {
        const line = byId.get(l.invoiceLineId);
        if (!line) {
          issues.push({ path: `lines.${i}.invoiceLineId`, message: `no line ${l.invoiceLineId} on invoice ${invoice.number}` });
          return [];
        }
        const before = credited.get(line.id) ?? { quantity: 0, subtotal: 0, tax: 0, cost: 0 };
        const remaining = Number(line.quantity) - before.quantity;
        if (l.quantity > remaining) {
          issues.push({ path: `lines.${i}.quantity`, message: `at most ${remaining} (thousandths) are left to credit on this line` });
          return [];
        }
        const last = l.quantity === remaining;
        const share = (amount: number, done: number) =>
          last ? amount - done : divideRounded(BigInt(amount) * BigInt(l.quantity), BigInt(line.quantity));
        const lineSubtotal = share(Number(line.lineSubtotal), before.subtotal);
        const lineTax = share(Number(line.lineTax), before.tax);
        const goods = line.productId !== null && line.productId !== undefined;
        return [
          {
            invoiceLineId: line.id,
            productId: goods ? (line.productId as number) : null,
            description: line.description,
            quantity: l.quantity,
            taxRateBp: line.taxRateBp,
            lineSubtotal,
            lineTax,
            lineTotal: lineSubtotal + lineTax,
            costAmount: goods && restock ? share(Number(line.costAmount ?? 0), before.cost) : null,
          },
        ];
      });
      if (issues.length) throw new ValidationFailed('Invalid credit note lines', issues);

      const subtotal = lines.reduce((a, l) => a + l.lineSubtotal, 0);
      const tax = lines.reduce((a, l) => a + l.lineTax, 0);
      const total = subtotal + tax;
      const owed = invoice.total - invoice.amountPaid - invoice.amountCredited;
      const applied = Math.min(total, Math.max(owed, 0));
      const refunded = total - applied;
      if (refunded > 0 && !input.refundMethod) {
        throw new ValidationFailed(`${refunded} of the credit goes back to the customer: say how (refundMethod)`, [
          { path: 'refundMethod', message: 'required when money is paid back' },
        ]);
      }
      await invoice.update(
        {
          amountCredited: invoice.amountCredited + applied,
          ...(invoice.amountPaid + invoice.amountCredited + applied === invoice.total ? { status: 'paid' as const } : {}),
        },
        { transaction },
      );

      // Goods back into stock at the value they left with (products locked in id order, then stock rows).
      let restored = 0;
      const goods = lines.filter((l) => l.costAmount !== null);
      const batchPieces = new Map<(typeof goods)[number], { batchId: number; quantity: number }[]>();
      if (goods.length) {
        const valuation = await InventoryValuation.lock(
          models,
          goods.map((l) => l.productId!),
          transaction,
        );
        const tracked = await trackedProducts(
          models,
          goods.map((l) => l.productId!),
          transaction,
        );
        // Earlier credit notes of the invoice returned goods too: a batch takes back only what left it.
        const references = tracked.size
          ? [
              `invoice:${invoiceId}`,
              ...(
                await models.unassociated('CreditNote').findAll({ where: { invoiceId }, attributes: ['id'], raw: true, transaction })
              ).map((n) => `credit_note:${n.id}`),
            ]
          : [];
        for (const l of [...goods].sort((a, b) => a.productId! - b.productId!)) {
          await putStock(models, { productId: l.productId!, locationId: invoice.locationId, quantity: l.quantity }, transaction);
          const pieces = tracked.has(l.productId!)
            ? splitOver(l.quantity, await returnableBatches(models, l.productId!, references, transaction))
            : [];
          for (const piece of pieces) await returnToBatch(models, piece.batchId, piece.quantity, transaction);
          batchPieces.set(l, pieces);
          const { value, variance } = valuation.receive(l.productId!, l.quantity, l.costAmount!);
          restored += value - variance;
        }
        await valuation.save();
      }

      const { creditNotePrefix } = await postingSettings(models, transaction);
      const [number] = await nextDocumentNumbers(models.CreditNote, creditNotePrefix, transaction);
      const note = await models.CreditNote.create(
        {
          number: number!,
          invoiceId,
          issueDate: date,
          subtotal,
          tax,
          total,
          applied,
          refunded,
          refundMethod: refunded > 0 ? input.refundMethod! : null,
          reason,
          createdBy: input.userId,
        },
        { transaction },
      ).catch(creditNumberTaken);
      await models.CreditNoteLine.bulkCreate(
        lines.map((l) => ({ ...l, creditNoteId: note.id })),
        { transaction },
      );
      if (goods.length) {
        await models.StockMovement.bulkCreate(
          goods.flatMap((l) => {
            const pieces = batchPieces.get(l);
            return (pieces?.length ? pieces : [{ batchId: null, quantity: l.quantity }]).map((piece) => ({
              productId: l.productId!,
              locationId: invoice.locationId,
              quantity: piece.quantity,
              reason: 'return' as const,
              reference: `credit_note:${note.id}`,
              batchId: piece.batchId,
              createdBy: input.userId,
            }));
          }),
          { transaction },
        );
      }

      const accounts = await systemAccounts(models, transaction);
      await postJournalEntry(
        models,
        {
          entryDate: date,
          memo: `Credit note ${note.number} for ${invoice.number}${reason ? `: ${reason}` : ''}`.slice(0, 255),
          sourceType: 'credit_note',
          sourceId: note.id,
          postedBy: input.userId,
          lines: [
            { accountId: accounts.salesRevenue, debit: subtotal },
            { accountId: accounts.taxPayable, debit: tax },
            { accountId: accounts.accountsReceivable, credit: applied },
            ...(refunded > 0 ? [{ accountId: moneyAccount(accounts, input.refundMethod!), credit: refunded }] : []),
            ...inventoryLines(accounts.inventory, accounts.costOfGoodsSold, restored),
          ],
        },
        transaction,
      );
      return note.id;
    },
    options,
  );
  return getCreditNote(models, id, options.transaction);
}

export async function getCreditNote(models: TenantModels, id: number, transaction?: Transaction): Promise<CreditNote> {
  const note = await models.CreditNote.findByPk(id, {
    include: [{ model: models.CreditNoteLine, as: 'lines' }],
    order: [[{ model: models.CreditNoteLine, as: 'lines' }, 'id', 'ASC']],
    ...(transaction ? { transaction } : {}),
  });
  if (!note) throw new NotFound('Credit note', id);
  return note;
}

export interface CreditNoteFilter extends PageOptions {
  invoiceId?: number;
  from?: string;
  to?: string;
}

/** Credit notes (without lines), newest first. */
export async function listCreditNotes(models: TenantModels, filter: CreditNoteFilter = {}): Promise<Page<CreditNote>> {
  const { limit, offset } = pageWindow(filter);
  const where: Record<string | symbol, unknown> = {};
  if (filter.invoiceId !== undefined) where.invoiceId = filter.invoiceId;
  const range: Record<symbol, string> = {};
  if (filter.from) range[Op.gte] = checkDate(filter.from, 'from');
  if (filter.to) range[Op.lte] = checkDate(filter.to, 'to');
  if (filter.from || filter.to) where.issueDate = range;
  const { rows, count } = await findPage(models.CreditNote, {
    where,
    order: [
      ['issueDate', 'DESC'],
      ['id', 'DESC'],
    ],
    limit,
    offset,
  });
  return { items: rows, total: count, limit, offset };
}
