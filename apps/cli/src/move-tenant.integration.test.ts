import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { dialectAvailable, testServerUrls } from '@salesfleet/models/testing';
import { driverFor, managedDatabaseName, parseDatabaseUrl, specToUrl } from '@salesfleet/tenancy';
import { createCliWorkspace, type CliWorkspace } from './testing/cli-workspace';

// A SQLite tenant moves to PostgreSQL when the server is there (else to another SQLite file).
const toPostgres = await dialectAvailable('postgres');
const TO = toPostgres
  ? ['--database-url', specToUrl({ ...parseDatabaseUrl(testServerUrls.postgres), database: '' })]
  : ['--to-engine', 'sqlite'];
async function dropOnPostgres(database: string): Promise<void> {
  await driverFor('postgres').drop(
    { ...parseDatabaseUrl(testServerUrls.postgres), database },
    { dataDir: '/nonexistent', connectTimeoutMs: 5000 },
  );
}

const STEPS = ['maintenance', 'drain', 'copy', 'load', 'verify', 'switch', 'notify'] as const;

describe('move-tenant killed with SIGKILL at each step, then run again', () => {
  let ws: CliWorkspace;

  beforeAll(async () => {
    ws = await createCliWorkspace('sqlite');
    expect((await ws.run(['init'])).code).toBe(0);
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  /** Table → rows of the tenant's latest backup (what it holds now). */
  async function contents(slug: string): Promise<Record<string, number>> {
    const backup = await ws.run(['backup-tenant', slug, '--json']);
    expect(backup.code).toBe(0);
    return Object.fromEntries(
      (JSON.parse(backup.stdout) as { tables: { name: string; rows: number }[] }).tables.map((t) => [t.name, t.rows]),
    );
  }

  it.each(STEPS)(
    'killed at %s: the tenant serves from one database with nothing lost, and the retry completes',
    async (step) => {
      const slug = ws.slug(`k${step.slice(0, 3)}`);
      // The workspace is SQLite's: it does not know the PostgreSQL database the move makes; drop it here.
      if (toPostgres) onTestFinished(() => dropOnPostgres(managedDatabaseName(slug)));
      expect((await ws.run(['create-tenant', 'Killed Move', slug, 'owner@kill.test'])).code).toBe(0);
      const before = await contents(slug);

      const killed = await ws.run(['move-tenant', slug, ...TO, '--drain-seconds', '0'], {
        env: { NODE_ENV: 'test', SALESFLEET_TEST_KILL_MOVE_AT: step },
      });
      expect(killed.code).toBe(128);
      const during = await ws.tenantRow(slug);
      if (step === 'notify') {
        // Killed after the switch: already serving from the new database.
        expect(during).toMatchObject({ status: 'active', db: { engine: toPostgres ? 'postgres' : 'sqlite' } });
      } else {
        // Killed before the switch: still on the old database, its users told to come back (or never stopped).
        expect(during?.db.engine).toBe('sqlite');
        expect(during?.db.name).toBe(`tenants/${slug}.sqlite`);
        expect(['active', 'maintenance']).toContain(during?.status);
      }

      // check-tenants fails on it and names the command that finishes or undoes it (the one run next).
      const doctor = await ws.run(['check-tenants', slug, '--json']);
      expect(doctor.code, doctor.stdout).toBe(1);
      const problems = (JSON.parse(doctor.stdout) as { problems: string[] }).problems.join('\n');
      expect(problems).toMatch(new RegExp(`^${slug}: a move started \\S+ was interrupted`, 'm'));
      expect(problems).toContain(`run move-tenant ${slug} ${TO.join(' ')} to ${step === 'notify' ? 'finish it' : 'undo it'}`);

      const retry = await ws.run(['move-tenant', slug, ...TO, '--drain-seconds', '0']);
      // (Not empty on PostgreSQL: a tenant migration's parallel queries draw a pg deprecation warning.)
      expect(retry.stderr).not.toMatch(/error/i);
      expect(retry.code).toBe(0);
      expect(retry.stdout).toMatch(
        step === 'notify' ? /^Finished the interrupted move/ : /^(Undid the interrupted move of \S+ first\.\n)?Moved /,
      );
      const after = await ws.tenantRow(slug);
      expect(after?.status).toBe('active');
      expect(after?.db.engine).toBe(toPostgres ? 'postgres' : 'sqlite');
      expect(await contents(slug)).toEqual(before);
      // Done: no failure, the kept old database is a warning naming delete-old-database.
      const clean = await ws.run(['check-tenants', slug, '--json']);
      expect(clean.code, clean.stdout).toBe(0);
      const kept = (JSON.parse(clean.stdout) as { checks: { name: string; ok: boolean; message: string }[] }).checks.find(
        (c) => c.name === 'kept databases',
      );
      expect(kept?.message).toContain(
        `${slug} keeps sqlite:tenants/${slug}.sqlite from its last move (delete-old-database ${slug} drops it)`,
      );
    },
    240_000,
  ); // a dozen CLI runs each (check-tenants twice among them)
});
