import { createCategory, createUnit, deleteCategory, listCategories, listUnits, updateCategory } from '@salesfleet/models';
import { z } from 'zod';
import type { TenantApiRoutes } from '../../http/api-routes';
import { boolQuery, idParam } from './schemas';

const iso = (d: Date | string) => new Date(d).toISOString();

export const UnitSchema = z
  .object({ id: z.number().int(), code: z.string(), name: z.string(), decimals: z.number().int().describe('0–3'), isActive: z.boolean() })
  .meta({ id: 'Unit' });
export const CategorySchema = z
  .object({ id: z.number().int(), name: z.string(), isActive: z.boolean(), createdAt: z.string(), updatedAt: z.string() })
  .meta({ id: 'Category' });

const unitJson = (u: { id: number; code: string; name: string; decimals: number; isActive: boolean }) => ({
  id: u.id,
  code: u.code,
  name: u.name,
  decimals: u.decimals,
  isActive: Boolean(u.isActive),
});
const categoryJson = (c: { id: number; name: string; isActive: boolean; createdAt: Date; updatedAt: Date }) => ({
  id: c.id,
  name: c.name,
  isActive: Boolean(c.isActive),
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
});

const CategoryBody = z.object({ name: z.string().trim().min(1).max(100), isActive: z.boolean().optional() }).strict();

/** Units of measure and product categories. */
export function classificationRoutes(routes: TenantApiRoutes): void {
  routes.add(
    {
      method: 'get',
      path: '/units',
      summary: 'Units of measure (how many decimals a quantity in each may have)',
      permission: 'sales.view_unit',
      query: z.object({ active: boolQuery.optional() }),
      responses: { 200: { description: 'Units', schema: z.object({ units: z.array(UnitSchema) }) } },
    },
    async (c, { query }) => c.json({ units: (await listUnits(c.var.db, query)).map(unitJson) }),
  );
  routes.add(
    {
      method: 'post',
      path: '/units',
      summary: 'Add a unit of measure',
      permission: 'sales.add_unit',
      body: z
        .object({
          code: z.string().trim().min(1).max(16),
          name: z.string().trim().min(1).max(50),
          decimals: z.number().int().min(0).max(3),
          isActive: z.boolean().optional(),
        })
        .strict(),
      responses: {
        201: { description: 'Created', schema: z.object({ unit: UnitSchema }) },
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
      query: z.object({ active: boolQuery.optional() }),
      responses: { 200: { description: 'Categories', schema: z.object({ categories: z.array(CategorySchema) }) } },
    },
    async (c, { query }) => c.json({ categories: (await listCategories(c.var.db, query)).map(categoryJson) }),
  );
  routes.add(
    {
      method: 'post',
      path: '/categories',
      summary: 'Add a product category (names unique, ignoring case)',
      permission: 'sales.add_category',
      body: CategoryBody,
      responses: {
        201: { description: 'Created', schema: z.object({ category: CategorySchema }) },
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
      body: CategoryBody.partial(),
      responses: { 200: { description: 'Updated', schema: z.object({ category: CategorySchema }) }, 404: { description: 'NotFound' } },
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
