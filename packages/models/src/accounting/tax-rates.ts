import { ForeignKeyConstraintError, Op } from 'sequelize';
import type { TaxRate, TenantModels } from '../model-types';
import { FieldChecks, rethrowAsDomainError } from '../sales/fields';
import { equalsIgnoringCase } from '../sales/search';
import { writeTransaction, type WriteOptions } from './transactions';
import { CODE_MESSAGE, CODE_PATTERN, Conflict, NotFound } from '@salesfleet/contracts';

/**
 * Tax rates: a code (unique, ignoring case), a name, a rate in basis points and whether prices carry
 * it inclusively. Invoice lines copy the rate when issued, so changing a rate never changes an issued
 * invoice; a rate products or invoice lines still use cannot be deleted (deactivate it instead).
 */

export interface TaxRateInput {
  code: string;
  name: string;
  /** 0–10000 (2000 = 20 %). */
  rateBp: number;
  isInclusive?: boolean;
  isActive?: boolean;
}

export type TaxRatePatch = Partial<TaxRateInput>;

function check(input: TaxRatePatch, creating: boolean): TaxRatePatch {
  const f = new FieldChecks();
  const out: TaxRatePatch = {};
  if (creating || input.code !== undefined) {
    out.code = f.text(input.code, 'code', 20, true);
    if (out.code && !CODE_PATTERN.test(out.code)) f.fail('code', CODE_MESSAGE);
  }
  if (creating || input.name !== undefined) out.name = f.text(input.name, 'name', 100, true);
  if (creating || input.rateBp !== undefined) out.rateBp = f.int(input.rateBp, 'rateBp', 0, 10_000);
  if (input.isInclusive !== undefined) out.isInclusive = f.bool(input.isInclusive, 'isInclusive');
  if (input.isActive !== undefined) out.isActive = f.bool(input.isActive, 'isActive');
  f.done('tax rate');
  return out;
}

const codeTaken = (code: string | undefined) => new Conflict(`A tax rate with code "${code}" exists`, { field: 'code' });

async function assertCodeFree(models: TenantModels, code: string, exceptId?: number): Promise<void> {
  const where = [equalsIgnoringCase(models, 'TaxRate', 'code', code), ...(exceptId === undefined ? [] : [{ id: { [Op.ne]: exceptId } }])];
  if ((await models.TaxRate.count({ where: { [Op.and]: where } })) > 0) throw codeTaken(code);
}

export async function listTaxRates(models: TenantModels, filter: { active?: boolean } = {}): Promise<TaxRate[]> {
  return models.TaxRate.findAll({ where: filter.active === undefined ? {} : { isActive: filter.active }, order: [['code', 'ASC']] });
}

export async function getTaxRate(models: TenantModels, id: number): Promise<TaxRate> {
  const row = await models.TaxRate.findByPk(id);
  if (!row) throw new NotFound('Tax rate', id);
  return row;
}

export async function createTaxRate(models: TenantModels, input: TaxRateInput): Promise<TaxRate> {
  const values = check(input, true);
  await assertCodeFree(models, values.code!);
  return models.TaxRate.create({
    code: values.code!,
    name: values.name!,
    rateBp: values.rateBp!,
    isInclusive: values.isInclusive ?? false,
    isActive: values.isActive ?? true,
  }).catch((err: unknown) => rethrowAsDomainError(err, () => codeTaken(values.code)));
}

/** Changes a rate; products pick the new rate up on their next sale, issued invoices keep theirs. */
export async function updateTaxRate(models: TenantModels, id: number, patch: TaxRatePatch): Promise<TaxRate> {
  const values = check(patch, false);
  const row = await getTaxRate(models, id);
  if (values.code !== undefined && values.code.toLowerCase() !== row.code.toLowerCase()) await assertCodeFree(models, values.code, id);
  await row.update(values).catch((err: unknown) => rethrowAsDomainError(err, () => codeTaken(values.code)));
  return row;
}

/** Deletes a rate no product uses; 409 otherwise (deactivate it instead). */
export async function deleteTaxRate(models: TenantModels, id: number, options: WriteOptions = {}): Promise<void> {
  await writeTransaction(
    models.sequelize,
    async (transaction) => {
      const row = await models.TaxRate.findByPk(id, { transaction });
      if (!row) throw new NotFound('Tax rate', id);
      const products = await models.Product.count({ where: { taxRateId: id }, transaction });
      if (products > 0)
        throw new Conflict(`Tax rate ${row.code} is used by ${products} products; deactivate it instead`, { reason: 'inUse' });
      try {
        await row.destroy({ transaction });
      } catch (err) {
        if (err instanceof ForeignKeyConstraintError)
          throw new Conflict(`Tax rate ${row.code} is in use; deactivate it instead`, { reason: 'inUse' });
        throw err;
      }
    },
    options,
  );
}
