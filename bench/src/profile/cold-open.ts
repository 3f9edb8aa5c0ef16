/**
 * `pnpm --filter @salesfleet/bench profile:cold [sqlite|postgres] [n]` — where a cold tenant's first
 * request goes: the same steps as TenantConnections' `open` in openTenancy (openSequelize with the
 * handle options, authenticate, defineTenantModels) and then the queries of an authenticated product
 * list request (session + user, then the page of products), each timed, with every SQL statement
 * counted through Sequelize's `logging`. Each sample uses a database no process has opened yet.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Op } from 'sequelize';
import { defineTenantModels } from '@salesfleet/models';
import { openSequelize, parseDatabaseUrl, type DatabaseSpec } from '@salesfleet/tenancy';
import { Fixtures } from '../lib/fixtures';
import { PG_URL } from '../lib/pg';
import { RunContext, runScale } from '../lib/run-context';
import { median, round } from '../lib/stats';

const engine = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const n = Number(process.argv[3] ?? 15);
const ctx = new RunContext(runScale(true));
ctx.cleanup.installSignalHandlers();
const fixtures = new Fixtures(ctx);

try {
  const template = engine === 'sqlite' ? await fixtures.sqliteTemplate() : await fixtures.pgTemplate();
  const dataDir = ctx.subdir('profile');
  const specs: DatabaseSpec[] = [];
  if (engine === 'sqlite') {
    mkdirSync(join(dataDir, 'tenants'), { recursive: true });
    for (let i = 0; i < n; i++) {
      copyFileSync(template.source, join(dataDir, 'tenants', `c${i}.sqlite`));
      specs.push({ engine: 'sqlite', database: `tenants/c${i}.sqlite`, host: null, port: null, user: null, password: null });
    }
  } else {
    for (const name of await fixtures.pgDatabases(n)) specs.push({ ...parseDatabaseUrl(PG_URL), database: name });
  }
  const tokenHash = createHash('sha256').update(template.token).digest('hex');
  const phases: Record<string, number[]> = {};
  const queries: Record<string, string[]> = {};
  const time = async <T>(phase: string, fn: () => Promise<T> | T, log: string[]): Promise<T> => {
    const before = log.length;
    const t0 = performance.now();
    const value = await fn();
    (phases[phase] ??= []).push(performance.now() - t0);
    queries[phase] = log.slice(before);
    return value;
  };
  for (const spec of specs) {
    const log: string[] = [];
    const t0 = performance.now();
    const sequelize = await time('openSequelize', () =>
      openSequelize(spec, { dataDir, tenant: true, poolMax: 3, connectTimeoutMs: 5000, acquireTimeoutMs: 5000 }),
      log,
    );
    (sequelize as unknown as { options: { logging: (sql: string) => void } }).options.logging = (sql) => log.push(sql.replace(/^Executing \([^)]*\): /, ''));
    await time('authenticate (connect)', () => sequelize.authenticate(), log);
    const models = await time('defineTenantModels', () => defineTenantModels(sequelize), log);
    await time('session + user (auth)', () =>
      models.Session.findOne({ where: { tokenHash }, include: [{ model: models.User, as: 'user', required: true }] }),
      log,
    );
    await time('product page + count', () =>
      models.Product.findAndCountAll({ where: { [Op.and]: [] }, order: [['name', 'ASC'], ['id', 'ASC']], limit: 20, offset: 0 }),
      log,
    );
    await time('same request again (warm)', async () => {
      await models.Session.findOne({ where: { tokenHash }, include: [{ model: models.User, as: 'user', required: true }] });
      await models.Product.findAndCountAll({ where: { [Op.and]: [] }, order: [['name', 'ASC'], ['id', 'ASC']], limit: 20, offset: 0 });
    }, log);
    (phases.total ??= []).push(performance.now() - t0);
    await sequelize.close();
  }
  process.stdout.write(`cold open of ${n} ${engine} tenant databases (median ms; SQL statements of the phase):\n`);
  for (const [phase, xs] of Object.entries(phases)) {
    process.stdout.write(`  ${phase.padEnd(28)} ${String(round(median(xs), 2)).padStart(8)} ms   ${queries[phase]?.length ?? ''}\n`);
  }
  for (const [phase, qs] of Object.entries(queries)) for (const q of qs) process.stdout.write(`    [${phase}] ${q.slice(0, 200)}\n`);
} finally {
  await ctx.cleanup.run();
}
