import type { Tenancy, TenantRecord } from '@salesfleet/tenancy';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * Where a tenant's database lives, printable: built from the registry row without decrypting its
 * password (so a wrong SALESFLEET_SECRET_KEY cannot break a listing), password shown as `***`.
 */
export function describeTenantDatabase(tenant: TenantRecord): string {
  const { db } = tenant;
  if (db.engine === 'sqlite') return `sqlite:${db.name}`;
  const auth = db.user ? `${encodeURIComponent(db.user)}${db.passwordEncrypted ? ':***' : ''}@` : '';
  const host = db.host?.includes(':') ? `[${db.host}]` : db.host;
  return `${db.engine}://${auth}${host}:${db.port}/${encodeURIComponent(db.name)}`;
}

/** Where a tenant's URL comes from: the open tenancy, or its configuration (`tenantUrl(config, slug)`). */
export type TenantUrls = Pick<Tenancy, 'tenantUrl'>;

/** A tenant as the CLI prints it with `--json` (the API's TenantSummary fields, plus the database). */
export function tenantJson(tenancy: TenantUrls, tenant: TenantRecord) {
  return {
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    status: tenant.status,
    suspendedReason: tenant.suspendedReason,
    engine: tenant.db.engine,
    database: describeTenantDatabase(tenant),
    managedDatabase: tenant.db.managed,
    adminEmail: tenant.adminEmail,
    url: tenancy.tenantUrl(tenant.slug),
    maxUsers: tenant.maxUsers,
    multiLocation: tenant.multiLocation,
    schemaVersion: tenant.schemaVersion,
    trialEndsAt: iso(tenant.trialEndsAt),
    paidUntil: iso(tenant.paidUntil),
    createdAt: iso(tenant.createdAt),
    updatedAt: iso(tenant.updatedAt),
  };
}
