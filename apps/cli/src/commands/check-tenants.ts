import pMap from 'p-map';
import type { Tenancy, TenantHealth, TenantRecord } from '@salesfleet/tenancy';
import { loadTenancyPackage, openCliTenancy, type CommandContext } from '../context';
import { ReportedFailure, errorLine } from '../errors';
import { formatMs, plural, printTable } from '../output';

export interface CheckTenantsFlags {
  json?: boolean;
  /** Only tenants on this server (a registered tenant server's name, or host:port / local). */
  server?: string;
  concurrency: number;
}

interface Check {
  name: string;
  ok: boolean;
  /** Reported for the operator to look at, without failing the check (exit status stays 0). */
  warning?: boolean;
  message: string;
}

interface TenantCheck {
  slug: string;
  status: string;
  health: TenantHealth | null;
  problems: string[];
}

const SERVING = new Set(['active', 'suspended']);

/**
 * `check-tenants` / `doctor`: the configuration and registry, then every tenant (or the ones named):
 * reachable (with latency), schema up to date, users within the limit, no half-finished lifecycle
 * operation. Exits 1 when anything is wrong, so it can gate a deploy.
 */
export async function checkTenantsCommand(ctx: CommandContext, slugs: string[], flags: CheckTenantsFlags): Promise<void> {
  const { out } = ctx;
  const checks: Check[] = [];
  const tenantChecks: TenantCheck[] = [];
  let tenancy: Tenancy | null = null;
  try {
    try {
      tenancy = await openCliTenancy(ctx);
    } catch (err) {
      const code = (err as { code?: string }).code;
      const name = code === 'ConfigError' ? 'configuration' : 'registry';
      checks.push({ name, ok: false, message: errorLine(err) });
    }
    if (tenancy) await runChecks(tenancy, slugs, flags, checks, tenantChecks);
  } finally {
    await tenancy?.close().catch(() => undefined);
  }

  const problems = [
    // The `tenants` line only summarises; each tenant's problems are listed below it.
    ...checks.filter((c) => !c.ok && c.name !== 'tenants').map((c) => `${c.name}: ${c.message}`),
    ...tenantChecks.flatMap((t) => t.problems.map((p) => `${t.slug}: ${p}`)),
  ];
  if (flags.json) {
    await out.json({
      ok: problems.length === 0,
      checks,
      tenants: tenantChecks.map((t) => ({ slug: t.slug, status: t.status, ...(t.health ?? {}), problems: t.problems })),
      problems,
    });
  } else {
    const width = Math.max(...checks.map((c) => c.name.length));
    for (const c of checks)
      out.line(`${!c.ok ? out.red('FAIL') : c.warning ? out.yellow('warn') : out.green('ok  ')}  ${c.name.padEnd(width)}  ${c.message}`);
    if (tenantChecks.length > 0) {
      out.line();
      await printTable(
        out,
        [
          { header: 'Tenant' },
          { header: 'Status' },
          { header: 'Reachable' },
          { header: 'Latency', align: 'right' },
          { header: 'Schema version' },
          { header: 'Pending', align: 'right' },
          { header: 'Users', align: 'right' },
          { header: 'Result' },
        ],
        tenantChecks.map((t) => [
          t.slug,
          t.status,
          t.health ? (t.health.reachable ? 'yes' : out.red('NO')) : '',
          formatMs(t.health?.latencyMs),
          t.health?.schemaVersion ?? '',
          t.health?.pendingMigrations === null || t.health?.pendingMigrations === undefined ? '' : String(t.health.pendingMigrations),
          t.health ? `${t.health.userCount ?? '?'}/${t.health.maxUsers}` : '',
          t.problems.length === 0 ? 'ok' : out.red(plural(t.problems.length, 'problem')),
        ]),
      );
    }
    out.line();
    if (problems.length === 0) {
      out.line(out.green('All checks passed.'));
    } else {
      out.line(out.red(`${plural(problems.length, 'problem')} found:`));
      for (const p of problems) out.line(`  - ${p}`);
    }
  }
  if (problems.length > 0) throw new ReportedFailure();
}

async function runChecks(tenancy: Tenancy, slugs: string[], flags: CheckTenantsFlags, checks: Check[], out: TenantCheck[]): Promise<void> {
  const { checkConnectionBudget, creatorGone, describeConfig } = await loadTenancyPackage();
  const { config, registry } = tenancy;
  const described = describeConfig(config);

  try {
    const ms = await registry.ping();
    const { pending } = await registry.migrationStatus();
    checks.push({
      name: 'registry',
      ok: pending.length === 0,
      message:
        `${String(described.registry)} reachable in ${formatMs(ms)}; ` +
        (pending.length === 0 ? 'schema up to date' : `${plural(pending.length, 'pending migration')} (run migrate-tenants)`),
    });
  } catch (err) {
    checks.push({ name: 'registry', ok: false, message: errorLine(err) });
    return;
  }

  const tenants: TenantRecord[] =
    slugs.length > 0
      ? await Promise.all(slugs.map((s) => registry.getTenant(s)))
      : await registry.listTenants(flags.server ? { server: flags.server } : {});

  const sealed = tenants.filter((t) => t.db.passwordEncrypted !== null);
  const source = {
    env: 'set in SALESFLEET_SECRET_KEY',
    file: `read from ${config.dataDir}/secret.key`,
    generated: `generated just now into ${config.dataDir}/secret.key (development)`,
  }[config.secretKeySource];
  const undecryptable = sealed.filter((t) => {
    try {
      registry.databaseSpecOf(t);
      return false;
    } catch {
      return true;
    }
  });
  checks.push({
    name: 'secret key',
    ok: undecryptable.length === 0,
    message:
      undecryptable.length === 0
        ? `${source}${sealed.length > 0 ? `; decrypts the stored passwords of ${plural(sealed.length, 'tenant')}` : ''}`
        : `${source}, but it cannot decrypt the stored database passwords of ${undecryptable.map((t) => t.slug).join(', ')} (SALESFLEET_SECRET_KEY differs from the key they were encrypted with)`,
  });

  // Per PostgreSQL/MySQL server: can this process's open tenants × pool max exceed its max_connections?
  for (const server of await checkConnectionBudget(tenancy)) {
    checks.push({ name: 'connection budget', ok: server.ok, message: server.message });
  }

  const { tenantSwitchStatus } = await loadTenancyPackage();
  const kept: string[] = [];
  const results = await pMap(
    tenants,
    async (tenant): Promise<TenantCheck> => {
      const problems: string[] = [];
      let health: TenantHealth | null = null;
      // A move or restore --replace killed part-way leaves its journal: the tenant may look healthy
      // (switched, or not yet in maintenance) while the next move refuses and a database is left over.
      const interrupted = await tenantSwitchStatus(tenancy, tenant).catch((err: unknown) => {
        problems.push(`its move/restore journal cannot be read: ${errorLine(err)}`);
        return null;
      });
      if (interrupted?.state === 'interrupted') {
        const what = interrupted.kind === 'move' ? 'a move' : 'a restore --replace';
        const where = interrupted.switched
          ? `already switched to ${interrupted.to ?? '?'} but not finished`
          : `still on ${interrupted.from}${interrupted.to ? `, ${interrupted.to} may be left over` : ''}`;
        problems.push(
          `${what} started ${interrupted.startedAt} was interrupted (${where}); run ${interrupted.command} to ${interrupted.switched ? 'finish it' : 'undo it and run it again'}`,
        );
      } else if (interrupted?.state === 'kept') {
        kept.push(`${tenant.slug} keeps ${interrupted.from} from its last ${interrupted.kind} (${interrupted.command} drops it)`);
      }
      if (SERVING.has(tenant.status)) {
        health = await tenancy.provisioner.tenantHealth(tenant.slug);
        if (!health.reachable)
          problems.push(/unreachable/i.test(health.error ?? '') ? health.error! : `database unreachable: ${health.error ?? 'no answer'}`);
        else if (health.error) problems.push(health.error);
        if (health.pendingMigrations) problems.push(`${plural(health.pendingMigrations, 'pending migration')} (run migrate-tenants)`);
        if (health.userCount !== null && health.userCount > tenant.maxUsers) {
          problems.push(`${health.userCount} users exceed the limit of ${tenant.maxUsers}`);
        }
        if (health.reachable && !health.pendingMigrations) {
          const { tenantSchemaDrift } = await loadTenancyPackage();
          const drift = await tenantSchemaDrift(tenancy, tenant).catch((err: unknown) => [
            { message: `schema check failed: ${errorLine(err)}` },
          ]);
          for (const d of drift) problems.push(`schema drift: ${d.message}`);
          if (drift.length > 0) problems.push(`repair what is missing with migrate-tenants --repair --tenant ${tenant.slug}`);
        }
      } else if (tenant.status === 'failed') {
        problems.push('provisioning failed; run create-tenant again to retry, or delete-tenant');
      } else if (tenant.status === 'maintenance' && interrupted?.state !== 'interrupted') {
        problems.push('in maintenance: a move is running or was interrupted (run move-tenant again to finish or undo it)');
      } else if (tenant.status === 'deleting') {
        problems.push('deletion did not finish; run delete-tenant again');
      } else if (tenant.status === 'provisioning' && creatorGone(tenant)) {
        problems.push(
          `stuck in provisioning: its creator (${tenant.provisioning?.owner ?? 'unknown'}) is gone; run create-tenant again to take it over, or remove-orphans`,
        );
      }
      return { slug: tenant.slug, status: tenant.status, health, problems };
    },
    { concurrency: flags.concurrency },
  );
  out.push(...results);
  if (slugs.length === 0) {
    // Databases named like ours that no tenant owns (a creation killed before its row, or after it was removed).
    // A warning, not a failure: on a server shared with another deployment its databases look the same.
    const orphans = await tenancy.provisioner.findOrphans();
    checks.push({
      name: 'orphan databases',
      ok: true,
      warning: orphans.databases.length > 0,
      message:
        orphans.databases.length === 0
          ? 'none'
          : `${plural(orphans.databases.length, 'database')} no tenant owns: ${orphans.databases.map((d) => d.where).join(', ')} (remove-orphans drops them)`,
    });
    for (const u of orphans.unreachable)
      checks.push({ name: 'orphan databases', ok: false, message: `${u.where} could not be listed: ${u.error}` });
  }
  if (kept.length > 0) {
    // Not a failure: a finished move keeps the old database on purpose, but the next move refuses until it is dropped.
    checks.push({ name: 'kept databases', ok: true, warning: true, message: kept.join('; ') });
  }
  const troubled = results.filter((r) => r.problems.length > 0).length;
  checks.push({
    name: 'tenants',
    ok: troubled === 0,
    message: `${plural(results.length, 'tenant')} checked${troubled > 0 ? `, ${troubled} with problems` : ''}`,
  });
}
