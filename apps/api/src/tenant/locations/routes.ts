import { ForeignKeyConstraintError, UniqueConstraintError } from 'sequelize';
import type { TenantModels } from '@salesfleet/models';
import type { TenantApiRoutes } from '../../http/api-routes';
import {
  Conflict,
  CreateLocationInputSchema,
  idParam,
  LimitReached,
  type LocationJson,
  LocationListSchema,
  LocationResultSchema,
  NotFound,
  UpdateLocationInputSchema,
} from '@salesfleet/contracts';

type LocationRow = InstanceType<TenantModels['Location']>;

function locationJson(l: LocationRow): LocationJson {
  return {
    id: l.id,
    code: l.code,
    name: l.name,
    address: l.address ?? null,
    isActive: Boolean(l.isActive),
    createdAt: new Date(l.createdAt).toISOString(),
    updatedAt: new Date(l.updatedAt).toISOString(),
  };
}

async function findLocation(models: TenantModels, id: number): Promise<LocationRow> {
  const row = await models.Location.findByPk(id);
  if (!row) throw new NotFound('Location', id);
  return row;
}

function codeTaken(err: unknown, value: string | undefined): never {
  if (err instanceof UniqueConstraintError) throw new Conflict(`A location with code "${value}" exists`, { field: 'code' });
  throw err;
}

/**
 * Locations (stores, warehouses). A tenant without multi-location keeps exactly one: a second is a
 * 409, and the last active location can be neither deactivated nor deleted.
 */
export function tenantLocationRoutes(routes: TenantApiRoutes): TenantApiRoutes {
  routes.add(
    {
      method: 'get',
      path: '/locations',
      summary: 'List locations',
      permission: 'sales.view_location',
      responses: { 200: { description: 'Locations', schema: LocationListSchema } },
    },
    async (c) => {
      const rows = await c.var.db.Location.findAll({ order: [['code', 'ASC']] });
      return c.json({ locations: rows.map(locationJson) });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/locations/:id',
      summary: 'One location',
      permission: 'sales.view_location',
      params: idParam,
      responses: { 200: { description: 'The location', schema: LocationResultSchema }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => c.json({ location: locationJson(await findLocation(c.var.db, params.id)) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/locations',
      summary: 'Create a location (multi-location workspaces only, once one exists)',
      permission: 'sales.add_location',
      body: CreateLocationInputSchema,
      responses: {
        201: { description: 'Created', schema: LocationResultSchema },
        409: { description: 'LimitReached (single-location workspace), Conflict (code taken)' },
      },
    },
    async (c, { body }) => {
      const models = c.var.db;
      const tenant = c.var.tenant;
      if (!tenant.multiLocation && (await models.Location.count()) >= 1) {
        throw new LimitReached('This workspace has a single location; ask the platform admin to enable multi-location', {
          limit: 'multiLocation',
        });
      }
      const row = await models.Location.create({ code: body.code, name: body.name, address: body.address ?? null }).catch((err: unknown) =>
        codeTaken(err, body.code),
      );
      return c.json({ location: locationJson(row) }, 201);
    },
  );

  routes.add(
    {
      method: 'patch',
      path: '/locations/:id',
      summary: 'Update a location (code, name, address, active)',
      permission: 'sales.change_location',
      params: idParam,
      body: UpdateLocationInputSchema,
      responses: {
        200: { description: 'Updated', schema: LocationResultSchema },
        404: { description: 'NotFound' },
        409: { description: 'Conflict (code taken, last active location)' },
      },
    },
    async (c, { params, body }) => {
      const models = c.var.db;
      const row = await findLocation(models, params.id);
      if (body.isActive === false && row.isActive && (await models.Location.count({ where: { isActive: true } })) <= 1) {
        throw new Conflict('The last active location cannot be deactivated');
      }
      const values: Record<string, unknown> = {};
      for (const key of ['code', 'name', 'address', 'isActive'] as const) if (body[key] !== undefined) values[key] = body[key];
      await row.update(values).catch((err: unknown) => codeTaken(err, body.code));
      return c.json({ location: locationJson(row) });
    },
  );

  routes.add(
    {
      method: 'delete',
      path: '/locations/:id',
      summary: 'Delete a location nothing refers to (otherwise deactivate it)',
      permission: 'sales.delete_location',
      params: idParam,
      responses: {
        204: { description: 'Deleted' },
        404: { description: 'NotFound' },
        409: { description: 'Conflict: in use, or the last location' },
      },
    },
    async (c, { params }) => {
      const models = c.var.db;
      const row = await findLocation(models, params.id);
      if ((await models.Location.count()) <= 1) throw new Conflict('The last location cannot be deleted');
      if (row.isActive && (await models.Location.count({ where: { isActive: true } })) <= 1) {
        throw new Conflict('The last active location cannot be deleted');
      }
      const inUse = await locationInUse(models, row.id);
      if (inUse) throw new Conflict(`Location ${row.code} has ${inUse}; deactivate it instead (PATCH isActive: false)`);
      try {
        await row.destroy();
      } catch (err) {
        if (err instanceof ForeignKeyConstraintError) throw new Conflict(`Location ${row.code} is in use; deactivate it instead`);
        throw err;
      }
      return c.body(null, 204);
    },
  );

  return routes;
}

/** What refers to a location (SQLite does not always enforce foreign keys, so ask explicitly). */
async function locationInUse(models: TenantModels, locationId: number): Promise<string | null> {
  const checks: [string, () => Promise<number>][] = [
    ['invoices', () => models.Invoice.count({ where: { locationId } })],
    ['stock', () => models.StockLevel.count({ where: { locationId } })],
    ['stock movements', () => models.StockMovement.count({ where: { locationId } })],
    ['expenses', () => models.Expense.count({ where: { locationId } })],
  ];
  for (const [what, count] of checks) if ((await count()) > 0) return what;
  return null;
}
