import type { DjangoImportProgress, DjangoImportResult } from '@salesfleet/tenancy';
import { cliActor, loadTenancyPackage, withTenancy, type CommandContext } from '../context';
import { plural, type Output } from '../output';

export interface ImportUsersFlags {
  fromDjango: string;
  dryRun?: boolean;
  json?: boolean;
}

/** `import-users <slug> --from-django URL [--dry-run]`: progress on a terminal, then a summary. */
export async function importUsersCommand(ctx: CommandContext, slug: string, flags: ImportUsersFlags): Promise<void> {
  const { out } = ctx;
  await withTenancy(ctx, {}, async (tenancy) => {
    const bar = !flags.json && out.errTty ? await progressBar() : null;
    let result: DjangoImportResult;
    try {
      result = await (await loadTenancyPackage()).importDjangoUsers(tenancy, slug, flags.fromDjango, {
        actor: cliActor(),
        dryRun: flags.dryRun ?? false,
        ...(bar
          ? {
              onProgress: (p: DjangoImportProgress) => {
                if (bar.getTotal() !== p.total) bar.start(Math.max(p.total, 1), p.done);
                bar.update(p.done);
              },
            }
          : {}),
      });
    } finally {
      bar?.stop();
    }
    if (flags.json) return out.json(result);
    printSummary(out, result);
    if (!result.dryRun) out.line(`Sign in at ${tenancy.tenantUrl(slug)}`);
  });
}

function printSummary(out: Output, r: DjangoImportResult): void {
  const would = r.dryRun ? 'Would import' : 'Imported';
  out.line(`${r.dryRun ? 'Dry run (nothing written): ' : ''}${r.source} → ${r.slug}`);
  const kept = r.created.filter((u) => u.password === 'kept');
  const reset = r.created.filter((u) => u.password === 'must-reset');
  const inactive = r.created.filter((u) => !u.isActive);
  out.line(
    `  ${would} ${plural(r.created.length, 'user')} (${kept.length} keep their password, ${reset.length} must reset, ${inactive.length} inactive)`,
  );
  for (const u of r.created)
    out.line(
      `    ${u.username} <${u.email}>${u.isSuperuser ? ' superuser' : ''}${u.isActive ? '' : ' inactive'} groups: ${u.groups.join(', ') || '(none)'}${u.password === 'must-reset' ? ` — must reset (${u.mustResetReason})` : ''}`,
    );
  if (r.existing.length)
    out.line(`  Already in the tenant, left as they are: ${r.existing.map((e) => `${e.username} (same ${e.matchedBy})`).join(', ')}`);
  for (const s of r.skippedUsers) out.line(out.yellow(`  Skipped user ${s.username}: ${s.reason}`));
  if (r.mappedGroups.length) out.line(`  Groups mapped: ${r.mappedGroups.map((g) => `${g.django} → ${g.tenant}`).join(', ')}`);
  for (const g of r.skippedGroups)
    out.line(
      out.yellow(
        `  Skipped group ${g.name} (${plural(g.members, 'member')}): no tenant group of that name; its Django permissions do not map here — put its people in a group on the users screen`,
      ),
    );
  if (reset.length && !r.dryRun)
    out.line(`  Users who must reset: give each a one-time password with tenant-users ${r.slug} --reset-password <username>`);
}

async function progressBar() {
  const { default: progress } = await import('cli-progress');
  return new progress.SingleBar(
    { format: 'Importing users |{bar}| {value}/{total}', hideCursor: true, clearOnComplete: true, stream: process.stderr },
    progress.Presets.shades_classic,
  );
}
