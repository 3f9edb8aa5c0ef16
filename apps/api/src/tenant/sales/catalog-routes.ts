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
import { partyJson, productJson } from './json';
import {
  CustomerInputSchema,
  CustomerPageSchema,
  CustomerResultSchema,
  idParam,
  ProductInputSchema,
  ProductListQuerySchema,
  ProductPageSchema,
  ProductResultSchema,
  SearchQuerySchema,
} from '@salesfleet/contracts';

/** Customers and products: CRUD with search and pages. */
export function catalogRoutes(routes: TenantApiRoutes): void {
  // ── customers ──
  routes.add(
    {
      method: 'get',
      path: '/customers',
      summary: 'List customers (search name, email or phone; filter active), a page at a time',
      permission: 'sales.view_customer',
      query: SearchQuerySchema,
      responses: { 200: { description: 'A page of customers', schema: CustomerPageSchema } },
    },
    async (c, { query }) => {
      const page = await listCustomers(c.var.db, query);
      return c.json({ customers: page.items.map(partyJson), total: page.total, limit: page.limit, offset: page.offset });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/customers/:id',
      summary: 'One customer',
      permission: 'sales.view_customer',
      params: idParam,
      responses: { 200: { description: 'The customer', schema: CustomerResultSchema }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => c.json({ customer: partyJson(await getCustomer(c.var.db, params.id)) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/customers',
      summary: 'Create a customer',
      permission: 'sales.add_customer',
      body: CustomerInputSchema,
      responses: { 201: { description: 'Created', schema: CustomerResultSchema } },
    },
    async (c, { body }) => c.json({ customer: partyJson(await createCustomer(c.var.db, body)) }, 201),
  );

  routes.add(
    {
      method: 'patch',
      path: '/customers/:id',
      summary: 'Update a customer',
      permission: 'sales.change_customer',
      params: idParam,
      body: CustomerInputSchema.partial(),
      responses: { 200: { description: 'Updated', schema: CustomerResultSchema }, 404: { description: 'NotFound' } },
    },
    async (c, { params, body }) => c.json({ customer: partyJson(await updateCustomer(c.var.db, params.id, body)) }),
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
      query: ProductListQuerySchema,
      responses: { 200: { description: 'A page of products', schema: ProductPageSchema } },
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
      responses: { 200: { description: 'The product', schema: ProductResultSchema }, 404: { description: 'NotFound' } },
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
      body: ProductInputSchema,
      responses: {
        201: { description: 'Created', schema: ProductResultSchema },
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
      body: ProductInputSchema.partial(),
      responses: {
        200: { description: 'Updated', schema: ProductResultSchema },
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
