/**
 * SALESFLEET_BACKUP_SCHEDULE: when the running server backs up every active tenant. Times are UTC.
 *
 *   off (or unset)   no scheduled backups (the default)
 *   daily@HH:MM      once a day, e.g. daily@02:00
 *   hourly@MM        once an hour at that minute, e.g. hourly@15
 *   every <n>s|m|h   every n seconds, minutes or hours, counted from 00:00 UTC, e.g. every 6h
 *
 * Pure (no imports): the configuration parses it at start-up, so a bad value stops the process.
 */
export type BackupSchedule =
  | { kind: 'daily'; hour: number; minute: number; text: string }
  | { kind: 'hourly'; minute: number; text: string }
  | { kind: 'every'; ms: number; text: string };

export const BACKUP_SCHEDULE_SYNTAX = 'off, daily@HH:MM, hourly@MM or every <n>s|m|h (UTC), e.g. daily@02:00 or every 6h';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/** Parses a schedule; null for `off` or empty. Throws an Error whose message says what is wrong. */
export function parseBackupSchedule(raw: string | undefined): BackupSchedule | null {
  const text = (raw ?? '').trim().toLowerCase();
  if (text === '' || text === 'off') return null;
  const bad = (why: string) => new Error(`"${raw}" ${why}; use ${BACKUP_SCHEDULE_SYNTAX}`);
  let m = /^daily@(\d{1,2}):(\d{2})$/.exec(text);
  if (m) {
    const hour = Number(m[1]);
    const minute = Number(m[2]);
    if (hour > 23 || minute > 59) throw bad('is not a time of day');
    return { kind: 'daily', hour, minute, text };
  }
  m = /^hourly@(\d{1,2})$/.exec(text);
  if (m) {
    const minute = Number(m[1]);
    if (minute > 59) throw bad('is not a minute of the hour');
    return { kind: 'hourly', minute, text };
  }
  m = /^every\s+(\d{1,6})\s*([smh])$/.exec(text);
  if (m) {
    const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
    if (ms < 1000 || ms > 7 * 86_400_000) throw bad('must be from 1 second to 7 days');
    return { kind: 'every', ms, text };
  }
  throw bad('is not a schedule');
}

/** The first scheduled time strictly after `after`. Every process computes the same times. */
export function nextBackupTime(schedule: BackupSchedule, after: Date): Date {
  const t = after.getTime();
  if (schedule.kind === 'every') return new Date((Math.floor(t / schedule.ms) + 1) * schedule.ms);
  const next = new Date(t);
  next.setUTCSeconds(0, 0);
  if (schedule.kind === 'hourly') {
    next.setUTCMinutes(schedule.minute);
    while (next.getTime() <= t) next.setUTCHours(next.getUTCHours() + 1);
    return next;
  }
  next.setUTCHours(schedule.hour, schedule.minute);
  while (next.getTime() <= t) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}
