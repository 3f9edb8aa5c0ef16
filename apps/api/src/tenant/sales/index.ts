import type { TenantRouteMount } from '../domain-routes';
import { catalogRoutes } from './catalog-routes';
import { creditNoteRoutes } from './credit-note-routes';
import { classificationRoutes } from './classification-routes';
import { csvRoutes } from './csv-routes';
import { invoiceRoutes } from './invoice-routes';
import { quoteRoutes } from './quote-routes';
import { stockRoutes } from './stock-routes';

/** The sales area of the tenant API: customers, products, stock, invoices, payments. */
export const salesRoutes: TenantRouteMount = (routes) => {
  catalogRoutes(routes);
  classificationRoutes(routes);
  csvRoutes(routes);
  stockRoutes(routes);
  invoiceRoutes(routes);
  creditNoteRoutes(routes);
  quoteRoutes(routes);
};
