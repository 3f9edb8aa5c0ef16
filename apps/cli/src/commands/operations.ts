import type { OperationOutcome } from '@salesfleet/tenancy';
import { withTenancy, type CommandContext } from '../context';
import { formatDate, formatMs, printTable } from '../output';

export interface OperationsFlags {
  tenant?: string;
  action?: string;
  outcome?: OperationOutcome;
  limit: number;
  json?: boolean;
}

/** The audit log of lifecycle operations, newest first (secrets were masked before it was written). */
export async function operationsCommand(ctx: CommandContext, flags: OperationsFlags): Promise<void> {
  const { out } = ctx;
  await withTenancy(ctx, {}, async (tenancy) => {
    const rows = await tenancy.operations.list({
      ...(flags.tenant ? { tenant: flags.tenant } : {}),
      ...(flags.action ? { action: flags.action } : {}),
      ...(flags.outcome ? { outcome: flags.outcome } : {}),
      limit: flags.limit,
    });
    if (flags.json) {
      await out.json({ operations: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) });
      return;
    }
    if (rows.length === 0) {
      out.line('No operations recorded yet.');
      return;
    }
    await printTable(
      out,
      [
        { header: 'Time (UTC)' },
        { header: 'Action' },
        { header: 'Tenant' },
        { header: 'Step' },
        { header: 'Outcome' },
        { header: 'Actor' },
        { header: 'Took', align: 'right' },
        { header: 'Error' },
      ],
      rows.map((r) => [
        `${formatDate(r.createdAt)}:${String(r.createdAt.getUTCSeconds()).padStart(2, '0')}`,
        r.action,
        r.tenantSlug ?? '',
        r.step ?? '',
        r.outcome === 'failed' ? out.red(r.outcome) : r.outcome,
        r.actor,
        formatMs(r.durationMs),
        truncate(r.error ?? '', out.tty ? 60 : 200),
      ]),
    );
    out.line(`(newest first; the full log is ${tenancy.operations.logFile})`);
  });
}

function truncate(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
