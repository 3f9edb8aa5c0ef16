import { readFile } from 'node:fs/promises';

/** Linux's USER_HZ: /proc reports CPU times in ticks of 1/100 s on every architecture Node runs on here. */
export const MICROS_PER_TICK = 10_000;

/** utime + stime in µs from the text of a /proc `stat` file (a process's or one of its threads'). */
export function statCpuMicros(stat: string): number {
  // Fields after the command name (which may hold spaces and parentheses): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * MICROS_PER_TICK;
}

export async function childPids(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text
    .split(' ')
    .filter((s) => s.trim() !== '')
    .map(Number);
}

/** utime + stime of one process in µs (0 once it has exited). */
export async function ownCpuMicros(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat === null ? 0 : statCpuMicros(stat);
}

/**
 * CPU time (user + system, µs) of a process and every live descendant — a `pnpm start` primary and its
 * cluster workers — read from /proc. Resolution is one tick (10 ms), so read it over whole rounds.
 */
export async function processTreeCpuMicros(pid: number): Promise<number> {
  let total = await ownCpuMicros(pid);
  for (const child of await childPids(pid)) total += await processTreeCpuMicros(child);
  return total;
}
