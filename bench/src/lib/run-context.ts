import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cleanup } from './cleanup';

/** Sizes and durations of one run: `--quick` (< 3 min) or full (< 20 min). */
export interface RunScale {
  quick: boolean;
  /** Seconds of each measured load round. */
  roundSeconds: number;
  /** Seconds of the discarded warm-up before each server's first round. */
  warmupSeconds: number;
  /** Baseline/subject pairs per comparison (A B A B …); the median of each side is compared. */
  rounds: number;
  /** HTTP connections kept open by the load generator. */
  connections: number;
  /** Tenants the routing benchmark spreads its requests over (SQLite). */
  routingTenants: number;
  /** Distinct PostgreSQL tenant databases created for the run (each one costs ~1 s to drop here). */
  pgDatabases: number;
  /** Tenants of the connection-budget benchmark (PostgreSQL) and the cache bound. */
  budgetTenants: number;
  budgetMaxOpen: number;
  /** Cold-start benchmark: tenants visited per pass, passes after the first. */
  coldTenants: number;
  coldPasses: number;
  /** Tenants created per provisioning mode and engine. */
  provisionTenants: number;
  /** Fleet-migration benchmark sizes. */
  fleetSqlite: number;
  fleetPostgres: number;
  fleetRounds: number;
  /** Registered tenants of the memory benchmark. */
  memoryTenants: number;
}

export function runScale(quick: boolean): RunScale {
  return quick
    ? {
        quick,
        roundSeconds: 2,
        warmupSeconds: 1,
        rounds: 2,
        connections: 10,
        routingTenants: 50,
        pgDatabases: 8,
        budgetTenants: 100,
        budgetMaxOpen: 20,
        coldTenants: 30,
        coldPasses: 1,
        provisionTenants: 3,
        fleetSqlite: 100,
        fleetPostgres: 8,
        fleetRounds: 1,
        memoryTenants: 2_000,
      }
    : {
        quick,
        roundSeconds: 5,
        warmupSeconds: 2,
        rounds: 5,
        connections: 10,
        routingTenants: 200,
        pgDatabases: 200,
        budgetTenants: 1_000,
        budgetMaxOpen: 50,
        coldTenants: 100,
        coldPasses: 1,
        provisionTenants: 50,
        fleetSqlite: 1_000,
        fleetPostgres: 200,
        fleetRounds: 3,
        memoryTenants: 10_000,
      };
}

/**
 * Everything one `pnpm bench` run shares: a unique id (prefix of every database it creates), a
 * temporary directory, the secret key of its registries, the cleanup list.
 */
export class RunContext {
  /** Lower-case, starts with a letter: usable in slugs and PostgreSQL database names. */
  readonly id = `sfb${Date.now().toString(36).slice(-5)}${randomBytes(2).toString('hex')}`;
  readonly dir = mkdtempSync(join(tmpdir(), 'salesfleet-bench-'));
  readonly secretKey = randomBytes(32).toString('base64url');
  readonly cleanup = new Cleanup();
  readonly scale: RunScale;
  /** Write a CPU profile of every server child to this directory (`--profile`). */
  readonly profileDir: string | null;

  constructor(scale: RunScale, options: { profileDir?: string | null } = {}) {
    this.scale = scale;
    this.profileDir = options.profileDir ?? null;
    this.cleanup.add('remove the temporary directory', () => rmSync(this.dir, { recursive: true, force: true }), { last: true });
  }

  /** A fresh directory inside the run's temporary directory. */
  subdir(name: string): string {
    const path = join(this.dir, name);
    mkdirSync(path, { recursive: true });
    return path;
  }

  /** Where child processes write their stderr: bench/results/logs/<run id>/ (kept after the run, not committed). */
  get logDir(): string {
    const path = fileURLToPath(new URL(`../../results/logs/${this.id}`, import.meta.url));
    mkdirSync(path, { recursive: true });
    return path;
  }
}
