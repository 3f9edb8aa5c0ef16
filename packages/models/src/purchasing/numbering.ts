import { col, fn, type Model, type ModelStatic, Op, type Transaction, UniqueConstraintError } from 'sequelize';
import { RetryableConflict } from '../accounting/transactions';
import { Conflict } from '@salesfleet/contracts';
import type { TenantModels } from '../model-types';

/**
 * `PO-000001`, `BILL-000001`: one more than the highest number with the prefix. Two concurrent writers
 * may pick the same one; the unique index lets one win and the other's transaction starts over
 * (numberTaken → RetryableConflict), so numbers stay unique and gapless.
 */
export async function nextDocumentNumber(
  models: TenantModels,
  model: 'PurchaseOrder' | 'SupplierBill',
  prefix: string,
  transaction: Transaction,
): Promise<string> {
  const table = models.unassociated(model) as unknown as ModelStatic<Model>;
  const last = (await table.findOne({
    where: { number: { [Op.like]: `${prefix}%` } },
    attributes: ['number'],
    order: [
      [fn('LENGTH', col('number')), 'DESC'],
      ['number', 'DESC'],
    ],
    raw: true,
    transaction,
  })) as { number: string } | null;
  const n = last ? Number(last.number.slice(prefix.length)) : 0;
  if (!Number.isSafeInteger(n)) throw new Conflict(`Cannot continue the numbering after ${last?.number}`);
  return `${prefix}${String(n + 1).padStart(6, '0')}`;
}

export function numberTaken(err: unknown): never {
  if (err instanceof UniqueConstraintError) throw new RetryableConflict('Document number taken concurrently');
  throw err;
}
