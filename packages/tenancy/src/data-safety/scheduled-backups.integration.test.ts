import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBackupSchedule } from '../backup-schedule';
import { createTestTenancy, memoryLogger, testSlug, type TestTenancy, until } from '../testing/index';
import { listBackups } from './backup';
import { SCHEDULED_BACKUPS_ACTION, startScheduledBackups } from './scheduled-backups';

// SALESFLEET_BACKUP_SCHEDULE: the running server backs up every active tenant at each scheduled time,
// keeping the configured number of archives; two processes (here two schedulers) never both run one time.
describe('scheduled backups', () => {
  let t: TestTenancy;
  const active = [testSlug('sched'), testSlug('sched')];
  const suspended = testSlug('sched');

  beforeAll(async () => {
    t = await createTestTenancy({ config: { backupKeep: 1 } });
    for (const slug of [...active, suspended]) {
      await t.provisioner.createTenant(
        { name: slug, subdomain: slug, adminEmail: `a@${slug}.test`, adminPassword: 'correct horse battery staple 42' },
        { actor: 'test' },
      );
    }
    await t.provisioner.suspendTenant(suspended, { actor: 'test' });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('backs up every active tenant once per time, with retention, logged and in the operations log', async () => {
    const logger = memoryLogger();
    const schedule = parseBackupSchedule('every 2s')!;
    const first = startScheduledBackups({ ...t, logger }, schedule);
    const second = startScheduledBackups({ ...t, logger }, schedule);
    const runs = async () => (await t.registry.listOperations({ action: SCHEDULED_BACKUPS_ACTION, outcome: 'succeeded' })).reverse();
    try {
      await until(async () => (await runs()).length >= 2, 'two scheduled runs', 60_000);
    } finally {
      await first.stop();
      await second.stop();
    }
    const done = await runs();
    const slots = done.map((op) => (op.details as { slot: string }).slot);
    expect(new Set(slots).size).toBe(slots.length);
    for (const op of done) expect(op).toMatchObject({ actor: 'system:backup-schedule', details: { backedUp: 2, failed: [] } });

    // Retention keep 1: one archive per active tenant after two runs; none of the suspended one.
    for (const slug of active) expect(await listBackups(t.config, slug)).toHaveLength(1);
    expect(await listBackups(t.config, suspended)).toHaveLength(0);
    const backups = await t.registry.listOperations({ action: 'backup-tenant', outcome: 'succeeded', limit: 1000 });
    expect(backups.filter((op) => op.tenantSlug === active[0]).length).toBe(done.length);
    expect(logger.entries.filter((e) => e.msg === 'scheduled backups done').length).toBe(done.length);
    expect(logger.entries.some((e) => e.msg === 'scheduled backups on')).toBe(true);
  });
});
