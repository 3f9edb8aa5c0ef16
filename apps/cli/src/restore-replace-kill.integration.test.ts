import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliWorkspace, type CliWorkspace } from './testing/cli-workspace';

// The steps of restore --replace, each a point where a kill -9 can land.
const STEPS = ['maintenance', 'create_database', 'load', 'migrate', 'switch', 'notify'] as const;

describe('restore-tenant --replace killed with SIGKILL at each step, then run again', () => {
  let ws: CliWorkspace;

  beforeAll(async () => {
    ws = await createCliWorkspace('sqlite');
    expect((await ws.run(['init'])).code).toBe(0);
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  /** Table → rows of a fresh backup of the tenant (what it serves now), and the backup's file. */
  async function contents(slug: string): Promise<{ tables: Record<string, number>; file: string }> {
    const backup = await ws.run(['backup-tenant', slug, '--json']);
    expect(backup.code).toBe(0);
    const body = JSON.parse(backup.stdout) as { file: string; tables: { name: string; rows: number }[] };
    return { tables: Object.fromEntries(body.tables.map((t) => [t.name, t.rows])), file: body.file };
  }
  const databasesOf = (slug: string) =>
    readdirSync(join(ws.dataDir, 'tenants'))
      .filter((f) => f.startsWith(slug) && f.endsWith('.sqlite'))
      .sort();

  it.each(STEPS)(
    'killed at %s: the tenant serves from one database with nothing lost, and the retry completes',
    async (step) => {
      const slug = ws.slug(`r${step.slice(0, 3)}`);
      expect((await ws.run(['create-tenant', 'Killed Restore', slug, 'owner@kill.test'])).code).toBe(0);
      const archived = await contents(slug);
      // After the backup the tenant gains a user: its live data (B) differs from the archive's (A).
      expect((await ws.run(['tenant-users', slug, '--create-admin', 'later', '--email', 'later@kill.test'])).code).toBe(0);
      const live = await contents(slug);
      expect(live.tables.users).toBe(archived.tables.users! + 1);

      const killed = await ws.run(['restore-tenant', slug, '--from', archived.file, '--replace'], {
        env: { NODE_ENV: 'test', SALESFLEET_TEST_KILL_RESTORE_AT: step },
      });
      expect(killed.code).toBe(128);
      const during = await ws.tenantRow(slug);
      if (step === 'notify') {
        // Killed after the switch: already serving the restored data from the new database.
        expect(during?.status).toBe('active');
        expect(during?.db.name).not.toBe(`tenants/${slug}.sqlite`);
        expect((await contents(slug)).tables).toEqual(archived.tables);
      } else {
        // Killed before the switch: still on the old database with everything it had.
        expect(during?.db.name).toBe(`tenants/${slug}.sqlite`);
        expect(['active', 'maintenance']).toContain(during?.status);
      }

      // check-tenants fails on it and names the command that finishes or undoes it (the one run next).
      const doctor = await ws.run(['check-tenants', slug, '--json']);
      expect(doctor.code, doctor.stdout).toBe(1);
      const problems = (JSON.parse(doctor.stdout) as { problems: string[] }).problems.join('\n');
      expect(problems).toMatch(new RegExp(`^${slug}: a restore --replace started \\S+ was interrupted`, 'm'));
      expect(problems).toContain(`run restore-tenant ${slug} --from ${archived.file} --replace`);

      const retry = await ws.run(['restore-tenant', slug, '--from', archived.file, '--replace']);
      expect(retry.stderr).not.toMatch(/error/i);
      expect(retry.code, retry.stderr).toBe(0);
      expect(retry.stdout).toMatch(
        step === 'notify' ? /^Finished the interrupted restore/ : /^(Undid the interrupted move or restore of \S+ first\.\n)?Restored /,
      );
      const after = await ws.tenantRow(slug);
      expect(after?.status).toBe('active');
      expect(after?.db.name).not.toBe(`tenants/${slug}.sqlite`);
      expect((await contents(slug)).tables).toEqual(archived.tables);
      // Exactly two databases: the one it serves from and the old one, kept whole (nothing a killed
      // run created is left over) until delete-old-database drops it.
      expect(databasesOf(slug)).toEqual([after!.db.name.replace('tenants/', ''), `${slug}.sqlite`].sort());
      const recovered = (await ws.operations()).filter((o) => o.action === 'recover-tenant-switch' && o.tenantSlug === slug);
      expect(recovered.map((o) => o.outcome)).toContain('succeeded');
      const dropped = await ws.run(['delete-old-database', slug]);
      expect(dropped.code, dropped.stderr).toBe(0);
      expect(existsSync(join(ws.dataDir, 'tenants', `${slug}.sqlite`))).toBe(false);
      expect((await contents(slug)).tables).toEqual(archived.tables);
    },
    240_000,
  ); // a dozen CLI runs each (check-tenants twice among them)
});
