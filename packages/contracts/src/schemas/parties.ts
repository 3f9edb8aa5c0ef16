import { z } from 'zod';
import { emailSchema } from '../rules/email';
import { optionalText, requiredText } from './common';

/** Who the shop sells to (customers) and buys from (suppliers): the same contact card. */
export const PartyFields = {
  id: z.number().int(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  taxNumber: z.string().nullable(),
  address: z.string().nullable(),
  isActive: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
};
export type Party = z.infer<z.ZodObject<typeof PartyFields>>;

/** A customer or supplier as created (PATCH takes it partial). */
export const PartyInputSchema = z
  .object({
    name: requiredText(200),
    email: emailSchema.nullable().optional(),
    phone: optionalText(50),
    taxNumber: optionalText(50),
    address: optionalText(2000),
    isActive: z.boolean().optional(),
  })
  .strict();
export type PartyInput = z.input<typeof PartyInputSchema>;
