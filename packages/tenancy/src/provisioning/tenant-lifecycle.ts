import type { TenantRecord } from '../registry/records';
import type { TenantPatch } from '../registry/registry';
import { parseDate, type ProvisioningContext } from './context';
import { withOperation } from './operation';
import type { ActorOptions, TenantUpdate } from './types';
import { Conflict, EMAIL_MESSAGE, isEmail, normalizeEmail, ValidationFailed } from '@salesfleet/contracts';

export async function suspendTenant(
  ctx: ProvisioningContext,
  slug: string,
  options: ActorOptions & { reason?: string | null },
): Promise<TenantRecord> {
  const tenant = await ctx.registry.getTenant(slug);
  if (tenant.status !== 'active' && tenant.status !== 'suspended') {
    throw new Conflict(`Tenant "${slug}" is ${tenant.status}; only active tenants can be suspended`);
  }
  const reason = options.reason?.trim().slice(0, 500) || null;
  // Refuse new requests, apply, then wait for the in-flight ones: when this returns nobody writes.
  ctx.connections.fence(tenant.id, 'suspended');
  try {
    const suspended = await changeTenant(
      ctx,
      'suspend-tenant',
      tenant,
      options.actor,
      { status: 'suspended', suspendedReason: reason },
      { reason },
    );
    await ctx.connections.evict(tenant.id);
    return suspended;
  } finally {
    ctx.connections.unfence(tenant.id);
  }
}

export async function resumeTenant(ctx: ProvisioningContext, slug: string, options: ActorOptions): Promise<TenantRecord> {
  const tenant = await ctx.registry.getTenant(slug);
  if (tenant.status !== 'suspended' && tenant.status !== 'active') {
    throw new Conflict(`Tenant "${slug}" is ${tenant.status}; only suspended tenants can be resumed`);
  }
  return changeTenant(ctx, 'resume-tenant', tenant, options.actor, { status: 'active', suspendedReason: null }, {});
}

/** Changes name, admin email, limits and billing dates. `expectedVersion` makes it optimistic. */
export async function updateTenant(
  ctx: ProvisioningContext,
  slug: string,
  update: TenantUpdate,
  options: ActorOptions & { expectedVersion?: number },
): Promise<TenantRecord> {
  const tenant = await ctx.registry.getTenant(slug);
  const problems: { path: string; message: string }[] = [];
  const patch: TenantPatch = {};
  if (update.name !== undefined) {
    const name = String(update.name).trim();
    if (name.length === 0 || name.length > 200) problems.push({ path: 'name', message: 'must be 1–200 characters' });
    patch.name = name;
  }
  if (update.adminEmail !== undefined) {
    const email = normalizeEmail(String(update.adminEmail));
    if (!isEmail(email)) problems.push({ path: 'adminEmail', message: EMAIL_MESSAGE });
    patch.adminEmail = email;
  }
  if (update.maxUsers !== undefined) {
    if (!Number.isInteger(update.maxUsers) || update.maxUsers < 1)
      problems.push({ path: 'maxUsers', message: 'must be a whole number from 1' });
    patch.maxUsers = update.maxUsers;
  }
  if (update.multiLocation !== undefined) patch.multiLocation = update.multiLocation === true;
  if (update.trialEndsAt !== undefined) patch.trialEndsAt = parseDate(update.trialEndsAt, 'trialEndsAt', problems);
  if (update.paidUntil !== undefined) patch.paidUntil = parseDate(update.paidUntil, 'paidUntil', problems);
  if (problems.length)
    throw new ValidationFailed(`Invalid tenant update: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
  return changeTenant(ctx, 'update-tenant', tenant, options.actor, patch, { ...patch }, options.expectedVersion);
}

function changeTenant(
  ctx: ProvisioningContext,
  action: string,
  tenant: TenantRecord,
  actor: string,
  patch: TenantPatch,
  details: Record<string, unknown>,
  expectedVersion?: number,
): Promise<TenantRecord> {
  return withOperation(
    ctx.operations,
    action,
    { actor, tenantId: tenant.id, tenantSlug: tenant.slug, details },
    () => ctx.registry.updateTenant(tenant.id, patch, expectedVersion === undefined ? {} : { expectedVersion }),
    (updated) => ({ version: updated.version }),
  );
}
