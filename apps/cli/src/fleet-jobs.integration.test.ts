import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliWorkspace, type CliWorkspace } from './testing/cli-workspace';

// Issue 16.2: `migrate-tenants --job` records a fleet job in the registry and runs it in the CLI
// process when no server runs it; `jobs list|show|attach` read and follow jobs from the registry.

describe('fleet jobs from the CLI (SQLite registry)', () => {
  let ws: CliWorkspace;
  const slugs: string[] = [];

  beforeAll(async () => {
    ws = await createCliWorkspace('sqlite');
    expect((await ws.run(['init'])).code).toBe(0);
    for (let i = 0; i < 2; i++) {
      const slug = ws.slug('job');
      slugs.push(slug);
      expect((await ws.run(['create-tenant', `Job ${i}`, slug, `a@${slug}.test`])).code).toBe(0);
    }
  }, 240_000);

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('migrate-tenants --job runs a migrate job to the end; jobs list, show and attach find it', async () => {
    const run = await ws.run(['migrate-tenants', '--job', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { job } = JSON.parse(run.stdout) as { job: { id: number; state: string; total: number; counts: Record<string, number> } };
    // Created at the latest schema: nothing to apply, no tenant database opened.
    expect(job).toMatchObject({ state: 'succeeded', total: 2, counts: { skipped: 2, done: 0, failed: 0, pending: 0 } });

    const list = await ws.run(['jobs', 'list', '--json']);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { jobs: { id: number; kind: string }[] }).jobs[0]).toMatchObject({ id: job.id, kind: 'migrate' });

    const show = await ws.run(['jobs', 'show', String(job.id), '--all', '--json']);
    expect(show.code).toBe(0);
    const shown = JSON.parse(show.stdout) as { tenants: { slug: string; state: string }[] };
    expect(shown.tenants.map((t) => t.slug)).toEqual([...slugs].sort());
    expect(shown.tenants.every((t) => t.state === 'skipped')).toBe(true);

    const attach = await ws.run(['jobs', 'attach', String(job.id)]);
    expect(attach.code).toBe(0);
    expect(attach.stdout).toMatch(new RegExp(`Job ${job.id} \\(migrate\\) succeeded: 2 tenants — 0 done, 2 skipped, 0 failed, 0 pending`));
  }, 120_000);

  it('refuses what a job cannot do and ids that name no job, as usage errors', async () => {
    expect((await ws.run(['migrate-tenants', '--job', '--check'])).code).toBe(2);
    expect((await ws.run(['migrate-tenants', '--job', '--tenant', slugs[0]!])).code).toBe(2);
    expect((await ws.run(['jobs', 'show', '999999'])).code).toBe(2);
    expect((await ws.run(['jobs', 'attach', 'abc'])).code).toBe(2);
    expect((await ws.run(['jobs', 'list', '--kind', 'nope'])).code).toBe(2);
  }, 60_000);
});
