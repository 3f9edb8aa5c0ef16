import {
  ExpiringStockQuerySchema,
  ExpiringStockResultSchema,
  StockAdjustedSchema,
  StockAdjustmentInputSchema,
  StockBatchListQuerySchema,
  StockBatchPageSchema,
  type StockBatchJson,
  StockLevelPageSchema,
  StockLevelQuerySchema,
  StockMovementPageSchema,
  StockMovementQuerySchema,
  StockTransferInputSchema,
  StockTransferredSchema,
} from '@salesfleet/contracts';
import {
  adjustStock,
  expiringStock,
  listStockBatches,
  listStockLevels,
  listStockMovements,
  quantityNumber,
  transferStock,
  type StockBatch,
} from '@salesfleet/models';
import type { TenantApiRoutes } from '../../http/api-routes';
import { stockLevelJson, stockMovementJson } from './json';

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
      query: StockLevelQuerySchema,
      responses: { 200: { description: 'A page of stock levels', schema: StockLevelPageSchema } },
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
      query: StockBatchListQuerySchema,
      responses: { 200: { description: 'A page of batches', schema: StockBatchPageSchema } },
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
      responses: { 200: { description: 'Batches by expiry date, soonest first', schema: ExpiringStockResultSchema } },
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
      body: StockAdjustmentInputSchema,
      responses: {
        201: {
          description: 'The movement, the units now on hand at the location and the value moved in or out of Inventory',
          schema: StockAdjustedSchema,
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
      body: StockTransferInputSchema,
      responses: {
        201: {
          description: 'The two movements and the units now at each location',
          schema: StockTransferredSchema,
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
      query: StockMovementQuerySchema,
      responses: {
        200: { description: 'A page of movements', schema: StockMovementPageSchema },
      },
    },
    async (c, { query }) => {
      const page = await listStockMovements(c.var.db, query);
      return c.json({ movements: page.items.map(stockMovementJson), total: page.total, limit: page.limit, offset: page.offset });
    },
  );
}
