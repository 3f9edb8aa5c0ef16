import {
  ActiveQuerySchema,
  CategoryInputSchema,
  type CategoryJson,
  CategoryListSchema,
  CategoryResultSchema,
  idParam,
  UnitInputSchema,
  type UnitJson,
  UnitListSchema,
  UnitResultSchema,
} from '@salesfleet/contracts';
import { createCategory, createUnit, deleteCategory, listCategories, listUnits, updateCategory } from '@salesfleet/models';
import type { TenantApiRoutes } from '../../http/api-routes';
import { iso } from './json';

const unitJson = (u: { id: number; code: string; name: string; decimals: number; isActive: boolean }): UnitJson => ({
  id: u.id,
  code: u.code,
  name: u.name,
  decimals: u.decimals,
  isActive: Boolean(u.isActive),
});
const categoryJson = (c: { id: number; name: string; isActive: boolean; createdAt: Date; updatedAt: Date }): CategoryJson => ({
  id: c.id,
  name: c.name,
  isActive: Boolean(c.isActive),
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
});

/** Units of measure and product categories. */
export function classificationRoutes(routes: TenantApiRoutes): void {
  routes.add(
    {
      method: 'get',
      path: '/units',
      summary: 'Units of measure (how many decimals a quantity in each may have)',
      permission: 'sales.view_unit',
      query: ActiveQuerySchema,
      responses: { 200: { description: 'Units', schema: UnitListSchema } },
    },
    async (c, { query }) => c.json({ units: (await listUnits(c.var.db, query)).map(unitJson) }),
  );
  routes.add(
    {
      method: 'post',
      path: '/units',
      summary: 'Add a unit of measure',
      permission: 'sales.add_unit',
      body: UnitInputSchema,
      responses: {
        201: { description: 'Created', schema: UnitResultSchema },
        409: { description: 'Conflict: the code exists' },
      },
    },
    async (c, { body }) => c.json({ unit: unitJson(await createUnit(c.var.db, body)) }, 201),
  );
  routes.add(
    {
      method: 'get',
      path: '/categories',
      summary: 'Product categories by name',
      permission: 'sales.view_category',
      query: ActiveQuerySchema,
      responses: { 200: { description: 'Categories', schema: CategoryListSchema } },
    },
    async (c, { query }) => c.json({ categories: (await listCategories(c.var.db, query)).map(categoryJson) }),
  );
  routes.add(
    {
      method: 'post',
      path: '/categories',
      summary: 'Add a product category (names unique, ignoring case)',
      permission: 'sales.add_category',
      body: CategoryInputSchema,
      responses: {
        201: { description: 'Created', schema: CategoryResultSchema },
        409: { description: 'Conflict: the name exists' },
      },
    },
    async (c, { body }) => c.json({ category: categoryJson(await createCategory(c.var.db, body)) }, 201),
  );
  routes.add(
    {
      method: 'patch',
      path: '/categories/:id',
      summary: 'Rename or (de)activate a category',
      permission: 'sales.change_category',
      params: idParam,
      body: CategoryInputSchema.partial(),
      responses: { 200: { description: 'Updated', schema: CategoryResultSchema }, 404: { description: 'NotFound' } },
    },
    async (c, { params, body }) => c.json({ category: categoryJson(await updateCategory(c.var.db, params.id, body)) }),
  );
  routes.add(
    {
      method: 'delete',
      path: '/categories/:id',
      summary: 'Delete a category no product is in (409 otherwise)',
      permission: 'sales.delete_category',
      params: idParam,
      responses: { 204: { description: 'Deleted' }, 404: { description: 'NotFound' }, 409: { description: 'Conflict: in use' } },
    },
    async (c, { params }) => {
      await deleteCategory(c.var.db, params.id);
      return c.body(null, 204);
    },
  );
}
