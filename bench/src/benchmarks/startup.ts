import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, isFresh, readManifest } from '@salesfleet/build';
import { freePort } from '@salesfleet/api/testing';
import type { Harness } from '../lib/harness';
import type { BenchmarkResult, ResultRow } from '../lib/report';
import { median, round } from '../lib/stats';
import { stopChild } from '../lib/cleanup';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI_BIN = join(ROOT, 'apps/cli/bin/salesfleet.js');
const API_BIN = join(ROOT, 'apps/api/bin/salesfleet-api.js');

type Variant = 'compiled' | 'source';

/** The environment of a user's shell, without this run's SALESFLEET_* settings. */
export function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SALESFLEET_') && k !== 'NODE_ENV') env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

const variantEnv = (variant: Variant): Record<string, string> => (variant === 'source' ? { SALESFLEET_FROM_SOURCE: '1' } : {});

/** Wall time of one whole process (ms); throws when it fails. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return ms;
}

/**
 * One `pnpm start` (its bin: pnpm's own ~0.7 s is not the app's) until GET /healthz answers 200, then
 * SIGTERM. Returns the milliseconds from spawn to that answer.
 */
async function timeApiStart(h: Harness, variant: Variant, dataDir: string): Promise<number> {
  const port = await freePort();
  const env = userEnv({
    ...variantEnv(variant),
    SALESFLEET_DATA_DIR: dataDir,
    PORT: String(port),
    SALESFLEET_SKIP_CONSOLE_BUILD: '1',
    LOG_LEVEL: 'warn',
  });
  const t0 = performance.now();
  const child = spawn(process.execPath, [API_BIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  h.ctx.cleanup.track(child);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));
  try {
    for (;;) {
      if (exited) throw new Error(`the API (${variant}) exited before answering:\n${output.slice(-2000)}`);
      if (performance.now() - t0 > 120_000) throw new Error(`the API (${variant}) did not answer within 120 s:\n${output.slice(-2000)}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return performance.now() - t0;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    await stopChild(child);
  }
}

/** Both apps built and fresh before anything is timed (a stale build would be rebuilt inside the first run). */
export async function ensureBuilt(h: Harness): Promise<void> {
  for (const app of ['apps/api', 'apps/cli']) {
    const appDir = join(ROOT, app);
    const manifest = readManifest(appDir);
    if (!manifest || !isFresh(appDir, manifest)) {
      h.log(`startup: building ${app}`);
      await buildApp({ appDir });
    }
  }
}

/**
 * 11. Start-up (issue 11.7, issue 15.7): the CLI's own start (`node apps/cli/bin/salesfleet.js --help`,
 * no database layer loaded) and `pnpm start` until its first answered request, compiled JavaScript vs
 * the same sources through tsx (SALESFLEET_FROM_SOURCE=1, how both ran before). Interleaved rounds,
 * medians; the floor is `node -e 0` on the same machine at the same moment.
 */
export async function startupBenchmark(h: Harness): Promise<BenchmarkResult> {
  const started = performance.now();
  await ensureBuilt(h);
  const runs = h.ctx.scale.quick ? 5 : 11;
  const starts = h.ctx.scale.quick ? 3 : 5;
  const rows: ResultRow[] = [];

  const cli: Record<Variant | 'floor', number[]> = { compiled: [], source: [], floor: [] };
  const cliVersion: Record<Variant, number[]> = { compiled: [], source: [] };
  for (let i = 0; i < runs; i++) {
    cli.floor.push(timeProcess(['-e', '0'], userEnv({})));
    for (const v of ['compiled', 'source'] as const) {
      cli[v].push(timeProcess([CLI_BIN, '--help'], userEnv(variantEnv(v))));
      cliVersion[v].push(timeProcess([CLI_BIN, '--version'], userEnv(variantEnv(v))));
    }
  }
  const m = (xs: number[]) => round(median(xs), 0);
  rows.push(
    {
      benchmark: '11 startup (CLI)',
      metric: `node apps/cli/bin/salesfleet.js --help, whole process (median of ${runs}): compiled vs tsx`,
      value: `${m(cli.compiled)} ms`,
      baseline: `${m(cli.source)} ms`,
      ratio: median(cli.compiled) / median(cli.source),
      target: '≤ 200 ms',
      met: median(cli.compiled) <= 200,
    },
    {
      benchmark: '11 startup (CLI)',
      metric: '--version: compiled vs tsx',
      value: `${m(cliVersion.compiled)} ms`,
      baseline: `${m(cliVersion.source)} ms`,
      ratio: median(cliVersion.compiled) / median(cliVersion.source),
    },
    {
      benchmark: '11 startup (CLI)',
      metric: '--help compiled vs the floor: node -e 0 (same rounds)',
      value: `${m(cli.compiled)} ms`,
      baseline: `${m(cli.floor)} ms`,
      ratio: median(cli.compiled) / median(cli.floor),
    },
  );

  const api: Record<Variant, { first: number[]; restart: number[] }> = {
    compiled: { first: [], restart: [] },
    source: { first: [], restart: [] },
  };
  for (let i = 0; i < starts; i++) {
    for (const v of ['compiled', 'source'] as const) {
      const dataDir = h.ctx.subdir(`startup-${v}-${i}`);
      api[v].first.push(await timeApiStart(h, v, dataDir)); // empty data dir: registry created, admin's password hashed
      api[v].restart.push(await timeApiStart(h, v, dataDir)); // the usual start: everything exists
    }
  }
  rows.push(
    {
      benchmark: '11 startup (API)',
      metric: `pnpm start (its bin) to first /healthz 200, existing data dir (median of ${starts}): compiled vs tsx`,
      value: `${m(api.compiled.restart)} ms`,
      baseline: `${m(api.source.restart)} ms`,
      ratio: median(api.compiled.restart) / median(api.source.restart),
      target: '≤ 1500 ms',
      met: median(api.compiled.restart) <= 1500,
    },
    {
      benchmark: '11 startup (API)',
      metric: 'same, empty data dir (registry migrated, first admin created): compiled vs tsx',
      value: `${m(api.compiled.first)} ms`,
      baseline: `${m(api.source.first)} ms`,
      ratio: median(api.compiled.first) / median(api.source.first),
    },
  );

  return {
    name: 'startup',
    title: '11. Start-up: the CLI and the API, compiled vs tsx',
    rows,
    notes: [
      'Whole processes spawned one after another from this runner, the two variants interleaved in each round; builds made fresh before timing. ' +
        '`pnpm` itself adds about 0.7 s before either starts (not counted: the bins are run with node). ' +
        'The API runs with SALESFLEET_SKIP_CONSOLE_BUILD=1 (the web apps are built by their own step) and a SQLite registry.',
    ],
    details: { runs, starts, cli, cliVersion, api },
    durationSeconds: (performance.now() - started) / 1000,
  };
}
