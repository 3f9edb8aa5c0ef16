/**
 * `pnpm bench [--quick] [--profile] [name…]` — runs the benchmarks of issue 6 and writes
 * `bench/results/<time>-<mode>.{md,json}` (and `latest-<mode>.md`). Names: routing, floor, cold,
 * budget, provisioning, migrations, memory, move, workspace, tenants, startup, sales, workers (or their numbers 1–13); none = all.
 *
 * Everything measured runs in child processes this runner starts (API servers on loopback ports, the
 * load generator, task processes); tenants live in a temporary directory and in PostgreSQL databases
 * named `<run id>_…` (plus `sales_<run id>…` made by the provisioner), all removed at the end — also
 * after a failure or Ctrl-C.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { budgetBenchmark } from './benchmarks/budget';
import { coldBenchmark } from './benchmarks/cold';
import { cyclingBenchmark } from './benchmarks/cycling';
import { floorBenchmark } from './benchmarks/floor';
import { memoryBenchmark } from './benchmarks/memory';
import { migrationsBenchmark } from './benchmarks/migrations';
import { moveBenchmark } from './benchmarks/move';
import { provisioningBenchmark } from './benchmarks/provisioning';
import { routingBenchmark } from './benchmarks/routing';
import { salesBenchmark } from './benchmarks/sales';
import { schemasBenchmark } from './benchmarks/schemas';
import { startupBenchmark } from './benchmarks/startup';
import { workspaceBenchmark } from './benchmarks/workspace';
import { tenantsBenchmark } from './benchmarks/tenants';
import { workersBenchmark } from './benchmarks/workers';
import { Harness } from './lib/harness';
import { pgAvailable, pgServerInfo } from './lib/pg';
import { markdownReport, markdownTable, type BenchmarkResult, type MachineInfo } from './lib/report';
import { RunContext, runScale } from './lib/run-context';

const BENCHMARKS: { name: string; run: (h: Harness) => Promise<BenchmarkResult> }[] = [
  { name: 'routing', run: routingBenchmark },
  { name: 'floor', run: floorBenchmark },
  { name: 'cold', run: coldBenchmark },
  { name: 'cycling', run: cyclingBenchmark },
  { name: 'budget', run: budgetBenchmark },
  { name: 'provisioning', run: provisioningBenchmark },
  { name: 'migrations', run: migrationsBenchmark },
  { name: 'memory', run: memoryBenchmark },
  { name: 'move', run: moveBenchmark },
  { name: 'workspace', run: workspaceBenchmark },
  { name: 'tenants', run: tenantsBenchmark },
  { name: 'startup', run: startupBenchmark },
  { name: 'sales', run: salesBenchmark },
  { name: 'workers', run: workersBenchmark },
  { name: 'schemas', run: schemasBenchmark },
];

const RESULTS_DIR = fileURLToPath(new URL('../results', import.meta.url));

function usage(): never {
  process.stderr.write(
    `usage: pnpm bench [--quick] [--profile] [${BENCHMARKS.map((b) => b.name).join('|')}|1-${BENCHMARKS.length} …]\n` +
      '  --quick    smaller fleets and shorter rounds (< 3 min)\n' +
      '  --profile  write CPU profiles of every server child into bench/results/profiles-<time>/<server>/ (the largest file is the main thread)\n',
  );
  process.exit(2);
}

function parseArgs(argv: string[]) {
  let quick = false;
  let profile = false;
  const names: string[] = [];
  for (const arg of argv) {
    if (arg === '--') continue;
    if (arg === '--quick') quick = true;
    else if (arg === '--profile') profile = true;
    else if (arg === '--help' || arg === '-h') usage();
    else if (/^[1-9][0-9]?$/.test(arg) && Number(arg) <= BENCHMARKS.length) names.push(BENCHMARKS[Number(arg) - 1]!.name);
    else if (BENCHMARKS.some((b) => b.name === arg)) names.push(arg);
    else {
      process.stderr.write(`unknown benchmark or option: ${arg}\n`);
      usage();
    }
  }
  return { quick, profile, names };
}

function commandVersion(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  } catch {
    return null;
  }
}

async function machineInfo(): Promise<MachineInfo> {
  const pg = (await pgAvailable()) ? await pgServerInfo() : null;
  const mariadb = commandVersion('mysql', ['-h127.0.0.1', '-uroot', '-N', '-e', 'SELECT VERSION()']);
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg(),
    node: process.version,
    postgres: pg?.version ?? null,
    pgMaxConnections: pg?.maxConnections ?? null,
    mariadb,
    os: `${os.type()} ${os.release()}`,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const profileDir = args.profile ? join(RESULTS_DIR, `profiles-${stamp}`) : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const ctx = new RunContext(runScale(args.quick), { profileDir });
  ctx.cleanup.installSignalHandlers();
  const harness = new Harness(ctx);
  const startedAt = new Date();
  const mode = args.quick ? 'quick' : 'full';
  const selected = args.names.length > 0 ? BENCHMARKS.filter((b) => args.names.includes(b.name)) : BENCHMARKS;
  process.stderr.write(`salesfleet bench: ${mode} run ${ctx.id}, ${selected.map((b) => b.name).join(', ')}; scratch ${ctx.dir}\n`);

  const machine = await machineInfo();
  const results: BenchmarkResult[] = [];
  const failures: { name: string; error: string }[] = [];
  try {
    for (const b of selected) {
      if (ctx.cleanup.aborted) break;
      process.stderr.write(`▶ ${b.name}\n`);
      const t0 = performance.now();
      try {
        const result = await b.run(harness);
        results.push(result);
        process.stderr.write(`${markdownTable([result])}\n✓ ${b.name} in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
      } catch (err) {
        if (ctx.cleanup.aborted) break;
        failures.push({ name: b.name, error: (err as Error).message });
        process.stderr.write(`✗ ${b.name}: ${(err as Error).stack ?? String(err)}\n`);
        await ctx.cleanup.stopChildren();
      }
    }
  } finally {
    await harness.close();
    process.stderr.write('cleaning up…\n');
    await ctx.cleanup.run();
  }
  const durationSeconds = (Date.now() - startedAt.getTime()) / 1000;
  const report = markdownReport({ mode, startedAt, durationSeconds, machine, results, failures });
  mkdirSync(RESULTS_DIR, { recursive: true });
  const base = join(RESULTS_DIR, `${stamp}-${mode}`);
  writeFileSync(`${base}.md`, report);
  writeFileSync(join(RESULTS_DIR, `latest-${mode}.md`), report);
  writeFileSync(
    `${base}.json`,
    `${JSON.stringify({ mode, runId: ctx.id, startedAt, durationSeconds, machine, scale: ctx.scale, results, failures }, null, 2)}\n`,
  );
  process.stdout.write(`\n${report}\n`);
  process.stderr.write(`wrote ${base}.md and .json (${(durationSeconds / 60).toFixed(1)} min)\n`);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
