import { z } from 'zod';
import {
  ADJUSTMENT_REASONS,
  adjustStock,
  listStockLevels,
  listStockMovements,
  MAX_QUANTITY,
  STOCK_MOVEMENT_REASONS,
} from '@salesfleet/models';
import type { ApiRoutes } from '../../http/api-routes';
import { id, idQuery, pageQuery, PageFields, StockLevelSchema, stockLevelJson, StockMovementSchema, stockMovementJson } from './schemas';

const AdjustmentBody = z
  .object({
    productId: id,
    locationId: id,
    quantity: z
      .number()
      .int()
      .min(-MAX_QUANTITY)
      .max(MAX_QUANTITY)
      .refine((q) => q !== 0, 'not zero')
      .describe('signed: positive adds units, negative removes them'),
    reason: z.enum(ADJUSTMENT_REASONS).optional().describe('adjustment (default) or receipt (goods received)'),
    note: z.string().trim().max(100).nullable().optional().describe('why, in a few words'),
  })
  .strict();

/** Stock per location, stock adjustments, stock movements. */
export function stockRoutes(routes: ApiRoutes): void {
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
      const page = await listStockLevels(c.var.db!, query);
      return c.json({ stock: page.items.map(stockLevelJson), total: page.total, limit: page.limit, offset: page.offset });
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
          description: 'The movement and the units now on hand',
          schema: z.object({ movement: StockMovementSchema, quantity: z.number().int() }),
        },
        409: { description: 'InsufficientStock: would go below zero (details.shortages)' },
      },
    },
    async (c, { body }) => {
      const result = await adjustStock(c.var.db!, { ...body, userId: c.var.user!.user.id });
      return c.json({ movement: stockMovementJson(result.movement), quantity: result.quantity }, 201);
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
      const page = await listStockMovements(c.var.db!, query);
      return c.json({ movements: page.items.map(stockMovementJson), total: page.total, limit: page.limit, offset: page.offset });
    },
  );
}
