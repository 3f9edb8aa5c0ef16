import {
  exportCustomersCsv,
  exportProductsCsv,
  exportSuppliersCsv,
  importCustomersCsv,
  importProductsCsv,
  importSuppliersCsv,
  type PermissionCodename,
  type TenantModels,
} from '@salesfleet/models';
import { z } from 'zod';
import type { TenantApiRoutes } from '../../http/api-routes';

const ImportBody = z.object({ csv: z.string().min(1).max(900_000).describe('the whole file, UTF-8, header row first') }).strict();
const ImportResultSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  openingStock: z.number().int().describe('stock levels opened (products × locations)'),
});

interface CsvKind {
  path: string;
  what: string;
  view: PermissionCodename;
  change: PermissionCodename;
  exportCsv: (models: TenantModels) => Promise<string>;
  importCsv: (models: TenantModels, text: string, userId: number) => Promise<z.infer<typeof ImportResultSchema>>;
  key: string;
}

const KINDS: CsvKind[] = [
  {
    path: 'products',
    what: 'products with their stock per location (stock_<LOCATION> columns)',
    view: 'sales.view_product',
    // Importing creates and changes products and opens stock (posted to the ledger): a manager's right.
    change: 'sales.adjust_stock',
    exportCsv: exportProductsCsv,
    importCsv: (models, text, userId) => importProductsCsv(models, text, userId),
    key: 'SKU',
  },
  {
    path: 'customers',
    what: 'customers',
    view: 'sales.change_customer',
    change: 'sales.change_customer',
    exportCsv: exportCustomersCsv,
    importCsv: (models, text) => importCustomersCsv(models, text),
    key: 'email (name when a row has none)',
  },
  {
    path: 'suppliers',
    what: 'suppliers',
    view: 'purchasing.view_supplier',
    change: 'purchasing.change_supplier',
    exportCsv: exportSuppliersCsv,
    importCsv: (models, text) => importSuppliersCsv(models, text),
    key: 'email (name when a row has none)',
  },
];

/** CSV export and import of products, customers and suppliers. */
export function csvRoutes(routes: TenantApiRoutes): void {
  for (const kind of KINDS) {
    routes.add(
      {
        method: 'get',
        path: `/csv/${kind.path}`,
        summary: `Export ${kind.what} as CSV`,
        permission: kind.view,
        responses: { 200: { description: 'The CSV file', contentType: 'text/csv' } },
      },
      async (c) => {
        const text = await kind.exportCsv(c.var.db);
        return c.body(text, 200, {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="${kind.path}.csv"`,
        });
      },
    );
    routes.add(
      {
        method: 'post',
        path: `/csv/${kind.path}`,
        summary: `Import ${kind.what} from CSV: every row is checked first, nothing is imported if one is bad; matched by ${kind.key}, so a second import changes nothing`,
        permission: kind.change,
        body: ImportBody,
        responses: {
          200: { description: 'What was created and updated', schema: ImportResultSchema },
          400: { description: 'ValidationFailed: details list every bad row as { path: "<line>.<column>", message }' },
        },
      },
      async (c, { body }) => c.json(await kind.importCsv(c.var.db, body.csv, c.var.user.user.id)),
    );
  }
}
