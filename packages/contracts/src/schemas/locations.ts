import { z } from 'zod';

/** Locations (`/api/locations`): shops, warehouses — where stock is and sales happen. */

export const LocationSchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    address: z.string().nullable(),
    isActive: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Location' });
export type LocationJson = z.infer<typeof LocationSchema>;

const code = z
  .string()
  .trim()
  .min(1, 'required')
  .max(32, 'at most 32 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -');

export const CreateLocationInputSchema = z
  .object({
    code,
    name: z.string().trim().min(1, 'required').max(150),
    address: z.string().trim().max(2000).nullable().optional(),
  })
  .strict();
export type CreateLocationInput = z.input<typeof CreateLocationInputSchema>;

export const UpdateLocationInputSchema = z
  .object({
    code: code.optional(),
    name: z.string().trim().min(1).max(150).optional(),
    address: z.string().trim().max(2000).nullable().optional(),
    isActive: z.boolean().optional(),
  })
  .strict();
export type UpdateLocationInput = z.input<typeof UpdateLocationInputSchema>;

export const LocationListSchema = z.object({ locations: z.array(LocationSchema) });
export const LocationResultSchema = z.object({ location: LocationSchema });
