import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { migrationNames } from '@salesfleet/migrations';
import { HEALTH_HISTORY_DAYS, type FleetJobRecord, type FleetJobTenantRecord } from '@salesfleet/tenancy';
import type { PlatformAdminEnv } from '../../app-env';
import type { PlatformApiRoutes } from '../../http/api-routes';
import type { AppTenancy } from '../../tenancy';
import { tenantSummaryJson } from '../tenants/routes';
import {
  type FleetJob,
  FleetJobDetailQuerySchema,
  FleetJobDetailSchema,
  FleetJobListQuerySchema,
  FleetJobListSchema,
  FleetJobParamSchema,
  FleetJobStartedSchema,
  type FleetJobTenant,
  FleetHealthQuerySchema,
  FleetHealthSchema,
  HealthHistoryQuerySchema,
  HealthHistorySchema,
  NotFound,
  SlugParamSchema,
  StartFleetJobInputSchema,
} from '@salesfleet/contracts';

const actorOf = (c: Context<PlatformAdminEnv>) => `admin:${c.var.admin.admin.username}`;
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function fleetJobJson(j: FleetJobRecord): FleetJob {
  return {
    id: j.id,
    kind: j.kind,
    state: j.state,
    options: j.options,
    actor: j.actor,
    owner: j.owner,
    leaseUntil: iso(j.leaseUntil),
    attempts: j.attempts,
    total: j.total,
    counts: { ...j.counts },
    error: j.error,
    createdAt: j.createdAt.toISOString(),
    updatedAt: j.updatedAt.toISOString(),
    finishedAt: iso(j.finishedAt),
  };
}

function jobTenantJson(t: FleetJobTenantRecord): FleetJobTenant {
  return {
    tenantId: t.tenantId,
    slug: t.slug,
    state: t.state,
    detail: t.detail,
    error: t.error,
    durationMs: t.durationMs,
    finishedAt: iso(t.finishedAt),
  };
}

/** How often a followed job is read again from the registry (it may run in another process). */
const FOLLOW_MS = 500;
/** A comment line now and then keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

/**
 * `/api/platform/jobs…` and `/api/platform/health…`: fleet jobs (migrate, health, backup) started
 * here run in this API process and are recorded in the registry, so any process lists them, shows a
 * job's tenants and streams its progress (server-sent events); fleet health is answered from the
 * registry (each tenant's last check, 30 days of samples) — no tenant database is opened.
 */
export function platformJobRoutes(routes: PlatformApiRoutes, deps: { tenancy: AppTenancy }): PlatformApiRoutes {
  const { tenancy } = deps;
  const { jobs, registry } = tenancy;
  const getJob = async (id: number) => {
    const job = await jobs.get(id);
    if (!job) throw new NotFound('Job', String(id));
    return job;
  };

  routes.add(
    {
      method: 'post',
      path: '/jobs',
      summary: 'Start a fleet job (migrate, health or backup) in this API process; while one of the kind runs anywhere, answer that one',
      description:
        'One job per kind runs at a time across every API process (a registry lock). A second start does not queue a job: it answers the running one with started false (200), so the caller follows it. A job whose process stops is resumed by another process once its lease runs out, with the tenants not done yet.',
      body: StartFleetJobInputSchema,
      responses: {
        202: { description: 'Started; follow GET /api/platform/jobs/{id}/events', schema: FleetJobStartedSchema },
        200: { description: 'A job of this kind was already running: that one', schema: FleetJobStartedSchema },
        409: { description: 'Conflict: the kind is locked but no running job could be read' },
      },
    },
    async (c, { body }) => {
      const { job, started } = await jobs.start(body.kind, body.options, { actor: actorOf(c) });
      c.var.logger.info({ job: job.id, kind: job.kind, started }, started ? 'fleet job started' : 'fleet job already running');
      return c.json({ job: fleetJobJson(job), started }, started ? 202 : 200);
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/jobs',
      summary: 'Fleet jobs, newest first, with their counts per tenant outcome',
      query: FleetJobListQuerySchema,
      responses: { 200: { description: 'Jobs', schema: FleetJobListSchema } },
    },
    async (c, { query }) =>
      c.json({
        jobs: (
          await jobs.list({
            limit: query.limit,
            ...(query.kind ? { kind: query.kind } : {}),
            ...(query.state ? { state: query.state } : {}),
          })
        ).map(fleetJobJson),
      }),
  );

  routes.add(
    {
      method: 'get',
      path: '/jobs/:id',
      summary: "A fleet job with each tenant's outcome (in slug order; filter by state)",
      params: FleetJobParamSchema,
      query: FleetJobDetailQuerySchema,
      responses: { 200: { description: 'The job', schema: FleetJobDetailSchema }, 404: { description: 'NotFound' } },
    },
    async (c, { params, query }) => {
      const job = await getJob(params.id);
      const tenants = await jobs.tenants(job.id, {
        limit: query.limit,
        offset: query.offset,
        ...(query.state ? { state: query.state } : {}),
      });
      return c.json({ job: fleetJobJson(job), tenants: tenants.map(jobTenantJson) });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/jobs/:id/events',
      summary: "Follow a fleet job: server-sent events 'job' (the job with its counts, on every change) until it ends, then 'end'",
      description:
        "Each event's data is a FleetJob as JSON. The stream ends after the event for a finished job; closing it does not stop the job.",
      params: FleetJobParamSchema,
      responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => {
      let job = await getJob(params.id);
      return streamSSE(c, async (stream) => {
        let closed = false;
        stream.onAbort(() => {
          closed = true;
        });
        let last = '';
        let quietSince = Date.now();
        for (;;) {
          const data = JSON.stringify(fleetJobJson(job));
          if (data !== last) {
            await stream.writeSSE({ event: 'job', data, id: `${job.id}:${job.updatedAt.getTime()}:${job.counts.pending}` });
            last = data;
            quietSince = Date.now();
          } else if (Date.now() - quietSince >= KEEPALIVE_MS) {
            await stream.write(': keepalive\n\n');
            quietSince = Date.now();
          }
          if (job.state !== 'running') {
            await stream.writeSSE({ event: 'end', data });
            return;
          }
          await stream.sleep(FOLLOW_MS);
          if (closed) return;
          job = (await jobs.get(job.id)) ?? job;
        }
      });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/health',
      summary: "The fleet's health from the registry: counts over every tenant's last check, and one page of tenants with theirs",
      description: 'No tenant database is opened: the health job (SALESFLEET_HEALTH_INTERVAL) and every check record into the registry.',
      query: FleetHealthQuerySchema,
      responses: { 200: { description: 'Summary and one page of tenants', schema: FleetHealthSchema } },
    },
    async (c, { query }) => {
      const [summary, page, [lastJob]] = await Promise.all([
        registry.healthSummary(migrationNames('tenant').at(-1) ?? null),
        registry.pageTenants({
          limit: query.limit,
          offset: query.offset,
          sort: query.sort,
          direction: query.dir,
          ...(query.q ? { q: query.q } : {}),
          ...(query.status ? { status: query.status } : {}),
          ...(query.engine ? { engine: query.engine } : {}),
          ...(query.server ? { server: query.server } : {}),
        }),
        jobs.list({ kind: 'health', limit: 1 }),
      ]);
      return c.json({
        summary: { ...summary, oldestCheckAt: iso(summary.oldestCheckAt), newestCheckAt: iso(summary.newestCheckAt) },
        tenants: page.tenants.map((t) => tenantSummaryJson(tenancy, t)),
        total: page.total,
        limit: query.limit,
        offset: query.offset,
        lastJob: lastJob ? fleetJobJson(lastJob) : null,
      });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/tenants/:slug/health/history',
      summary: `A tenant's health samples (latency, size, schema, users, errors), oldest first, over the last days (at most ${HEALTH_HISTORY_DAYS})`,
      params: SlugParamSchema,
      query: HealthHistoryQuerySchema,
      responses: { 200: { description: 'Samples', schema: HealthHistorySchema }, 404: { description: 'TenantNotFound' } },
    },
    async (c, { params, query }) => {
      const tenant = await registry.getTenant(params.slug);
      const samples = await registry.healthHistory(tenant.id, { since: new Date(Date.now() - query.days * 86_400_000) });
      return c.json({
        slug: tenant.slug,
        status: tenant.status,
        samples: samples.map((s) => ({ ...s, checkedAt: s.checkedAt.toISOString() })),
      });
    },
  );

  return routes;
}
