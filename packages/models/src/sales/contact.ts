import { Op, type CreationAttributes, type ModelStatic, type WhereOptions } from 'sequelize';
import { Conflict, isEmail, NotFound } from '@salesfleet/contracts';
import { findPage, type Page, pageWindow } from '../accounting/values';
import type { Customer, Supplier, TenantModels } from '../model-types';
import type { ListFilter } from './catalog';
import { FieldChecks, rethrowAsDomainError } from './fields';
import { containsIgnoringCase } from './search';

/**
 * The parties the shop trades with, customers and suppliers: the fields they share, their one
 * check, and the list/read/create/update they share (each kind keeps its own delete rule).
 */
export interface ContactInput {
  name: string;
  email?: string | null;
  phone?: string | null;
  taxNumber?: string | null;
  address?: string | null;
  isActive?: boolean;
}

export type ContactPatch = Partial<ContactInput>;

/** Checks a customer's or supplier's fields (all of them when creating, the given ones otherwise). */
export function checkContact(input: ContactPatch, creating: boolean, kind: 'customer' | 'supplier'): ContactPatch {
  const f = new FieldChecks();
  const out: ContactPatch = {};
  if (creating || input.name !== undefined) out.name = f.text(input.name, 'name', 200, true);
  if (input.email !== undefined) {
    out.email = f.text(input.email, 'email', 254, false) ?? null;
    if (out.email && !isEmail(out.email)) f.fail('email', 'an email address');
  }
  if (input.phone !== undefined) out.phone = f.text(input.phone, 'phone', 50, false) ?? null;
  if (input.taxNumber !== undefined) out.taxNumber = f.text(input.taxNumber, 'taxNumber', 50, false) ?? null;
  if (input.address !== undefined) out.address = f.text(input.address, 'address', 2000, false) ?? null;
  if (input.isActive !== undefined) out.isActive = f.bool(input.isActive, 'isActive');
  f.done(kind);
  return out;
}

/** A kind of party: the model of its rows. */
export type ContactKind = 'Customer' | 'Supplier';
type ContactRow<K extends ContactKind> = { Customer: Customer; Supplier: Supplier }[K];

const kindName = (kind: ContactKind) => kind.toLowerCase() as 'customer' | 'supplier';

// The two models have the same columns; Sequelize's static methods cannot be called on their union.
function contactModel<K extends ContactKind>(models: TenantModels, kind: K): ModelStatic<ContactRow<K>> {
  return models[kind] as unknown as ModelStatic<ContactRow<K>>;
}

/** A page of customers or suppliers by name, matching `q` in name, email or phone. */
export async function listContacts<K extends ContactKind>(
  models: TenantModels,
  kind: K,
  filter: ListFilter = {},
): Promise<Page<ContactRow<K>>> {
  const { limit, offset } = pageWindow(filter);
  const conditions: WhereOptions[] = [];
  if (filter.active !== undefined) conditions.push({ isActive: filter.active });
  if (filter.q?.trim()) conditions.push(containsIgnoringCase(models, kind, ['name', 'email', 'phone'], filter.q.trim()));
  const { rows, count } = await findPage(contactModel(models, kind), {
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

export async function getContact<K extends ContactKind>(models: TenantModels, kind: K, id: number): Promise<ContactRow<K>> {
  const row = await contactModel(models, kind).findByPk(id);
  if (!row) throw new NotFound(kind, id);
  return row;
}

export async function createContact<K extends ContactKind>(models: TenantModels, kind: K, input: ContactInput): Promise<ContactRow<K>> {
  const values = checkContact(input, true, kindName(kind));
  return contactModel(models, kind)
    .create({ ...values, name: values.name! } as CreationAttributes<ContactRow<K>>)
    .catch((err: unknown) => rethrowAsDomainError(err, () => new Conflict(`This ${kindName(kind)} exists`)));
}

export async function updateContact<K extends ContactKind>(
  models: TenantModels,
  kind: K,
  id: number,
  patch: ContactPatch,
): Promise<ContactRow<K>> {
  const values = checkContact(patch, false, kindName(kind));
  const row = await getContact(models, kind, id);
  await row.update(values).catch((err: unknown) => rethrowAsDomainError(err, () => new Conflict(`This ${kindName(kind)} exists`)));
  return row;
}
