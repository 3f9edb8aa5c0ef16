import type { TenantRouteMount } from '../domain-routes';
import { purchasingRoutes } from './routes';

/** The purchasing area of the tenant API: suppliers, purchase orders and receipts, supplier bills and payments. */
export const purchasingArea: TenantRouteMount = (routes) => {
  purchasingRoutes(routes);
};
