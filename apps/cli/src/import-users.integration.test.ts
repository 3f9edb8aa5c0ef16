import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@salesfleet/models/testing';
import { djangoHash, makeDjangoDatabase } from '@salesfleet/tenancy/testing';
import { createCliWorkspace, type CliWorkspace } from './testing/cli-workspace';

describe('import-users --from-django from the CLI', () => {
  let ws: CliWorkspace;
  let django: TestDatabase;
  let slug: string;

  beforeAll(async () => {
    ws = await createCliWorkspace('sqlite');
    expect((await ws.run(['init', '--admin-username', 'root', '--admin-email', 'root@example.com'])).code).toBe(0);
    slug = ws.slug('dj');
    expect((await ws.run(['create-tenant', 'Old Shop', slug, 'owner@old.test'])).code).toBe(0);
    django = await makeDjangoDatabase(
      'sqlite',
      ['Admin', 'Cashiers', 'Stockroom'],
      [
        {
          username: 'ana',
          email: 'ana@old.test',
          password: djangoHash('ana secret 1', 'saltana', 1000),
          superuser: true,
          groups: ['Admin'],
        },
        {
          username: 'ben',
          email: 'ben@old.test',
          password: 'bcrypt_sha256$$2b$12$QeWvpi7hQ8cW6qrbX1XWmuu',
          groups: ['Cashiers', 'Stockroom'],
        },
        { username: 'cy', email: 'cy@old.test', password: djangoHash('cy secret 2', 'saltcy', 1000), active: false },
      ],
    );
  });
  afterAll(async () => {
    await django?.drop();
    await ws?.cleanup();
  });

  it('a dry run says what would happen and writes nothing; the import prints a summary', async () => {
    const dry = await ws.run(['import-users', slug, '--from-django', django.url, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Dry run (nothing written)');
    expect(dry.stdout).toContain('Would import 3 users (2 keep their password, 1 must reset, 1 inactive)');
    expect(dry.stdout).toContain('cy <cy@old.test> inactive');
    const before = JSON.parse((await ws.run(['tenant-users', slug, '--json'])).stdout) as { users: { username: string }[] };
    expect(before.users.map((u) => u.username)).toEqual(['admin']);

    const done = await ws.run(['import-users', slug, '--from-django', django.url]);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('Imported 3 users (2 keep their password, 1 must reset, 1 inactive)');
    expect(done.stdout).toContain('must reset (bcrypt_sha256)');
    expect(done.stdout).toContain('Skipped group Stockroom (1 member)');
    expect(done.stdout).toContain(`tenant-users ${slug} --reset-password <username>`);
    const after = JSON.parse((await ws.run(['tenant-users', slug, '--json'])).stdout) as {
      users: { username: string; isActive: boolean; isSuperuser: boolean; groups: string[] }[];
    };
    expect(after.users.find((u) => u.username === 'ana')).toMatchObject({ isActive: true, isSuperuser: true, groups: ['Admin'] });
    expect(after.users.find((u) => u.username === 'ben')).toMatchObject({ isActive: true, groups: ['Cashiers'] });
    expect(after.users.find((u) => u.username === 'cy')).toMatchObject({ isActive: false, groups: [] });

    const again = await ws.run(['import-users', slug, '--from-django', django.url, '--json']);
    expect(again.code).toBe(0);
    const body = JSON.parse(again.stdout) as { created: unknown[]; existing: { username: string }[] };
    expect(body.created).toEqual([]);
    expect(body.existing.map((e) => e.username)).toEqual(['ana', 'ben', 'cy']);

    const ops = (await ws.operations()).filter((o) => o.action === 'import-django-users');
    expect(ops.filter((o) => o.outcome === 'succeeded')).toHaveLength(3);
    expect(JSON.stringify(ops) + ws.logs()).not.toContain('pbkdf2_sha256$');
  });

  it('refuses a database that is not Django’s with a clear error, and a missing tenant', async () => {
    const bad = await ws.run(['import-users', slug, '--from-django', `sqlite:${ws.dataDir}/registry.sqlite`]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/is not a readable Django database/);
    const missing = await ws.run(['import-users', 'nosuchtenant', '--from-django', django.url]);
    expect(missing.code).not.toBe(0);
  });
});
