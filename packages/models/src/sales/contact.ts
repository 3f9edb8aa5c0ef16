import { isEmail } from '@salesfleet/contracts';
import { FieldChecks } from './fields';

/** The fields a customer and a supplier share, and their one check. */
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
