import { z } from 'zod';

/** Cents owed, by age of the document at the report's day (days since its date). */
export const AgeingAmountsSchema = z.object({
  '0-30': z.number().int(),
  '31-60': z.number().int(),
  '61-90': z.number().int(),
  '90+': z.number().int(),
  total: z.number().int(),
});
export type AgeingAmountsJson = z.infer<typeof AgeingAmountsSchema>;

/** What the shop owes its suppliers at the end of a day, per supplier and by age of the bill. */
export const PayablesAgeingSchema = z
  .object({
    asOf: z.string().describe('YYYY-MM-DD, the end of this day in the tenant time zone'),
    suppliers: z.array(
      AgeingAmountsSchema.extend({
        supplierId: z.number().int(),
        name: z.string(),
        bills: z.number().int().describe('bills with something still owed'),
      }),
    ),
    totals: AgeingAmountsSchema,
  })
  .meta({ id: 'PayablesAgeing' });
export type PayablesAgeingJson = z.infer<typeof PayablesAgeingSchema>;
