import type { Page } from '../accounting/values';
import { Conflict } from '@salesfleet/contracts';
import type { Supplier, TenantModels } from '../model-types';
import type { ListFilter } from '../sales/catalog';
import {
  type ContactInput,
  type ContactPatch,
  checkContact,
  createContact,
  getContact,
  listContacts,
  updateContact,
} from '../sales/contact';

/** Suppliers: create, read, update, delete (only without orders or bills), search by name/email/phone. */

export type SupplierInput = ContactInput;
export type SupplierPatch = ContactPatch;

export function checkSupplier(input: SupplierPatch, creating: boolean): SupplierPatch {
  return checkContact(input, creating, 'supplier');
}

export const listSuppliers = (models: TenantModels, filter: ListFilter = {}): Promise<Page<Supplier>> =>
  listContacts(models, 'Supplier', filter);
export const getSupplier = (models: TenantModels, id: number): Promise<Supplier> => getContact(models, 'Supplier', id);
export const createSupplier = (models: TenantModels, input: SupplierInput): Promise<Supplier> => createContact(models, 'Supplier', input);
export const updateSupplier = (models: TenantModels, id: number, patch: SupplierPatch): Promise<Supplier> =>
  updateContact(models, 'Supplier', id, patch);

/** Deletes a supplier nothing refers to; 409 with orders or bills (deactivate instead). */
export async function deleteSupplier(models: TenantModels, id: number): Promise<void> {
  const row = await getSupplier(models, id);
  const orders = await models.PurchaseOrder.count({ where: { supplierId: id } });
  const bills = await models.SupplierBill.count({ where: { supplierId: id } });
  if (orders + bills > 0)
    throw new Conflict(`Supplier ${row.name} has orders or bills; deactivate it instead (isActive: false)`, { reason: 'inUse' });
  await row.destroy();
}
