/**
 * CPU and SQL statements of one cash sale of three lines in the domain code (createInvoice with a
 * cash payment: number, lines, stock, movements, journal, payment — one transaction), sales sent one
 * at a time on one tenant, after a warm-up. The API adds its request path on top (benchmark 12
 * measures the whole server). Not a test: no assertions beyond the sales succeeding.
 *
 *   pnpm --filter @salesfleet/models measure:sale [sqlite|postgres|mysql] [sales] [--profile FILE] [--sql]
 *
 * --profile writes a CPU profile of the measured sales (summarize it with
 * bench/src/profile/summarize-cpuprofile.ts); --sql prints the statements of one sale. The sales name
 * no location (as the till and benchmark 12 send them: the user's location rule picks it). On
 * PostgreSQL it also reports the CPU of the database's backends per sale (/proc, on this machine).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { QueryTypes } from 'sequelize';
import { Session } from 'node:inspector/promises';
import type { TestDialect } from '../src/testing';
import { createInvoice, writeInvoice } from '../src/sales/invoicing';
import { openTestTenant } from '../src/sales/test-tenant';

const args = process.argv.slice(2);
const dialect = (args.find((a) => ['sqlite', 'postgres', 'mysql'].includes(a)) ?? 'postgres') as TestDialect;
const sales = Number(args.find((a) => /^\d+$/.test(a)) ?? 1000);
const profileAt = args.indexOf('--profile');
const profileFile = profileAt >= 0 ? args[profileAt + 1] : undefined;
const printSql = args.includes('--sql');
const readBack = !args.includes('--no-read-back');

const tenant = await openTestTenant(dialect);
try {
  const products = [];
  for (let i = 0; i < 3; i++) products.push(await tenant.product({ unitPrice: 1000 + i, costPrice: 400 }, 1_000_000));
  const input = {
    userId: tenant.userId,
    lines: products.map((p, i) => ({ productId: p.id, quantity: (i === 1 ? 2 : 1) * 1000 })),
    payment: { method: 'cash' as const },
  };
  const sell = () => (readBack ? createInvoice(tenant.models, input) : writeInvoice(tenant.models, input));

  // utime + stime (µs) of the backends serving this database (/proc ticks of 10 ms: read over many sales).
  const backendsCpu = async () => {
    if (dialect !== 'postgres') return 0;
    const rows = await tenant.models.sequelize.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
      { type: QueryTypes.SELECT },
    );
    let micros = 0;
    for (const { pid } of rows) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        micros += (Number(f[11]) + Number(f[12])) * 10_000;
      } catch {
        // the backend exited
      }
    }
    return micros;
  };

  let statements = 0;
  const seen: string[] = [];
  tenant.models.sequelize.addHook('beforeQuery', () => {
    statements++;
  });
  const log = (sql: string) => seen.push(sql);
  for (let i = 0; i < 200; i++) await sell();
  if (printSql) {
    const options = (tenant.models.sequelize as unknown as { options: { logging: unknown } }).options;
    options.logging = log;
    await sell();
    options.logging = false;
    for (const sql of seen) console.log(`  ${sql.length > 220 ? `${sql.slice(0, 220)}…` : sql}`);
  }

  const session = profileFile ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  }
  const before = statements;
  const backendsBefore = await backendsCpu();
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < sales; i++) await sell();
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - t;
  const backends = (await backendsCpu()) - backendsBefore;
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profileFile!, JSON.stringify(profile));
    session.disconnect();
  }
  const perSale = (x: number) => (x / sales).toFixed(2);
  console.log(
    `${dialect}: ${sales} sales${readBack ? '' : ' (no read-back)'}: CPU ${perSale((used.user + used.system) / 1000)} ms per sale ` +
      `(user ${perSale(used.user / 1000)}), wall ${perSale(wall)} ms, statements ${perSale(statements - before)} per sale` +
      (dialect === 'postgres' ? `, backends' CPU ${perSale(backends / 1000)} ms per sale` : ''),
  );
} finally {
  await tenant.cleanup();
}
