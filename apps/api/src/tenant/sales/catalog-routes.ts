import { z } from 'zod';
import {
  createCustomer,
  createProduct,
  deleteCustomer,
  deleteProduct,
  getCustomer,
  getProduct,
  listCustomers,
  listProducts,
  stockByProduct,
  updateCustomer,
  updateProduct,
} from '@salesfleet/models';
import type { TenantApiRoutes } from '../../http/api-routes';
import {
  boolQuery,
  CustomerSchema,
  customerJson,
  id,
  idParam,
  idQuery,
  pageQuery,
  PageFields,
  ProductSchema,
  productJson,
} from './schemas';
import { emailSchema } from '@salesfleet/contracts';

const text = (max: number) => z.string().trim().min(1, 'required').max(max, `at most ${max} characters`);
const optionalText = (max: number) => z.string().trim().max(max, `at most ${max} characters`).nullable().optional();
const price = z.number().int('integer cents').min(0).max(2_147_483_647);

const CustomerBody = z
  .object({
    name: text(200),
    email: emailSchema.nullable().optional(),
    phone: optionalText(50),
    taxNumber: optionalText(50),
    address: optionalText(2000),
    isActive: z.boolean().optional(),
  })
  .strict();

const ProductBody = z
  .object({
    sku: text(64).regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'letters, digits and . _ / - (starting with a letter or digit)'),
    name: text(200),
    description: optionalText(5000),
    unitPrice: price.describe('cents per unit, before tax'),
    costPrice: price
      .nullable()
      .optional()
      .describe('cents per unit: the cost of new stock while none is on hand (then the moving average)'),
    unitId: id.nullable().optional().describe('unit of measure (GET /api/units); null = whole units'),
    categoryId: id.nullable().optional().describe('GET /api/categories'),
    barcode: z
      .string()
      .trim()
      .max(64)
      .regex(/^[A-Za-z0-9-]*$/, 'letters, digits and -')
      .nullable()
      .optional()
      .describe('unique when set'),
    taxRateId: id.nullable().optional().describe('omit for the standard rate, null for untaxed'),
    allowNegativeStock: z.boolean().optional(),
    trackBatches: z
      .boolean()
      .optional()
      .describe('keep stock in batches with expiry dates, sold first-expiry-first-out; chosen while the product has no stock'),
    isActive: z.boolean().optional(),
  })
  .strict();

const SearchQuery = z.object({
  q: z.string().trim().max(100).optional().describe('case-insensitive "contains"'),
  active: boolQuery.optional(),
  ...pageQuery,
});

/** Customers and products: CRUD with search and pages. */
export function catalogRoutes(routes: TenantApiRoutes): void {
  // ── customers ──
  routes.add(
    {
      method: 'get',
      path: '/customers',
      summary: 'List customers (search name, email or phone; filter active), a page at a time',
      permission: 'sales.view_customer',
      query: SearchQuery,
      responses: { 200: { description: 'A page of customers', schema: z.object({ customers: z.array(CustomerSchema), ...PageFields }) } },
    },
    async (c, { query }) => {
      const page = await listCustomers(c.var.db, query);
      return c.json({ customers: page.items.map(customerJson), total: page.total, limit: page.limit, offset: page.offset });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/customers/:id',
      summary: 'One customer',
      permission: 'sales.view_customer',
      params: idParam,
      responses: { 200: { description: 'The customer', schema: z.object({ customer: CustomerSchema }) }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => c.json({ customer: customerJson(await getCustomer(c.var.db, params.id)) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/customers',
      summary: 'Create a customer',
      permission: 'sales.add_customer',
      body: CustomerBody,
      responses: { 201: { description: 'Created', schema: z.object({ customer: CustomerSchema }) } },
    },
    async (c, { body }) => c.json({ customer: customerJson(await createCustomer(c.var.db, body)) }, 201),
  );

  routes.add(
    {
      method: 'patch',
      path: '/customers/:id',
      summary: 'Update a customer',
      permission: 'sales.change_customer',
      params: idParam,
      body: CustomerBody.partial(),
      responses: { 200: { description: 'Updated', schema: z.object({ customer: CustomerSchema }) }, 404: { description: 'NotFound' } },
    },
    async (c, { params, body }) => c.json({ customer: customerJson(await updateCustomer(c.var.db, params.id, body)) }),
  );

  routes.add(
    {
      method: 'delete',
      path: '/customers/:id',
      summary: 'Delete a customer (their invoices stay, without a customer)',
      permission: 'sales.delete_customer',
      params: idParam,
      responses: { 204: { description: 'Deleted' }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => {
      await deleteCustomer(c.var.db, params.id);
      return c.body(null, 204);
    },
  );

  // ── products ──
  routes.add(
    {
      method: 'get',
      path: '/products',
      summary: 'List products (search name, SKU or barcode; filter active, category; look up one barcode), with stock per location',
      permission: 'sales.view_product',
      query: SearchQuery.extend({
        locationId: idQuery.optional().describe('only the stock of this location'),
        barcode: z.string().trim().min(1).max(64).optional().describe('exactly this barcode: the till’s scan lookup (0 or 1 product)'),
        categoryId: idQuery.optional(),
      }),
      responses: { 200: { description: 'A page of products', schema: z.object({ products: z.array(ProductSchema), ...PageFields }) } },
    },
    async (c, { query }) => {
      const models = c.var.db;
      const page = await listProducts(models, query);
      const stock = await stockByProduct(
        models,
        page.items.map((p) => p.id),
        query.locationId,
      );
      return c.json({
        products: page.items.map((p) => productJson(p, stock.get(p.id) ?? [])),
        total: page.total,
        limit: page.limit,
        offset: page.offset,
      });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/products/:id',
      summary: 'One product with its stock per location',
      permission: 'sales.view_product',
      params: idParam,
      responses: { 200: { description: 'The product', schema: z.object({ product: ProductSchema }) }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => {
      const models = c.var.db;
      const product = await getProduct(models, params.id);
      return c.json({ product: productJson(product, (await stockByProduct(models, [product.id])).get(product.id) ?? []) });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/products',
      summary: 'Create a product (SKU unique, ignoring case)',
      permission: 'sales.add_product',
      body: ProductBody,
      responses: {
        201: { description: 'Created', schema: z.object({ product: ProductSchema }) },
        409: { description: 'Conflict: SKU taken' },
      },
    },
    async (c, { body }) => c.json({ product: productJson(await createProduct(c.var.db, body), []) }, 201),
  );

  routes.add(
    {
      method: 'patch',
      path: '/products/:id',
      summary: 'Update a product',
      permission: 'sales.change_product',
      params: idParam,
      body: ProductBody.partial(),
      responses: {
        200: { description: 'Updated', schema: z.object({ product: ProductSchema }) },
        404: { description: 'NotFound' },
        409: { description: 'Conflict: SKU taken' },
      },
    },
    async (c, { params, body }) => {
      const models = c.var.db;
      const product = await updateProduct(models, params.id, body);
      return c.json({ product: productJson(product, (await stockByProduct(models, [product.id])).get(product.id) ?? []) });
    },
  );

  routes.add(
    {
      method: 'delete',
      path: '/products/:id',
      summary: 'Delete a product never sold nor moved (otherwise deactivate it)',
      permission: 'sales.delete_product',
      params: idParam,
      responses: { 204: { description: 'Deleted' }, 404: { description: 'NotFound' }, 409: { description: 'Conflict: in use' } },
    },
    async (c, { params }) => {
      await deleteProduct(c.var.db, params.id);
      return c.body(null, 204);
    },
  );
}
