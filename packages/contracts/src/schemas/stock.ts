import { z } from 'zod';
import { id, idQuery, PageFields, pageQuery, quantity, quantityOut, signedQuantity, unitCents } from './common';
import { BatchNumberSchema, BatchReceiptFields } from './stock-batches';

/** Stock per product and location, its movements, adjustments and transfers (batches: stock-batches.ts). */

export const STOCK_MOVEMENT_REASONS = ['sale', 'void', 'adjustment', 'receipt', 'transfer', 'return'] as const;
export type StockMovementReason = (typeof STOCK_MOVEMENT_REASONS)[number];
/** The reasons a person may give to an adjustment. */
export const ADJUSTMENT_REASONS = ['adjustment', 'receipt'] as const satisfies readonly StockMovementReason[];
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

export const StockLevelSchema = z
  .object({
    productId: z.number().int(),
    sku: z.string(),
    name: z.string(),
    locationId: z.number().int(),
    quantity: quantityOut,
    updatedAt: z.string(),
  })
  .meta({ id: 'StockLevel' });
export type StockLevelJson = z.infer<typeof StockLevelSchema>;

export const StockMovementSchema = z
  .object({
    id: z.number().int(),
    productId: z.number().int(),
    locationId: z.number().int(),
    quantity: quantityOut.describe('signed units: negative when goods leave'),
    reason: z.string(),
    reference: z.string().nullable(),
    createdBy: z.number().int().nullable(),
    batchId: z.number().int().nullable().describe('the batch moved (batch-tracked products)'),
    createdAt: z.string(),
  })
  .meta({ id: 'StockMovement' });
export type StockMovementJson = z.infer<typeof StockMovementSchema>;

export const StockAdjustmentInputSchema = z
  .object({
    productId: id,
    locationId: id,
    quantity: signedQuantity.describe('signed units (up to 3 decimals): positive adds units, negative removes them'),
    reason: z.enum(ADJUSTMENT_REASONS).optional().describe('adjustment (default) or receipt (goods received)'),
    unitCost: unitCents.optional().describe("cents per unit of the units added; default the product's average cost"),
    note: z.string().trim().max(100).nullable().optional().describe('why, in a few words'),
    ...BatchReceiptFields,
  })
  .strict();
export type StockAdjustmentInput = z.input<typeof StockAdjustmentInputSchema>;

export const StockTransferInputSchema = z
  .object({
    productId: id,
    fromLocationId: id,
    toLocationId: id,
    quantity,
    note: z.string().trim().max(100).nullable().optional(),
    batchNumber: BatchNumberSchema.optional().describe(
      'batch-tracked products: the batch to move (it keeps its number and expiry); default first-expiry-first-out over unexpired batches',
    ),
  })
  .strict();
export type StockTransferInput = z.input<typeof StockTransferInputSchema>;

export const StockLevelQuerySchema = z.object({ locationId: idQuery.optional(), productId: idQuery.optional(), ...pageQuery });
export const StockMovementQuerySchema = z.object({
  locationId: idQuery.optional(),
  productId: idQuery.optional(),
  reason: z.enum(STOCK_MOVEMENT_REASONS).optional(),
  ...pageQuery,
});

export const StockLevelPageSchema = z.object({ stock: z.array(StockLevelSchema), ...PageFields });
export const StockMovementPageSchema = z.object({ movements: z.array(StockMovementSchema), ...PageFields });
export const StockAdjustedSchema = z.object({
  movement: StockMovementSchema,
  quantity: quantityOut,
  value: z.number().int().describe('cents: + into Inventory, − out of it'),
});
export const StockTransferredSchema = z.object({ movements: z.array(StockMovementSchema), from: quantityOut, to: quantityOut });
