import type { Harness, RunningServer } from '../lib/harness';
import { loadavg } from 'node:os';
import { PG_URL, pgAvailable, WaitSampler } from '../lib/pg';
import type { BenchmarkResult, ResultRow } from '../lib/report';
import { median, round } from '../lib/stats';
import type { LoadResult, SequentialRequest } from '../load/load-generator';

/** Tenants the sales are spread over (issue 15 target 3: 20 PostgreSQL tenants). */
const TENANTS = 20;
/** The target: cash sales of three lines per second over the 20 tenants. */
const TARGET_PER_SECOND = 300;
/** Sales sent one at a time while the server counts the statements it sends. */
const COUNTED_SALES = 20;

/** A walk-in cash sale of three products (invoice, three lines, stock, journal, payment in one transaction). */
const SALE = {
  lines: [
    { productId: 1, quantity: 1 },
    { productId: 2, quantity: 2 },
    { productId: 3, quantity: 1 },
  ],
  payment: { method: 'cash' },
};

const ok = (status: number) => status >= 200 && status < 300;

/**
 * 12. Write path: the real API (`tenancy` server, as `pnpm start` wires it, one process) taking cash
 * sales of three lines — POST /api/invoices with a cash payment: number, three lines, stock taken,
 * three movements, the journal entry and the payment, one transaction — spread round-robin over 20
 * PostgreSQL tenants, as the tenant admin's bearer session. Each tenant first receives stock of the
 * three products (a receipt at a unit cost, so the sale posts cost of goods too). Reported: sales/s
 * (median of the rounds), errors (non-2xx and socket errors: must be 0), p99; then every tenant's
 * trial balance must balance and its invoice count must equal the sales acknowledged; and the SQL
 * statements per sale (every statement of the server process — registry and tenant — over sales sent
 * one at a time, counted by a Sequelize hook in a second server started for that).
 */
export async function salesBenchmark(h: Harness): Promise<BenchmarkResult> {
  const started = performance.now();
  const { scale } = h.ctx;
  const rows: ResultRow[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  if (!(await pgAvailable())) {
    notes.push(`PostgreSQL not reachable at ${new URL(PG_URL).host}: skipped.`);
    return { name: 'sales', title: '12. Write path (cash sales)', rows, notes, details, durationSeconds: 0 };
  }
  const template = await h.fixtures.pgTemplate();
  const fleet = await h.fixtures.fleet({ postgres: TENANTS, pgDistinct: TENANTS });
  const hosts = fleet.postgres.map((s) => `${s}.localhost`);
  const headers = { authorization: `Bearer ${template.token}` };
  const env = fleet.env({ SALESFLEET_MAX_OPEN_TENANTS: String(TENANTS + 16), LOG_LEVEL: 'warn' });

  const call = async (server: RunningServer, requests: Omit<SequentialRequest, 'headers' | 'label'>[], label: string) => {
    const answers = await h.sequential(
      server.port,
      requests.map((r) => ({ ...r, headers, label, keepBody: true })),
    );
    const bad = answers.find((a) => !ok(a.status));
    if (bad) throw new Error(`${label}: ${server.name} answered ${bad.status}: ${bad.body}`);
    return answers.map((a) => JSON.parse(a.body ?? 'null') as Record<string, unknown>);
  };

  const sale = (host: string) => ({ host, path: '/api/invoices', method: 'POST' as const, body: SALE });
  const subject = await h.server('tenancy', 'sales-pg', env);
  let acknowledged = 0;
  try {
    // Stock for a long run: a receipt of each product at every tenant's only location.
    const [locations] = await call(subject, [{ host: hosts[0]!, path: '/api/locations' }], 'locations');
    const locationId = (locations!.locations as { id: number }[])[0]!.id;
    await call(
      subject,
      hosts.flatMap((host) =>
        SALE.lines.map((l) => ({
          host,
          path: '/api/stock/adjustments',
          method: 'POST' as const,
          body: { productId: l.productId, locationId, quantity: 1_000_000, reason: 'receipt', unitCost: 40 },
        })),
      ),
      'stock receipts',
    );

    // One sale per tenant first (defines the sale path's models on every handle), then a discarded load run.
    const first = await call(subject, hosts.map(sale), 'first sales');
    const load = { path: '/api/invoices', method: 'POST' as const, body: SALE, hosts, headers, connections: scale.connections };
    const warm = await h.load(subject.port, { ...load, durationSeconds: scale.warmupSeconds });
    h.log(`warm-up: ${warm.rps} sales/s, non-2xx ${warm.non2xx}, errors ${warm.errors}`);
    const runs: LoadResult[] = [warm];
    const measured: LoadResult[] = [];
    // What the run's backends wait on during the measured rounds, and the server's CPU per sale.
    const waits = new WaitSampler(h.fixtures.pgPrefix);
    await waits.start();
    const cpuBefore = await subject.child.request<number>('cpu-usage');
    for (let r = 0; r < scale.rounds; r++) {
      const result = await h.load(subject.port, { ...load, durationSeconds: scale.roundSeconds });
      runs.push(result);
      measured.push(result);
      h.log(
        `round ${r + 1}/${scale.rounds} (${scale.connections} conn): ${result.rps} sales/s, p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
      );
    }
    const cpuAfter = await subject.child.request<number>('cpu-usage');
    const waited = await waits.stop();
    const measuredSales = measured.reduce((n, x) => n + (x.statusCodes['201'] ?? 0), 0);
    const cpuMsPerSale = round((cpuAfter - cpuBefore) / 1000 / Math.max(1, measuredSales), 2);
    details.waits = waited;
    h.log(
      `server CPU ${cpuMsPerSale} ms per sale; backends of the run by state/wait (average over ${waited.samples} samples): ${JSON.stringify(waited.average)}; lock waits ${waited.lockWaitsAverage}; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    acknowledged = first.length + runs.reduce((n, x) => n + (x.statusCodes['201'] ?? 0), 0);
    const errors = runs.reduce((n, x) => n + x.non2xx + x.errors, 0);
    const perSecond = round(median(measured.map((x) => x.rps)), 1);
    const p99 = round(median(measured.map((x) => x.p99)), 2);

    // The books after the load: every tenant's trial balance balances; no acknowledged sale is missing.
    const balances = await call(
      subject,
      hosts.map((host) => ({ host, path: '/api/reports/trial-balance' })),
      'trial balances',
    );
    const unbalanced = balances.filter((b) => (b.report as { balanced: boolean }).balanced !== true).length;
    const counts = await call(
      subject,
      hosts.map((host) => ({ host, path: '/api/invoices?limit=1' })),
      'invoice counts',
    );
    const stored = counts.reduce((n, c) => n + Number(c.total), 0);

    details.load = { tenants: TENANTS, connections: scale.connections, rounds: measured, warmup: warm };
    // A load run ends on a clock: the sales in flight then (at most one per connection) commit
    // without their answer being counted. Fewer stored than acknowledged would be a lost sale.
    const inFlightAtEnds = scale.connections * runs.length;
    const booksHold = unbalanced === 0 && stored >= acknowledged && stored <= acknowledged + inFlightAtEnds;
    details.books = { acknowledged, stored, inFlightAtEnds, unbalanced };
    rows.push(
      {
        benchmark: '12 write path (PostgreSQL)',
        metric: `cash sales of 3 lines/s over ${TENANTS} tenants (${scale.connections} conn)`,
        value: `${perSecond}`,
        target: `≥ ${TARGET_PER_SECOND}`,
        met: perSecond >= TARGET_PER_SECOND && errors === 0,
      },
      { benchmark: '12 write path (PostgreSQL)', metric: 'p99', value: `${p99} ms` },
      {
        benchmark: '12 write path (PostgreSQL)',
        metric: 'API server CPU per sale over the measured rounds (user + system)',
        value: `${cpuMsPerSale} ms`,
      },
      {
        benchmark: '12 write path (PostgreSQL)',
        metric: 'tenant backends during the rounds, average count by state and wait (sampled every 20 ms); row/relation locks not granted',
        value: `${Object.entries(waited.average)
          .slice(0, 5)
          .map(([k, v]) => `${k} ${v}`)
          .join('; ')}; lock waits ${waited.lockWaitsAverage}`,
      },
      {
        benchmark: '12 write path (PostgreSQL)',
        metric: 'errors (non-2xx + socket) over every round',
        value: `${errors}`,
        target: '0',
        met: errors === 0,
      },
      {
        benchmark: '12 write path (PostgreSQL)',
        metric:
          'after: unbalanced trial balances; invoices stored vs sales acknowledged (+ ≤ 1 in flight per connection at each run’s end)',
        value: `${unbalanced}; ${stored}`,
        baseline: `0; ${acknowledged} (+ ≤ ${inFlightAtEnds})`,
        target: 'balanced; none lost',
        met: booksHold,
      },
    );
  } finally {
    await subject.child.stop();
  }

  // Statements per sale, counted in a server of its own (the hook costs a little on every statement).
  const counting = await h.server('tenancy', 'sales-pg-counted', { ...env, BENCH_COUNT_STATEMENTS: '1' });
  try {
    // Every tenant once first: handles open, sessions and permissions cached, as in the load above.
    await call(counting, hosts.map(sale), 'warm sales');
    const before = (await counting.child.request<{ statements: number }>('statements')).statements;
    await call(
      counting,
      Array.from({ length: COUNTED_SALES }, (_, i) => sale(hosts[i % hosts.length]!)),
      'counted sales',
    );
    const after = (await counting.child.request<{ statements: number }>('statements')).statements;
    const perSale = round((after - before) / COUNTED_SALES, 2);
    details.statements = { sales: COUNTED_SALES, statements: after - before, perSale };
    rows.push({ benchmark: '12 write path (PostgreSQL)', metric: 'SQL statements per sale (request, one at a time)', value: `${perSale}` });
  } finally {
    await counting.child.stop();
  }
  notes.push(
    `${TENANTS} PostgreSQL tenant databases (clones of the seeded template), each given a receipt of the three products first; ` +
      `POST /api/invoices {3 lines, payment: cash} round-robin over the tenants, ${scale.connections} connections, ` +
      `${scale.rounds} rounds of ${scale.roundSeconds} s after a ${scale.warmupSeconds} s warm-up (whose sales, and one first sale per tenant, count in the books check). ` +
      'Statements per sale are the queries the server sends (Sequelize’s beforeQuery hook; a PostgreSQL query of several statements — the sale’s reads with its START TRANSACTION, its writes with its COMMIT — counts once), everything the request sends included (session and permission reads when not cached).',
  );
  return {
    name: 'sales',
    title: '12. Write path (cash sales)',
    rows,
    notes,
    details,
    durationSeconds: (performance.now() - started) / 1000,
  };
}
