import type { Logger } from 'pino';

/** Variables every request carries; tenant routes also get `tenant` and `db` (set by the host router). */
export interface AppVariables {
  requestId: string;
  logger: Logger;
}

export interface AppEnv {
  Variables: AppVariables;
}
