import { z } from 'zod';
import {
  BatchNumberSchema,
  BatchReceiptFields,
  ExpiringStockQuerySchema,
  ExpiringStockSchema,
  StockBatchesQuerySchema,
  StockBatchSchema,
  type StockBatchJson,
} from '@salesfleet/contracts';
import {
  ADJUSTMENT_REASONS,
  adjustStock,
  expiringStock,
  listStockBatches,
  listStockLevels,
  listStockMovements,
  quantityNumber,
  STOCK_MOVEMENT_REASONS,
  transferStock,
  type StockBatch,
} from '@salesfleet/models';
import type { TenantApiRoutes } from '../../http/api-routes';
import {
  id,
  idQuery,
  pageQuery,
  PageFields,
  quantity,
  quantityOut,
  signedQuantity,
  StockLevelSchema,
  stockLevelJson,
  StockMovementSchema,
  stockMovementJson,
} from './schemas';

const AdjustmentBody = z
  .object({
    productId: id,
    locationId: id,
    quantity: signedQuantity.describe('signed units (up to 3 decimals): positive adds units, negative removes them'),
    reason: z.enum(ADJUSTMENT_REASONS).optional().describe('adjustment (default) or receipt (goods received)'),
    unitCost: z
      .number()
      .int()
      .min(0)
      .max(2_147_483_647)
      .optional()
      .describe("cents per unit of the units added; default the product's average cost"),
    note: z.string().trim().max(100).nullable().optional().describe('why, in a few words'),
    ...BatchReceiptFields,
  })
  .strict();

const TransferBody = z
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

function stockBatchJson(b: StockBatch): StockBatchJson {
  return {
    id: b.id,
    productId: b.productId as number,
    locationId: b.locationId as number,
    batchNumber: b.batchNumber,
    expiryDate: b.expiryDate,
    quantity: quantityNumber(Number(b.quantity)),
  };
}

/** Stock per location, stock adjustments and transfers, stock movements. */
export function stockRoutes(routes: TenantApiRoutes): void {
  routes.add(
    {
      method: 'get',
      path: '/stock',
      summary: 'Stock on hand per product and location',
      permission: 'sales.view_stock_level',
      query: z.object({ locationId: idQuery.optional(), productId: idQuery.optional(), ...pageQuery }),
      responses: { 200: { description: 'A page of stock levels', schema: z.object({ stock: z.array(StockLevelSchema), ...PageFields }) } },
    },
    async (c, { query }) => {
      const page = await listStockLevels(c.var.db, query);
      return c.json({ stock: page.items.map(stockLevelJson), total: page.total, limit: page.limit, offset: page.offset });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/stock/batches',
      summary: 'Stock per batch per location (batch-tracked products), soonest expiry first',
      permission: 'sales.view_stock_level',
      query: StockBatchesQuerySchema.extend(pageQuery),
      responses: { 200: { description: 'A page of batches', schema: z.object({ batches: z.array(StockBatchSchema), ...PageFields }) } },
    },
    async (c, { query }) => {
      const page = await listStockBatches(c.var.db, query);
      return c.json({ batches: page.items.map(stockBatchJson), total: page.total, limit: page.limit, offset: page.offset });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/stock/expiring',
      summary: 'Expiring soon: batches with stock that expire within `days` days (default 30), those already expired included',
      permission: 'sales.view_stock_level',
      query: ExpiringStockQuerySchema,
      responses: { 200: { description: 'Batches by expiry date, soonest first', schema: z.object({ report: ExpiringStockSchema }) } },
    },
    async (c, { query }) => {
      const report = await expiringStock(c.var.db, query);
      return c.json({ report: { ...report, batches: report.batches.map((b) => ({ ...b, quantity: quantityNumber(b.quantity) })) } });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/stock/adjustments',
      summary: 'Adjust stock by a signed quantity with a reason (writes a stock movement)',
      permission: 'sales.adjust_stock',
      body: AdjustmentBody,
      responses: {
        201: {
          description: 'The movement, the units now on hand at the location and the value moved in or out of Inventory',
          schema: z.object({
            movement: StockMovementSchema,
            quantity: quantityOut,
            value: z.number().int().describe('cents: + into Inventory, − out of it'),
          }),
        },
        409: { description: 'InsufficientStock: would go below zero (details.shortages)' },
      },
    },
    async (c, { body }) => {
      const result = await adjustStock(c.var.db, { ...body, userId: c.var.user.user.id });
      return c.json({ movement: stockMovementJson(result.movement), quantity: quantityNumber(result.quantity), value: result.value }, 201);
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/stock/transfers',
      summary: 'Move stock from one location to another (two transfer movements; no posting: cost is per product)',
      permission: 'sales.transfer_stock',
      body: TransferBody,
      responses: {
        201: {
          description: 'The two movements and the units now at each location',
          schema: z.object({ movements: z.array(StockMovementSchema), from: quantityOut, to: quantityOut }),
        },
        409: { description: 'InsufficientStock: the source holds less (details.shortages)' },
      },
    },
    async (c, { body }) => {
      const result = await transferStock(c.var.db, { ...body, userId: c.var.user.user.id });
      return c.json(
        { movements: result.movements.map(stockMovementJson), from: quantityNumber(result.from), to: quantityNumber(result.to) },
        201,
      );
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/stock/movements',
      summary: 'Stock movements, newest first',
      permission: 'sales.view_stock_movement',
      query: z.object({
        locationId: idQuery.optional(),
        productId: idQuery.optional(),
        reason: z.enum(STOCK_MOVEMENT_REASONS).optional(),
        ...pageQuery,
      }),
      responses: {
        200: { description: 'A page of movements', schema: z.object({ movements: z.array(StockMovementSchema), ...PageFields }) },
      },
    },
    async (c, { query }) => {
      const page = await listStockMovements(c.var.db, query);
      return c.json({ movements: page.items.map(stockMovementJson), total: page.total, limit: page.limit, offset: page.offset });
    },
  );
}
