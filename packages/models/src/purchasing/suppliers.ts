import { Op, type WhereOptions } from 'sequelize';
import { findPage, type Page, pageWindow } from '../accounting/values';
import { Conflict, NotFound } from '@salesfleet/contracts';
import type { Supplier, TenantModels } from '../model-types';
import type { ListFilter } from '../sales/catalog';
import { rethrowAsDomainError } from '../sales/fields';
import { type ContactInput, type ContactPatch, checkContact } from '../sales/contact';
import { containsIgnoringCase } from '../sales/search';

/** Suppliers: create, read, update, delete (only without orders or bills), search by name/email/phone. */

export type SupplierInput = ContactInput;
export type SupplierPatch = ContactPatch;

export function checkSupplier(input: SupplierPatch, creating: boolean): SupplierPatch {
  return checkContact(input, creating, 'supplier');
}

export async function listSuppliers(models: TenantModels, filter: ListFilter = {}): Promise<Page<Supplier>> {
  const { limit, offset } = pageWindow(filter);
  const conditions: WhereOptions[] = [];
  if (filter.active !== undefined) conditions.push({ isActive: filter.active });
  if (filter.q?.trim()) conditions.push(containsIgnoringCase(models, 'Supplier', ['name', 'email', 'phone'], filter.q.trim()));
  const { rows, count } = await findPage(models.Supplier, {
    where: { [Op.and]: conditions },
    order: [
      ['name', 'ASC'],
      ['id', 'ASC'],
    ],
    limit,
    offset,
  });
  return { items: rows, total: count, limit, offset };
}

export async function getSupplier(models: TenantModels, id: number): Promise<Supplier> {
  const row = await models.Supplier.findByPk(id);
  if (!row) throw new NotFound('Supplier', id);
  return row;
}

export async function createSupplier(models: TenantModels, input: SupplierInput): Promise<Supplier> {
  const values = checkSupplier(input, true);
  return models.Supplier.create({ ...values, name: values.name! }).catch((err: unknown) =>
    rethrowAsDomainError(err, () => new Conflict('This supplier exists')),
  );
}

export async function updateSupplier(models: TenantModels, id: number, patch: SupplierPatch): Promise<Supplier> {
  const values = checkSupplier(patch, false);
  const row = await getSupplier(models, id);
  await row.update(values).catch((err: unknown) => rethrowAsDomainError(err, () => new Conflict('This supplier exists')));
  return row;
}

/** Deletes a supplier nothing refers to; 409 with orders or bills (deactivate instead). */
export async function deleteSupplier(models: TenantModels, id: number): Promise<void> {
  const row = await getSupplier(models, id);
  const orders = await models.PurchaseOrder.count({ where: { supplierId: id } });
  const bills = await models.SupplierBill.count({ where: { supplierId: id } });
  if (orders + bills > 0)
    throw new Conflict(`Supplier ${row.name} has orders or bills; deactivate it instead (isActive: false)`, { reason: 'inUse' });
  await row.destroy();
}
