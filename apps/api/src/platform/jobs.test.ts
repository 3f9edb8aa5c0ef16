import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationNames } from '@salesfleet/migrations';
import { FleetJobSchema } from '@salesfleet/contracts';
import { createTestApp, jsonApi, type TestApp } from '../testing';

let t: TestApp;
let token: string;
const slugs: string[] = [];
const api = jsonApi(() => ({ t, host: 'localhost', token }));

beforeAll(async () => {
  t = await createTestApp();
  token = await t.platformLogin();
  for (let i = 0; i < 2; i++) slugs.push((await t.createTenant()).slug);
}, 120_000);

afterAll(async () => {
  await t.cleanup();
});

/** Reads a job's event stream to its end: the events in order. */
async function follow(id: number): Promise<{ event: string; data: ReturnType<typeof FleetJobSchema.parse> }[]> {
  const res = await t.request('localhost', `/api/platform/jobs/${id}/events`, { token });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.includes('event:'))
    .map((block) => {
      const event = /^event: (.+)$/m.exec(block)![1]!;
      const data = FleetJobSchema.parse(JSON.parse(/^data: (.+)$/m.exec(block)![1]!));
      return { event, data };
    });
}

describe('platform fleet jobs', () => {
  it('refuses without a session (401) and while the password must be changed (403)', async () => {
    for (const [method, path] of [
      ['GET', '/platform/jobs'],
      ['POST', '/platform/jobs'],
      ['GET', '/platform/jobs/1'],
      ['GET', '/platform/jobs/1/events'],
      ['GET', '/platform/health'],
      ['GET', `/platform/tenants/${slugs[0]}/health/history`],
    ] as const) {
      const res = await api.call(method, path, { token: null, ...(method === 'POST' ? { json: { kind: 'health' } } : {}) });
      expect(res.status, path).toBe(401);
    }
    const pending = await t.platformLogin({ mustChangePassword: true });
    expect((await api.post('/platform/jobs', { kind: 'health' }, pending)).status).toBe(403);
    expect((await api.get('/platform/jobs', pending)).status).toBe(403);
    expect((await api.get('/platform/health', pending)).status).toBe(403);
  });

  it('validates the start with field-level details', async () => {
    for (const body of [{ kind: 'drop' }, {}, { kind: 'migrate', options: { concurrency: 99 } }, { kind: 'health', extra: 1 }]) {
      const res = await api.post('/platform/jobs', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('ValidationFailed');
    }
    expect((await api.get('/platform/jobs?kind=nope')).status).toBe(400);
    expect((await api.get('/platform/jobs/999999')).status).toBe(404);
    expect((await api.get('/platform/jobs/abc')).status).toBe(404);
  });

  it('starts a health job, streams its progress to the end, and records every tenant and a history sample', async () => {
    const start = await api.post('/platform/jobs', { kind: 'health', options: { concurrency: 2 } });
    expect(start.status).toBe(202);
    expect(start.body).toMatchObject({ started: true, job: { kind: 'health', actor: expect.stringMatching(/^admin:/), total: 2 } });
    const id = start.body.job.id as number;
    const events = await follow(id);
    expect(events.at(-1)!.event).toBe('end');
    expect(events.at(-1)!.data).toMatchObject({ id, state: 'succeeded', counts: { done: 2, pending: 0, failed: 0 } });
    expect(events.filter((e) => e.event === 'job').length).toBeGreaterThanOrEqual(1);

    const detail = await api.get(`/platform/jobs/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.tenants.map((x: { slug: string }) => x.slug)).toEqual([...slugs].sort());
    expect(detail.body.tenants.every((x: { state: string }) => x.state === 'done')).toBe(true);
    const list = await api.get('/platform/jobs?kind=health');
    expect(list.body.jobs[0]).toMatchObject({ id, state: 'succeeded' });

    const history = await api.get(`/platform/tenants/${slugs[0]}/health/history?days=1`);
    expect(history.status).toBe(200);
    // The check at creation and the job's.
    expect(history.body.samples.length).toBe(2);
    expect(history.body.samples.at(-1)).toMatchObject({ reachable: true, schemaVersion: migrationNames('tenant').at(-1), userCount: 1 });
    expect((await api.get(`/platform/tenants/${slugs[0]}/health/history?days=0`)).status).toBe(400);
    expect((await api.get('/platform/tenants/nobody-here/health/history')).status).toBe(404);
  }, 60_000);

  it('answers fleet health from the registry without opening any tenant database', async () => {
    const before = t.tenancy.connections.stats();
    const res = await api.get('/platform/health?limit=1&sort=slug');
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({ tenants: 2, checked: 2, reachable: 2, unreachable: 0, behindSchema: 0 });
    expect(res.body.summary.sizeBytes).toBeGreaterThan(0);
    expect(res.body).toMatchObject({ total: 2, limit: 1, offset: 0, lastJob: { kind: 'health', state: 'succeeded' } });
    expect(res.body.tenants).toHaveLength(1);
    expect(res.body.tenants[0]).toMatchObject({ slug: [...slugs].sort()[0], health: { reachable: true } });
    const after = t.tenancy.connections.stats();
    expect(after.misses).toBe(before.misses);
    expect(after.hits).toBe(before.hits);
  });

  it('a migrate job with nothing to apply records every tenant as up to date', async () => {
    const start = await api.post('/platform/jobs', { kind: 'migrate', options: {} });
    expect([200, 202]).toContain(start.status);
    const events = await follow(start.body.job.id);
    expect(events.at(-1)!.data).toMatchObject({ kind: 'migrate', state: 'succeeded', counts: { skipped: 2, done: 0 } });
  }, 60_000);
});
