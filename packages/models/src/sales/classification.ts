import { ForeignKeyConstraintError, Op, type WhereOptions } from 'sequelize';
import { CODE_MESSAGE, CODE_PATTERN, Conflict, NotFound } from '@salesfleet/contracts';
import type { Category, TenantModels, Unit } from '../model-types';
import { FieldChecks, rethrowAsDomainError } from './fields';
import { equalsIgnoringCase } from './search';

/** Units of measure and product categories: small lists the catalog refers to. */

export async function listUnits(models: TenantModels, filter: { active?: boolean } = {}): Promise<Unit[]> {
  return models.Unit.findAll({ where: filter.active === undefined ? {} : { isActive: filter.active }, order: [['code', 'ASC']] });
}

export interface UnitInput {
  code: string;
  name: string;
  /** 0–3: how many decimals a quantity in this unit may have. */
  decimals: number;
  isActive?: boolean;
}

export async function createUnit(models: TenantModels, input: UnitInput): Promise<Unit> {
  const f = new FieldChecks();
  const code = f.text(input.code, 'code', 16, true);
  if (code && !CODE_PATTERN.test(code)) f.fail('code', CODE_MESSAGE);
  const name = f.text(input.name, 'name', 50, true);
  const decimals = f.int(input.decimals, 'decimals', 0, 3);
  const isActive = input.isActive === undefined ? true : f.bool(input.isActive, 'isActive');
  f.done('unit');
  if ((await models.Unit.count({ where: equalsIgnoringCase(models, 'Unit', 'code', code) })) > 0)
    throw new Conflict(`A unit "${code}" exists`, { field: 'code' });
  return models.Unit.create({ code, name, decimals, isActive }).catch((err: unknown) =>
    rethrowAsDomainError(err, () => new Conflict(`A unit "${code}" exists`, { field: 'code' })),
  );
}

export async function listCategories(models: TenantModels, filter: { active?: boolean } = {}): Promise<Category[]> {
  return models.Category.findAll({ where: filter.active === undefined ? {} : { isActive: filter.active }, order: [['name', 'ASC']] });
}

export interface CategoryInput {
  name: string;
  isActive?: boolean;
}

function checkCategory(input: Partial<CategoryInput>, creating: boolean): Partial<CategoryInput> {
  const f = new FieldChecks();
  const out: Partial<CategoryInput> = {};
  if (creating || input.name !== undefined) out.name = f.text(input.name, 'name', 100, true);
  if (input.isActive !== undefined) out.isActive = f.bool(input.isActive, 'isActive');
  f.done('category');
  return out;
}

async function assertNameFree(models: TenantModels, name: string, exceptId?: number): Promise<void> {
  const where: WhereOptions[] = [equalsIgnoringCase(models, 'Category', 'name', name)];
  if (exceptId !== undefined) where.push({ id: { [Op.ne]: exceptId } });
  if ((await models.Category.count({ where: { [Op.and]: where } })) > 0)
    throw new Conflict(`A category "${name}" exists`, { field: 'name' });
}

export async function createCategory(models: TenantModels, input: CategoryInput): Promise<Category> {
  const values = checkCategory(input, true);
  await assertNameFree(models, values.name!);
  return models.Category.create({ name: values.name!, isActive: values.isActive ?? true }).catch((err: unknown) =>
    rethrowAsDomainError(err, () => new Conflict(`A category "${values.name}" exists`, { field: 'name' })),
  );
}

export async function updateCategory(models: TenantModels, id: number, patch: Partial<CategoryInput>): Promise<Category> {
  const values = checkCategory(patch, false);
  const row = await models.Category.findByPk(id);
  if (!row) throw new NotFound('Category', id);
  if (values.name !== undefined) await assertNameFree(models, values.name, id);
  await row
    .update(values)
    .catch((err: unknown) => rethrowAsDomainError(err, () => new Conflict(`A category "${values.name}" exists`, { field: 'name' })));
  return row;
}

/** Deletes a category no product is in (409 otherwise: deactivate it). */
export async function deleteCategory(models: TenantModels, id: number): Promise<void> {
  const row = await models.Category.findByPk(id);
  if (!row) throw new NotFound('Category', id);
  if ((await models.Product.count({ where: { categoryId: id } })) > 0)
    throw new Conflict(`Category ${row.name} has products; deactivate it instead`, { reason: 'inUse' });
  try {
    await row.destroy();
  } catch (err) {
    if (err instanceof ForeignKeyConstraintError) throw new Conflict(`Category ${row.name} is in use`, { reason: 'inUse' });
    throw err;
  }
}
