/** One line of the results table. */
export interface ResultRow {
  /** Benchmark number and short name, e.g. `1 routing (SQLite)`. */
  benchmark: string;
  metric: string;
  /** The measured value (with unit), and the baseline it is compared with when there is one. */
  value: string;
  baseline?: string;
  /** value / baseline, measured in the same run. */
  ratio?: number;
  target?: string;
  /** Whether the target is met (undefined: reported only). */
  met?: boolean;
}

export interface BenchmarkResult {
  name: string;
  title: string;
  rows: ResultRow[];
  /** Sentences printed under the table: set-up, deviations, causes. */
  notes: string[];
  /** Everything measured (JSON only). */
  details: Record<string, unknown>;
  durationSeconds: number;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  loadAverage: number[];
  node: string;
  postgres: string | null;
  pgMaxConnections: number | null;
  mariadb: string | null;
  os: string;
}

const fmtRatio = (r: number | undefined) => (r === undefined || !Number.isFinite(r) ? '' : `${r.toFixed(2)}×`);
const verdict = (met: boolean | undefined) => (met === undefined ? '—' : met ? 'met' : '**not met**');

export function markdownTable(results: readonly BenchmarkResult[]): string {
  const lines = ['| benchmark | metric | measured | baseline | ratio | target | verdict |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const r of results) {
    for (const row of r.rows) {
      lines.push(
        `| ${row.benchmark} | ${row.metric} | ${row.value} | ${row.baseline ?? ''} | ${fmtRatio(row.ratio)} | ${row.target ?? ''} | ${verdict(row.met)} |`,
      );
    }
  }
  return lines.join('\n');
}

export function markdownReport(options: {
  mode: 'quick' | 'full';
  startedAt: Date;
  durationSeconds: number;
  machine: MachineInfo;
  results: readonly BenchmarkResult[];
  failures: readonly { name: string; error: string }[];
}): string {
  const { machine: m } = options;
  const out = [
    `# Salesfleet benchmarks — ${options.mode} run, ${options.startedAt.toISOString()}`,
    '',
    `Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres ?? 'not reachable'}` +
      `${m.pgMaxConnections ? ` (max_connections ${m.pgMaxConnections})` : ''}; MariaDB ${m.mariadb ?? 'not reachable'}; ` +
      `load average at start ${m.loadAverage.map((l) => l.toFixed(1)).join(' / ')}.`,
    `Run time: ${(options.durationSeconds / 60).toFixed(1)} min. Ratios are measured in this run against the baseline named on each line ` +
      '(interleaved rounds, medians); absolute figures are for orientation only.',
    '',
    markdownTable(options.results),
    '',
  ];
  for (const r of options.results) {
    if (r.notes.length === 0) continue;
    out.push(`**${r.title}** (${r.durationSeconds.toFixed(0)} s)`, '');
    for (const n of r.notes) out.push(`- ${n}`);
    out.push('');
  }
  if (options.failures.length > 0) {
    out.push('**Benchmarks that failed to run**', '');
    for (const f of options.failures) out.push(`- ${f.name}: ${f.error}`);
    out.push('');
  }
  return out.join('\n');
}
