import { z } from 'zod';
import { ConfigError } from '@salesfleet/contracts';

/**
 * The API process's own settings (tenancy's `loadConfig` parses the shared ones: data dir, registry,
 * base domains, port, trusted proxies…). A bad value stops start-up naming the variable.
 */
const schema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SALESFLEET_DEMO: z
    .enum(['', '0', '1', 'false', 'true', 'no', 'yes'], 'must be 1/true/yes or 0/false/no')
    .default('')
    .transform((v) => v === '1' || v === 'true' || v === 'yes'),
  SALESFLEET_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024, 'must be at least 1024')
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  /** API processes (node:cluster workers) sharing the port: a number or `auto` (one per core, the default); 1 = no cluster. */
  SALESFLEET_WORKERS: z
    .union([z.literal('auto'), z.coerce.number().int('must be a whole number or auto').min(1, 'must be at least 1').max(64, 'at most 64')])
    .optional(),
  /** Skip the "is the console built?" check (CI images that build it separately). */
  SALESFLEET_SKIP_CONSOLE_BUILD: z
    .enum(['', '0', '1', 'false', 'true'])
    .default('')
    .transform((v) => v === '1' || v === 'true'),
});

export type ApiEnv = z.output<typeof schema>;

export function loadApiEnv(env: NodeJS.ProcessEnv = process.env): ApiEnv {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  return parsed.data;
}
