import type { FleetJobKind, FleetJobRecord, Tenancy } from '@salesfleet/tenancy';
import { cliActor, withTenancy, type CommandContext } from '../context';
import { ReportedFailure, UsageError } from '../errors';
import { formatDate, formatMs, plural, printTable, type Output } from '../output';

export interface JobsListFlags {
  kind?: FleetJobKind;
  limit: number;
  json?: boolean;
}

/** How often a followed job is read again from the registry. */
const FOLLOW_MS = 500;

const jobJson = (j: FleetJobRecord) => ({
  ...j,
  leaseUntil: j.leaseUntil?.toISOString() ?? null,
  createdAt: j.createdAt.toISOString(),
  updatedAt: j.updatedAt.toISOString(),
  finishedAt: j.finishedAt?.toISOString() ?? null,
});

function parseId(raw: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(raw)) throw new UsageError(`"${raw}" is not a job id (a whole number, see jobs list)`);
  return Number(raw);
}

async function getJob(tenancy: Tenancy, id: number): Promise<FleetJobRecord> {
  const job = await tenancy.jobs.get(id);
  if (!job) throw new UsageError(`There is no job ${id} (see jobs list)`);
  return job;
}

const countsText = (j: FleetJobRecord) =>
  `${j.counts.done} done, ${j.counts.skipped} skipped, ${j.counts.failed} failed, ${j.counts.pending} pending`;

/** `jobs list`: fleet jobs recorded in the registry, newest first. */
export async function jobsListCommand(ctx: CommandContext, flags: JobsListFlags): Promise<void> {
  const { out } = ctx;
  await withTenancy(ctx, {}, async (tenancy) => {
    const jobs = await tenancy.jobs.list({ limit: flags.limit, ...(flags.kind ? { kind: flags.kind } : {}) });
    if (flags.json) return out.json({ jobs: jobs.map(jobJson) });
    if (jobs.length === 0) return out.line('No fleet jobs recorded yet.');
    await printTable(
      out,
      [
        { header: 'Id', align: 'right' },
        { header: 'Kind' },
        { header: 'State' },
        { header: 'Tenants', align: 'right' },
        { header: 'Outcomes' },
        { header: 'Started (UTC)' },
        { header: 'By' },
      ],
      jobs.map((j) => [String(j.id), j.kind, j.state, String(j.total), countsText(j), formatDate(j.createdAt), j.actor]),
    );
  });
}

/** `jobs show <id>`: the job and the tenants that failed or are not done yet (`--all`: every tenant). */
export async function jobsShowCommand(ctx: CommandContext, rawId: string, flags: { json?: boolean; all?: boolean }): Promise<void> {
  const { out } = ctx;
  const id = parseId(rawId);
  await withTenancy(ctx, {}, async (tenancy) => {
    const job = await getJob(tenancy, id);
    const tenants = await tenancy.jobs.tenants(id);
    if (flags.json) {
      return out.json({ job: jobJson(job), tenants: tenants.map((t) => ({ ...t, finishedAt: t.finishedAt?.toISOString() ?? null })) });
    }
    describeJob(out, job);
    const shown = flags.all ? tenants : tenants.filter((t) => t.state === 'failed' || t.state === 'pending');
    if (shown.length === 0) return;
    out.line();
    await printTable(
      out,
      [{ header: 'Tenant' }, { header: 'State' }, { header: 'Took', align: 'right' }, { header: 'Error' }],
      shown.map((t) => [t.slug, t.state, formatMs(t.durationMs), t.error ?? '']),
    );
  });
}

/** `jobs attach <id>`: follows a job (wherever it runs) with a progress bar until it ends. */
export async function jobsAttachCommand(ctx: CommandContext, rawId: string, flags: { json?: boolean }): Promise<void> {
  const id = parseId(rawId);
  await withTenancy(ctx, {}, async (tenancy) => {
    const job = await followJob(ctx.out, tenancy, await getJob(tenancy, id), flags);
    if (job.state === 'failed') throw new ReportedFailure();
  });
}

/**
 * `migrate-tenants --job`: starts a migrate job in the registry (run by this process; if it stops, a
 * running API server resumes it), or attaches to the one already running, and follows it to the end.
 */
export async function migrateJobCommand(
  ctx: CommandContext,
  tenancy: Tenancy,
  flags: { concurrency: number; json?: boolean },
): Promise<void> {
  const { out } = ctx;
  const { job, started } = await tenancy.jobs.start('migrate', { concurrency: flags.concurrency }, { actor: cliActor() });
  if (!flags.json) {
    out.note(
      started
        ? `Job ${job.id} started here (${plural(job.total, 'tenant')}); if this process stops, a running API server resumes it.`
        : `A migrate job is already running (job ${job.id}, by ${job.actor}): following it.`,
    );
  }
  const end = await followJob(out, tenancy, job, flags);
  if (end.state === 'failed') throw new ReportedFailure();
}

async function followJob(out: Output, tenancy: Tenancy, first: FleetJobRecord, flags: { json?: boolean }): Promise<FleetJobRecord> {
  const bar = !flags.json && out.errTty ? await progressBar(first) : null;
  let job = first;
  try {
    bar?.start(job.total, job.total - job.counts.pending, { kind: job.kind });
    while (job.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_MS));
      job = (await tenancy.jobs.get(job.id)) ?? job;
      bar?.update(job.total - job.counts.pending);
    }
  } finally {
    bar?.stop();
  }
  if (flags.json) await out.json({ job: jobJson(job), tenants: await tenancy.jobs.tenants(job.id, { state: 'failed' }) });
  else {
    describeJob(out, job);
    for (const t of await tenancy.jobs.tenants(job.id, { state: 'failed' })) out.line(out.red(`  ${t.slug}: ${t.error ?? 'failed'}`));
  }
  return job;
}

function describeJob(out: Output, j: FleetJobRecord): void {
  const state = j.state === 'succeeded' ? out.green(j.state) : j.state === 'failed' ? out.red(j.state) : out.yellow(j.state);
  out.line(`Job ${j.id} (${j.kind}) ${state}: ${plural(j.total, 'tenant')} — ${countsText(j)}`);
  out.line(
    out.dim(
      `  started ${formatDate(j.createdAt)} by ${j.actor}${j.finishedAt ? `, finished ${formatDate(j.finishedAt)}` : ''}${j.attempts > 1 ? `, resumed ${plural(j.attempts - 1, 'time')}` : ''}${j.owner ? `, running in ${j.owner}` : ''}`,
    ),
  );
  if (j.error) out.line(out.red(`  ${j.error}`));
}

async function progressBar(job: FleetJobRecord) {
  const { default: progress } = await import('cli-progress');
  return new progress.SingleBar(
    { format: `Job ${job.id} ({kind}) |{bar}| {value}/{total} tenants`, hideCursor: true, clearOnComplete: true, stream: process.stderr },
    progress.Presets.shades_classic,
  );
}
