import { SalesfleetError } from '@salesfleet/models';

export type MigrationDirection = 'up' | 'down';

/** A migration threw. Carries the failing migration's name and what this run applied before it. */
export class MigrationFailed extends SalesfleetError {
  readonly migration: string;
  readonly direction: MigrationDirection;
  /** Migrations this run completed before the failure (up: applied, down: reverted). */
  readonly completed: string[];
  /** True when the failing migration was rolled back as a whole (PostgreSQL, SQLite). */
  readonly rolledBack: boolean;

  constructor(
    migration: string,
    direction: MigrationDirection,
    cause: unknown,
    { completed, rolledBack }: { completed: string[]; rolledBack: boolean },
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const verb = direction === 'up' ? 'Migration' : 'Reverting migration';
    const earlier = direction === 'up' ? 'migrations before it stayed applied' : 'migrations reverted before it stayed reverted';
    const state = rolledBack
      ? `${migration} was rolled back and ${earlier}, so the database is at the version before ${migration}`
      : `${earlier}, and ${migration} may be partly ${direction === 'up' ? 'applied' : 'reverted'} (this database cannot roll back schema changes)`;
    super(
      'MigrationFailed',
      `${verb} ${migration} failed: ${reason}; ${state}.`,
      { migration, direction, completed, rolledBack },
      { cause },
    );
    this.migration = migration;
    this.direction = direction;
    this.completed = completed;
    this.rolledBack = rolledBack;
  }
}
