/**
 * The permission list and the default groups, defined in code (the database rows are seeded from
 * here by seedTenant). Codenames follow `<app>.<action>_<model>`, e.g. `sales.add_invoice`.
 */
const ACTIONS = ['view', 'add', 'change', 'delete'] as const;

const MODELS_BY_APP = {
  auth: ['user', 'group', 'permission'],
  sales: [
    'location',
    'customer',
    'product',
    'stock_level',
    'stock_movement',
    'invoice',
    'payment',
    'unit',
    'category',
    'credit_note',
    'quote',
  ],
  accounting: ['account', 'journal_entry', 'expense', 'tax_rate'],
  purchasing: ['supplier', 'purchase_order', 'supplier_bill', 'supplier_payment'],
} as const;

export type PermissionApp = keyof typeof MODELS_BY_APP;

type ModelPermission = {
  [A in PermissionApp]: `${A}.${(typeof ACTIONS)[number]}_${(typeof MODELS_BY_APP)[A][number]}`;
}[PermissionApp];

const SPECIAL_PERMISSIONS = [
  { codename: 'sales.void_invoice', name: 'Can void invoices' },
  { codename: 'sales.give_discount', name: 'Can give discounts on invoices and quotes' },
  { codename: 'sales.adjust_stock', name: 'Can adjust stock' },
  { codename: 'sales.transfer_stock', name: 'Can transfer stock between locations' },
  { codename: 'purchasing.receive_goods', name: 'Can receive goods against purchase orders' },
  { codename: 'accounting.view_reports', name: 'Can view financial reports' },
  { codename: 'auth.manage_users', name: 'Can manage users and their groups' },
  { codename: 'settings.change_settings', name: 'Can change the company settings' },
  { codename: 'accounting.close_period', name: 'Can close accounting periods' },
] as const;

/** Permissions only the Admin group gets by default (Managers get the rest of sales and accounting). */
const ADMIN_ONLY: ReadonlySet<string> = new Set(['accounting.close_period']);

export type PermissionCodename = ModelPermission | (typeof SPECIAL_PERMISSIONS)[number]['codename'];

export interface PermissionDefinition {
  codename: PermissionCodename;
  name: string;
}

function humanise(model: string): string {
  return model.replace(/_/g, ' ');
}

/** Every permission of a tenant, in a stable order. */
export const PERMISSIONS: readonly PermissionDefinition[] = Object.freeze([
  ...(Object.keys(MODELS_BY_APP) as PermissionApp[]).flatMap((app) =>
    MODELS_BY_APP[app].flatMap((model) =>
      ACTIONS.map((action) => ({
        codename: `${app}.${action}_${model}` as PermissionCodename,
        name: `Can ${action} ${humanise(model)}`,
      })),
    ),
  ),
  ...SPECIAL_PERMISSIONS,
]);

export function permissionApp(codename: string): string {
  return codename.slice(0, codename.indexOf('.'));
}

export type DefaultGroupName = 'Admin' | 'Managers' | 'Cashiers';

export interface GroupDefinition {
  name: DefaultGroupName;
  permissions: readonly PermissionCodename[];
}

const all = PERMISSIONS.map((p) => p.codename);

/** Admin: everything. Managers: sales, purchasing and accounting, and seeing users. Cashiers: the till. */
export const DEFAULT_GROUPS: readonly GroupDefinition[] = Object.freeze([
  { name: 'Admin', permissions: all },
  {
    name: 'Managers',
    permissions: [
      ...all.filter((c) => ['sales', 'accounting', 'purchasing'].includes(permissionApp(c)) && !ADMIN_ONLY.has(c)),
      'auth.view_user',
    ],
  },
  {
    name: 'Cashiers',
    permissions: [
      'sales.view_product',
      'sales.view_customer',
      'sales.add_customer',
      'sales.view_invoice',
      'sales.add_invoice',
      'sales.view_payment',
      'sales.add_payment',
      'sales.view_location',
      'sales.view_unit',
      'sales.view_category',
    ],
  },
]);
