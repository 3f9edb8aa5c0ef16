import { z } from 'zod';
import { boolQuery, date, idQuery, PageFields, pageQuery } from './common';

/**
 * Batch numbers and expiry dates of batch-tracked products (the pharmacy's medicines): what receipts
 * and adjustments name, stock per batch, and the "expiring soon" list.
 */

export const BATCH_NUMBER_MAX_LENGTH = 50;

export const BatchNumberSchema = z
  .string()
  .trim()
  .min(1, 'required')
  .max(BATCH_NUMBER_MAX_LENGTH, `at most ${BATCH_NUMBER_MAX_LENGTH} characters`)
  .describe("the batch (lot) number printed on the pack; batch-tracked products only, and there it's required");

/** The batch fields of a receipt or an adjustment adding units (expiry required for a new batch). */
export const BatchReceiptFields = {
  batchNumber: BatchNumberSchema.optional(),
  expiryDate: date
    .optional()
    .describe('YYYY-MM-DD, the last day the batch may be sold; required when the batch is new, must match a known batch'),
};

export const StockBatchSchema = z
  .object({
    id: z.number().int(),
    productId: z.number().int(),
    locationId: z.number().int(),
    batchNumber: z.string(),
    expiryDate: z.string().describe('YYYY-MM-DD, the last day it may be sold'),
    quantity: z.number().describe('units on hand, at most 3 decimals'),
  })
  .meta({ id: 'StockBatch' });
export type StockBatchJson = z.infer<typeof StockBatchSchema>;

export const StockBatchesQuerySchema = z.object({
  productId: idQuery.optional(),
  locationId: idQuery.optional(),
  includeEmpty: boolQuery.optional().describe('also batches at zero (default false)'),
});

export const MAX_EXPIRY_WINDOW_DAYS = 3660;

export const ExpiringStockQuerySchema = z.object({
  days: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_EXPIRY_WINDOW_DAYS)
    .default(30)
    .describe('list batches expiring within this many days of today (tenant time zone); default 30'),
  locationId: idQuery.optional().describe('only this location'),
});

export const ExpiringStockSchema = z
  .object({
    today: z.string().describe("YYYY-MM-DD in the tenant's time zone"),
    until: z.string().describe('today + days: the last expiry date listed'),
    batches: z.array(
      z.object({
        batchId: z.number().int(),
        productId: z.number().int(),
        sku: z.string(),
        name: z.string(),
        locationId: z.number().int(),
        batchNumber: z.string(),
        expiryDate: z.string(),
        quantity: z.number().describe('units on hand'),
        daysLeft: z.number().int().describe('days from today to the expiry date; negative once expired'),
        expired: z.boolean().describe('past its expiry date: no longer sold'),
      }),
    ),
  })
  .meta({ id: 'ExpiringStock' });
export type ExpiringStockJson = z.infer<typeof ExpiringStockSchema>;

export const StockBatchPageSchema = z.object({ batches: z.array(StockBatchSchema), ...PageFields });
export const StockBatchListQuerySchema = StockBatchesQuerySchema.extend(pageQuery);
export const ExpiringStockResultSchema = z.object({ report: ExpiringStockSchema });
