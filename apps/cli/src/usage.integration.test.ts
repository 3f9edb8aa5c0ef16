import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, type CliResult } from './testing/cli-workspace';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const cwd = mkdtempSync(join(tmpdir(), 'salesfleet-cli-usage-'));
const env = cleanEnv({ SALESFLEET_DATA_DIR: join(cwd, 'no-such-data') });
const cli = (...args: string[]) => runCli(args, env, cwd);

afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function pnpm(args: string[], where: string): Promise<CliResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn('pnpm', args, { cwd: where, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code: code ?? 1, stdout, stderr }));
  });
}

describe('CLI usage', () => {
  it('--help lists every command by group, with examples and the old Django names', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    const { stdout } = help;
    for (const group of ['Setup:', 'Tenants:', 'Schema and health:', 'Audit:', 'Examples:']) expect(stdout).toContain(`\n${group}\n`);
    for (const command of [
      'init',
      'create-tenant',
      'delete-tenant',
      'list-tenants',
      'suspend-tenant',
      'resume-tenant',
      'tenant-users',
      'import-users',
      'domains',
      'migrate-tenants',
      'check-tenants, doctor',
      'operations',
    ]) {
      expect(stdout).toMatch(new RegExp(`^  ${command}\\s{2,}\\S`, 'm'));
    }
    expect(stdout).toMatch(
      /^ {2}create_tenant, create_production_tenant\s+→ create-tenant \(--schema X on a PostgreSQL server: --database-engine postgres-schema\)$/m,
    );
    expect(stdout).toMatch(/^ {2}check, test_tenant_connections, pre_deploy_check\s+→ check-tenants$/m);
    expect(stdout).toMatch(/^ {2}clean_main_database\s+→ clean-registry$/m);
  });

  it("a command's --help shows its options and examples", async () => {
    const help = await cli('create-tenant', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: pnpm cli create-tenant [options] <name> <subdomain> <admin-email>');
    for (const flag of [
      '--database-url',
      '--database-engine',
      '--database-host',
      '--database-port',
      '--database-user',
      '--database-password',
      '--database-name',
      '--max-users',
      '--multi-location',
      '--admin-username',
      '--admin-password',
      '--trial-days',
      '--demo-data',
      '--skip-demo-data',
      '--dry-run',
    ]) {
      expect(help.stdout).toContain(flag);
    }
    expect(help.stdout).toMatch(/\nExamples:\n {2}\$ pnpm cli create-tenant "Acme Ltd" acme admin@acme\.test\n/);
  });

  it('exits 2 with one line and a suggestion for an unknown command, and for a missing argument', async () => {
    const [unknown, missing, badValue] = await Promise.all([
      cli('lst-tenants'),
      cli('delete-tenant'),
      cli('migrate-tenants', '--concurrency', 'lots'),
    ]);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toBe("error: unknown command 'lst-tenants' (did you mean list-tenants?); see `pnpm cli --help`\n");
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toBe("error: missing required argument 'subdomain' (usage: pnpm cli delete-tenant [options] <subdomain>)\n");
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toMatch(
      /^error: option '--concurrency <n>' argument 'lots' is invalid\. must be a whole number from 1 to 64\. \(usage: .*\)\n$/,
    );
  });

  it('exits 1 with one clear line when the command fails, and creates nothing', async () => {
    const failed = await cli('list-tenants');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toBe(
      `error: no registry in ${join(cwd, 'no-such-data')} (registry.sqlite does not exist); run \`pnpm cli init\` first, or set SALESFLEET_DATA_DIR to your data directory\n`,
    );
    expect(existsSync(join(cwd, 'no-such-data'))).toBe(false);
  });

  it('`pnpm cli` passes arguments verbatim and works in the directory it was typed in', async () => {
    const here = mkdtempSync(join(tmpdir(), 'salesfleet-cli-pnpm-'));
    try {
      const init = await pnpm(['--dir', ROOT, '-s', 'cli', 'init', '--admin-username', 'ops', '--json'], here);
      expect(init.code).toBe(0);
      expect(JSON.parse(init.stdout)).toMatchObject({ admin: { username: 'ops' }, dataDir: join(here, 'data') });
      const name = `Quote's & "Co" $HOME; ls`;
      const created = await pnpm(['--dir', ROOT, '-s', 'cli', 'create-tenant', name, 'verbatim', 'a@verbatim.test', '--json'], here);
      expect(created.code).toBe(0);
      expect(JSON.parse(created.stdout).tenant).toMatchObject({ name, slug: 'verbatim' });
      expect(existsSync(join(here, 'data', 'tenants', 'verbatim.sqlite'))).toBe(true);
    } finally {
      rmSync(here, { recursive: true, force: true });
    }
  });
});
