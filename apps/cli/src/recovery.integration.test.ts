import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '@salesfleet/models';
import { openSequelize } from '@salesfleet/tenancy';
import { createCliWorkspace, occurrences, type CliWorkspace } from './testing/cli-workspace';

const ONE_TIME = /One-time password:\s+(\S+)/;

async function storedHash(
  dataDir: string,
  database: string,
  table: string,
  username: string,
): Promise<{ hash: string; mustChange: boolean }> {
  const db = openSequelize({ engine: 'sqlite', database, host: null, port: null, user: null, password: null }, { dataDir });
  try {
    const [rows] = await db.query(`SELECT password_hash AS hash, must_change_password AS mustChange FROM ${table} WHERE username = ?`, {
      replacements: [username],
    });
    const row = (rows as { hash: string; mustChange: number }[])[0]!;
    return { hash: row.hash, mustChange: Boolean(row.mustChange) };
  } finally {
    await db.close();
  }
}

describe('recovering locked-out people from the CLI', () => {
  let ws: CliWorkspace;
  let slug: string;

  beforeAll(async () => {
    ws = await createCliWorkspace('sqlite');
    expect((await ws.run(['init', '--admin-username', 'root', '--admin-email', 'root@example.com'])).code).toBe(0);
    slug = ws.slug('lock');
    expect((await ws.run(['create-tenant', 'Locked Out', slug, 'owner@locked.test'])).code).toBe(0);
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('tenant-users --reset-password and --create-admin print a one-time password once that verifies and must be changed', async () => {
    const reset = await ws.run(['tenant-users', slug, '--reset-password', 'admin']);
    expect(reset.code).toBe(0);
    const password = ONE_TIME.exec(reset.stdout)?.[1];
    expect(password).toBeTruthy();
    expect(occurrences(reset.stdout, password!)).toBe(1);
    const stored = await storedHash(ws.dataDir, `tenants/${slug}.sqlite`, 'users', 'admin');
    expect(await verifyPassword(password!, stored.hash)).toBe(true);
    expect(stored.mustChange).toBe(true);

    const created = await ws.run(['tenant-users', slug, '--create-admin', 'rescue', '--email', 'rescue@locked.test', '--json']);
    expect(created.code).toBe(0);
    const body = JSON.parse(created.stdout) as { username: string; oneTimePassword: string };
    const users = JSON.parse((await ws.run(['tenant-users', slug, '--json'])).stdout) as {
      users: { username: string; isSuperuser: boolean; mustChangePassword: boolean; groups: string[] }[];
    };
    expect(users.users.find((u) => u.username === 'rescue')).toMatchObject({
      isSuperuser: true,
      mustChangePassword: true,
      groups: ['Admin', 'Cashiers', 'Managers'],
    });
    expect(
      await verifyPassword(body.oneTimePassword, (await storedHash(ws.dataDir, `tenants/${slug}.sqlite`, 'users', 'rescue')).hash),
    ).toBe(true);

    const missing = await ws.run(['tenant-users', slug, '--reset-password', 'nobody']);
    expect(missing.code).not.toBe(0);
    const logged = JSON.stringify(await ws.operations()) + ws.logs();
    expect(logged).not.toContain(password!);
    expect(logged).not.toContain(body.oneTimePassword);
    const ops = await ws.operations();
    expect(ops.some((o) => o.action === 'reset-tenant-user-password' && o.outcome === 'succeeded' && o.actor.startsWith('cli:'))).toBe(
      true,
    );
  });

  it('platform-admins add, list, reset-password and disable (never the last one)', async () => {
    const added = await ws.run(['platform-admins', 'add', 'ops2', '--email', 'ops2@example.com']);
    expect(added.code).toBe(0);
    const password = ONE_TIME.exec(added.stdout)?.[1];
    const stored = await storedHash(ws.dataDir, 'registry.sqlite', 'platform_admins', 'ops2');
    expect(await verifyPassword(password!, stored.hash)).toBe(true);
    expect(stored.mustChange).toBe(true);

    const list = await ws.run(['platform-admins', 'list']);
    expect(list.stdout).toMatch(/^root\s+root@example\.com\s+yes/m);
    expect(list.stdout).toMatch(/^ops2\s+ops2@example\.com\s+yes\s+yes/m);

    const reset = await ws.run(['platform-admins', 'reset-password', 'root']);
    expect(reset.code).toBe(0);
    const again = ONE_TIME.exec(reset.stdout)?.[1];
    expect(await verifyPassword(again!, (await storedHash(ws.dataDir, 'registry.sqlite', 'platform_admins', 'root')).hash)).toBe(true);

    expect((await ws.run(['platform-admins', 'disable', 'ops2'])).code).toBe(0);
    const last = await ws.run(['platform-admins', 'disable', 'root']);
    expect(last.code).toBe(1);
    expect(last.stderr).toContain('last active platform admin');
    expect(JSON.stringify(await ws.operations()) + ws.logs()).not.toContain(again!);
    expect((await ws.run(['platform-admins', 'promote', 'root'])).code).toBe(2);
  });
});
