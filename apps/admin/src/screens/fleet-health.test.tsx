import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FleetHealth, FleetJob } from '@salesfleet/contracts';
import { fakeApi, renderApp, signedInAdmin, tenantSummary } from '../test/render';

const summary: FleetHealth['summary'] = {
  tenants: 3,
  checked: 3,
  reachable: 2,
  unreachable: 1,
  behindSchema: 1,
  sizeBytes: 3_000_000,
  averageLatencyMs: 2.5,
  oldestCheckAt: new Date().toISOString(),
  newestCheckAt: new Date().toISOString(),
};

function job(overrides: Partial<FleetJob> = {}): FleetJob {
  const now = new Date().toISOString();
  return {
    id: 7,
    kind: 'migrate',
    state: 'running',
    options: {},
    actor: 'admin:root',
    owner: 'host:1:ab',
    leaseUntil: now,
    attempts: 1,
    total: 3,
    counts: { pending: 3, done: 0, skipped: 0, failed: 0 },
    error: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    ...overrides,
  };
}

/** The browser's EventSource, as the console uses it: the test plays the server's events. */
class FakeEventSource {
  static last: FakeEventSource | null = null;
  readonly listeners = new Map<string, ((e: MessageEvent<string>) => void)[]>();
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, fn: (e: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data: unknown) {
    for (const fn of this.listeners.get(type) ?? []) fn(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
}

function health(lastJob: FleetJob | null = null): FleetHealth {
  return {
    summary,
    tenants: [
      tenantSummary({
        slug: 'zulu',
        health: { reachable: false, latencyMs: null, sizeBytes: null, error: 'database file missing', checkedAt: summary.newestCheckAt! },
      }),
      tenantSummary({ slug: 'mike', pendingMigrations: 1 }),
      tenantSummary({ slug: 'alpha' }),
    ],
    total: 3,
    limit: 50,
    offset: 0,
    lastJob,
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('fleet health', () => {
  it('shows the summary and the tenants as the registry recorded them, failures first, and checks no tenant itself', async () => {
    const api = fakeApi({
      'GET /auth/me': { body: { admin: signedInAdmin } },
      'GET /health': { body: health() },
      'GET /jobs': { body: { jobs: [] } },
    });
    renderApp('/health');
    const table = await screen.findByRole('table');
    expect(
      within(table)
        .getAllByRole('rowheader')
        .map((cell) => cell.textContent),
    ).toEqual(['zulu', 'mike', 'alpha']);
    expect(screen.getByText('database file missing')).toBeTruthy();
    const items = within(screen.getByRole('list', { name: 'Summary' }))
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items).toContain('1 failing');
    expect(items).toContain('1 with pending migrations');
    expect(api.calls('GET', '/health')[0]!.query.get('sort')).toBe('health');
    expect(api.requests.some((r) => /^\/tenants\/[^/]+\/(health|migrate)$/.test(r.path))).toBe(false);
  });

  it('"Migrate all" starts one job in the server and follows it live to the end', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const api = fakeApi({
      'GET /auth/me': { body: { admin: signedInAdmin } },
      'GET /health': { body: health() },
      'GET /jobs': { body: { jobs: [] } },
      'POST /jobs': { status: 202, body: { job: job(), started: true } },
      'GET /jobs/7': {
        body: {
          job: job({ state: 'failed' }),
          tenants: [
            { tenantId: 1, slug: 'zulu', state: 'failed', detail: {}, error: 'database file missing', durationMs: 3, finishedAt: null },
          ],
        },
      },
    });
    const user = userEvent.setup();
    renderApp('/health');
    await user.click(await screen.findByRole('button', { name: 'Migrate all (3)' }));
    await user.click(screen.getByRole('button', { name: 'Start' }));
    expect(await screen.findByText(/Job 7 · running: 0 of 3 tenants/)).toBeTruthy();
    expect(api.calls('POST', '/jobs').map((r) => r.body)).toEqual([{ kind: 'migrate', options: {} }]);
    const source = FakeEventSource.last!;
    expect(source.url).toBe('/api/platform/jobs/7/events');

    act(() => source.emit('job', job({ counts: { pending: 1, done: 1, skipped: 1, failed: 0 } })));
    expect(await screen.findByText(/Job 7 · running: 2 of 3 tenants/)).toBeTruthy();
    const end = job({ state: 'failed', counts: { pending: 0, done: 1, skipped: 1, failed: 1 }, finishedAt: new Date().toISOString() });
    act(() => source.emit('end', end));
    expect(await screen.findByText(/Job 7 · Finished with failures: 3 of 3 tenants/)).toBeTruthy();
    expect(source.closed).toBe(true);
    const failed = await screen.findByRole('list', { name: 'Failed tenants' });
    expect(failed.textContent).toContain('zulu');
    // No request per tenant: the server runs the job.
    expect(api.requests.some((r) => r.path.endsWith('/migrate'))).toBe(false);
  });

  it('"Back up all" starts one backup job in the server and follows it live', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const api = fakeApi({
      'GET /auth/me': { body: { admin: signedInAdmin } },
      'GET /health': { body: health() },
      'GET /jobs': { body: { jobs: [] } },
      'POST /jobs': { status: 202, body: { job: job({ id: 9, kind: 'backup' }), started: true } },
    });
    const user = userEvent.setup();
    renderApp('/health');
    await user.click(await screen.findByRole('button', { name: 'Back up all (3)' }));
    await user.click(screen.getByRole('button', { name: 'Start' }));
    expect(await screen.findByText(/Job 9 · running: 0 of 3 tenants/)).toBeTruthy();
    expect(api.calls('POST', '/jobs').map((r) => r.body)).toEqual([{ kind: 'backup', options: {} }]);
    const source = FakeEventSource.last!;
    expect(source.url).toBe('/api/platform/jobs/9/events');
    const end = job({
      id: 9,
      kind: 'backup',
      state: 'succeeded',
      counts: { pending: 0, done: 3, skipped: 0, failed: 0 },
      finishedAt: new Date().toISOString(),
    });
    act(() => source.emit('end', end));
    expect(await screen.findByText(/Job 9 · Finished: 3 of 3 tenants/)).toBeTruthy();
    expect(source.closed).toBe(true);
    // The other cards are left alone: only the backup card shows this job.
    expect(screen.getAllByText(/Job 9 ·/)).toHaveLength(1);
  });

  it('says "1 tenant" for one tenant, and its finished job fills the bar', async () => {
    fakeApi({
      'GET /auth/me': { body: { admin: signedInAdmin } },
      'GET /health': { body: { ...health(), summary: { ...summary, tenants: 1, checked: 1, reachable: 1, unreachable: 0 }, total: 1 } },
      'GET /jobs': (req) => ({
        body: {
          jobs:
            req.query.get('kind') === 'migrate'
              ? [
                  job({
                    state: 'succeeded',
                    total: 1,
                    counts: { pending: 0, done: 0, skipped: 1, failed: 0 },
                    finishedAt: new Date().toISOString(),
                  }),
                ]
              : [],
        },
      }),
    });
    renderApp('/health');
    const label = await screen.findByText(/Job 7 · Finished: 1 of 1 tenant\b/);
    expect(label.textContent).not.toMatch(/tenants/);
    const items = within(screen.getByRole('list', { name: 'Summary' }))
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items[0]).toBe('1 tenant');
    const bar = screen.getByRole('progressbar') as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([1, 1]);
  });

  it('picks up the running job when the page opens', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    fakeApi({
      'GET /auth/me': { body: { admin: signedInAdmin } },
      'GET /health': { body: health() },
      'GET /jobs': (req) => ({
        body: { jobs: req.query.get('kind') === 'migrate' ? [job({ counts: { pending: 2, done: 1, skipped: 0, failed: 0 } })] : [] },
      }),
    });
    renderApp('/health');
    expect(await screen.findByText(/Job 7 · running: 1 of 3 tenants/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Migrate all (3)' })).toBeNull();
  });
});
