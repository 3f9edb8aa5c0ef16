import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig, openTenancy, sqliteTenantPath } from '@salesfleet/tenancy';
import { JSON_CHUNK_CHARS } from './pretty-json';
import { BIN, createCliWorkspace, type CliWorkspace } from './testing/cli-workspace';

/** Enough tenants for the listing to span several chunks (about 0.9 KB of JSON each). */
const TENANTS = 250;

let ws: CliWorkspace;
let slugs: string[];

beforeAll(async () => {
  ws = await createCliWorkspace('sqlite');
  const init = await ws.run(['init']);
  expect(init.code).toBe(0);
  // Registry rows only (list-tenants reads nothing else), with the fields a listing shows filled in.
  const tenancy = await openTenancy(makeConfig({ dataDir: ws.dataDir, secretKey: ws.env.SALESFLEET_SECRET_KEY! }), { templates: false });
  try {
    const now = new Date();
    slugs = Array.from({ length: TENANTS }, (_, i) => `t${String(i).padStart(4, '0')}`);
    await tenancy.registry.models.Tenant.bulkCreate(
      slugs.map((slug, i) => ({
        slug,
        name: `Tenant “${slug}” ${'é'.repeat(i % 5)}`,
        adminEmail: `admin@${slug}.example.com`,
        status: i % 7 === 0 ? ('suspended' as const) : ('active' as const),
        suspendedReason: i % 7 === 0 ? 'unpaid\ninvoice' : null,
        maxUsers: 10 + i,
        multiLocation: i % 2 === 0,
        trialEndsAt: i % 3 === 0 ? now : null,
        paidUntil: null,
        dbEngine: 'sqlite' as const,
        dbName: sqliteTenantPath(slug),
        dbManaged: true,
        schemaVersion: null,
        userCount: i % 11 === 0 ? null : i % 13,
        healthReachable: i % 5 !== 0,
        healthLatencyMs: i / 4,
        healthSizeBytes: 100_000 + i,
        healthError: i % 5 === 0 ? 'SQLITE_CANTOPEN: unable to open database file' : null,
        healthCheckedAt: i % 9 === 0 ? null : now,
        createdAt: now,
        updatedAt: now,
      })) as never[],
    );
  } finally {
    await tenancy.close();
  }
});
afterAll(async () => {
  await ws?.cleanup();
});

describe('list-tenants --json over many tenants', () => {
  it('writes, chunk by chunk, exactly JSON.stringify(…, null, 2) of the tenants the registry holds', async () => {
    const listed = await ws.run(['list-tenants', '--json']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout.length).toBeGreaterThan(2 * JSON_CHUNK_CHARS);
    const parsed = JSON.parse(listed.stdout) as { tenants: { slug: string; suspendedReason: string | null; lastHealth: unknown }[] };
    expect(parsed.tenants.map((t) => t.slug)).toEqual(slugs);
    expect(parsed.tenants[7]).toMatchObject({ slug: 't0007', status: 'suspended', suspendedReason: 'unpaid\ninvoice', maxUsers: 17 });
    // Byte for byte what one JSON.stringify of the same records prints, across every chunk boundary.
    expect(listed.stdout).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
  });

  it('stops quietly when the reader goes away (`list-tenants --json | head`): status 0, nothing on stderr', async () => {
    const child = spawn(process.execPath, [BIN, 'list-tenants', '--json'], {
      cwd: ws.dataDir,
      env: ws.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // Read the first chunk, then close our end as `head` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
