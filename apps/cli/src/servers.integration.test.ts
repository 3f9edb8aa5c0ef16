import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, testServerUrls } from '@salesfleet/models/testing';
import { createCliWorkspace, type CliWorkspace } from './testing/cli-workspace';

const dialects = await testDialects();
const PASSWORD = 'cli-server-secret-pw';

/** The test server's URL with a password it does not need (local trust), to see that it is never shown. */
function serverUrl(): string {
  const u = new URL(testServerUrls.postgres);
  u.password = PASSWORD;
  return u.toString();
}

describe.skipIf(!dialects.includes('postgres'))('servers: tenant servers from the CLI, and tenants placed on them', () => {
  let ws: CliWorkspace;

  beforeAll(async () => {
    ws = await createCliWorkspace('postgres');
    expect((await ws.run(['init'])).code).toBe(0);
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('add, list, set-state, place a tenant, filter by server, refuse to remove it while it holds one', async () => {
    const added = await ws.run(['servers', 'add', 'pg-one', serverUrl(), '--capacity', '5']);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Registered tenant server pg-one');
    const bad = await ws.run(['servers', 'add', 'Bad_Name', serverUrl(), '--capacity', '5']);
    expect(bad.code).toBe(2);
    const noCapacity = await ws.run(['servers', 'add', 'pg-two', serverUrl()]);
    expect(noCapacity.code).toBe(2);

    const slug = ws.slug('srv');
    const created = await ws.run(['create-tenant', 'Placed Ltd', slug, 'owner@placed.test', '--database-engine', 'postgres']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);

    const list = await ws.run(['servers', 'list', '--json']);
    const servers = JSON.parse(list.stdout).servers;
    expect(servers).toMatchObject([{ name: 'pg-one', engine: 'postgres', capacity: 5, state: 'open', tenantCount: 1, passwordSet: true }]);
    const table = await ws.run(['servers', 'list']);
    expect(table.stdout).toMatch(/pg-one\s+postgres\s+\S+\s+open\s+1\/5\s+20%/);

    const onServer = JSON.parse((await ws.run(['list-tenants', '--json', '--server', 'pg-one'])).stdout).tenants;
    expect(onServer.map((t: { slug: string; server: string }) => [t.slug, t.server])).toEqual([[slug, 'pg-one']]);
    const checked = await ws.run(['check-tenants', '--json', '--server', 'pg-one']);
    expect(JSON.parse(checked.stdout).tenants.map((t: { slug: string }) => t.slug)).toEqual([slug]);

    const draining = await ws.run(['servers', 'set-state', 'pg-one', 'draining']);
    expect(draining.code).toBe(0);
    expect(draining.stdout).toContain('pg-one is draining');
    const refused = await ws.run(['create-tenant', 'Refused Ltd', ws.slug('srv'), 'owner@placed.test', '--database-engine', 'postgres']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/No open postgres tenant server has room/);

    const removed = await ws.run(['servers', 'remove', 'pg-one']);
    expect(removed.code).not.toBe(0);
    expect(removed.stderr).toMatch(/still holds 1 tenant/);

    for (const r of [added, list, table, draining, removed]) expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(ws.logs()).not.toContain(PASSWORD);
    expect(JSON.stringify(await ws.operations())).not.toContain(PASSWORD);
  });
});
