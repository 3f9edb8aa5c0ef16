import type { MigrationDefinition } from '../types';
import { auth } from './202611230001-auth';
import { sales } from './202611230002-sales';
import { accounting } from './202611230003-accounting';
import { tenantSettings } from './202612070100-tenant-settings';
import { accountingTools } from './202612070200-accounting-tools';
import { userLocations } from './202612070220-user-locations';
import { inventoryValuation } from './202612070240-inventory-valuation';
import { purchasing } from './202612070250-purchasing';
import { catalog } from './202612070260-catalog';
import { creditNotes } from './202612070300-credit-notes';
import { discountsAndQuotes } from './202612070330-discounts-and-quotes';
import { stockBatches } from './202612070400-stock-batches';
import { purchaseTax } from './202612070500-purchase-tax';

/** The tenant database migrations, oldest first. A tenant's schema version is its last applied name. */
export const tenantMigrations: MigrationDefinition[] = [
  auth,
  sales,
  accounting,
  tenantSettings,
  accountingTools,
  userLocations,
  inventoryValuation,
  purchasing,
  catalog,
  creditNotes,
  discountsAndQuotes,
  stockBatches,
  purchaseTax,
];
