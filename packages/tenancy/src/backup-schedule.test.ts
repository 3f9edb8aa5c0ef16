import { describe, expect, it } from 'vitest';
import { nextBackupTime, parseBackupSchedule } from './backup-schedule';
import { loadConfig } from './config';

describe('SALESFLEET_BACKUP_SCHEDULE', () => {
  it('parses off, daily@HH:MM, hourly@MM and every <n>s|m|h', () => {
    expect(parseBackupSchedule(undefined)).toBeNull();
    expect(parseBackupSchedule(' OFF ')).toBeNull();
    expect(parseBackupSchedule('daily@02:00')).toMatchObject({ kind: 'daily', hour: 2, minute: 0 });
    expect(parseBackupSchedule('hourly@15')).toMatchObject({ kind: 'hourly', minute: 15 });
    expect(parseBackupSchedule('every 6h')).toMatchObject({ kind: 'every', ms: 6 * 3_600_000 });
    expect(parseBackupSchedule('every 30s')).toMatchObject({ kind: 'every', ms: 30_000 });
  });

  it('refuses anything else with the syntax in the message', () => {
    for (const bad of ['daily@25:00', 'daily@02:60', 'hourly@75', 'every 0s', 'every 8000h', '0 2 * * *', 'nightly']) {
      expect(() => parseBackupSchedule(bad)).toThrow(/use off, daily@HH:MM, hourly@MM or every <n>s\|m\|h/);
    }
  });

  it('computes the next time in UTC, strictly after the given one', () => {
    const at = new Date('2026-12-07T02:00:00.000Z');
    expect(nextBackupTime(parseBackupSchedule('daily@02:00')!, at).toISOString()).toBe('2026-12-08T02:00:00.000Z');
    expect(nextBackupTime(parseBackupSchedule('daily@02:00')!, new Date('2026-12-07T01:59:59Z')).toISOString()).toBe(
      '2026-12-07T02:00:00.000Z',
    );
    expect(nextBackupTime(parseBackupSchedule('hourly@15')!, at).toISOString()).toBe('2026-12-07T02:15:00.000Z');
    expect(nextBackupTime(parseBackupSchedule('hourly@15')!, new Date('2026-12-07T02:15:00Z')).toISOString()).toBe(
      '2026-12-07T03:15:00.000Z',
    );
    expect(nextBackupTime(parseBackupSchedule('every 6h')!, new Date('2026-12-07T05:59:00Z')).toISOString()).toBe(
      '2026-12-07T06:00:00.000Z',
    );
  });

  it('is off by default, and a bad value stops start-up with a ConfigError naming the variable', () => {
    const env = { SALESFLEET_SECRET_KEY: 'k'.repeat(40), SALESFLEET_DATA_DIR: '/nonexistent-salesfleet' };
    expect(loadConfig(env).backupSchedule).toBeNull();
    expect(loadConfig({ ...env, SALESFLEET_BACKUP_SCHEDULE: 'daily@02:00' }).backupSchedule).toMatchObject({ kind: 'daily', hour: 2 });
    expect(() => loadConfig({ ...env, SALESFLEET_BACKUP_SCHEDULE: 'at two' })).toThrow(
      expect.objectContaining({
        code: 'ConfigError',
        message: expect.stringMatching(/^SALESFLEET_BACKUP_SCHEDULE: "at two" is not a schedule/),
      }),
    );
  });
});
