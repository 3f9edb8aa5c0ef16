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
import type { TenantApiRoutes } from '../../http/api-routes';
import { CsvImportInputSchema, type CsvImportResult, CsvImportResultSchema } from '@salesfleet/contracts';

interface CsvKind {
  path: string;
  what: string;
  view: PermissionCodename;
  change: PermissionCodename;
  exportCsv: (models: TenantModels) => Promise<string>;
  importCsv: (models: TenantModels, text: string, userId: number) => Promise<CsvImportResult>;
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
        body: CsvImportInputSchema,
        responses: {
          200: { description: 'What was created and updated', schema: CsvImportResultSchema },
          400: { description: 'ValidationFailed: details list every bad row as { path: "<line>.<column>", message }' },
        },
      },
      async (c, { body }) => c.json(await kind.importCsv(c.var.db, body.csv, c.var.user.user.id)),
    );
  }
}
