import { z } from 'zod';

/** Where a tenant's data lives: the database engines a tenant (and the registry) can use. */
export const ENGINES = ['sqlite', 'postgres', 'mysql'] as const;
export type Engine = (typeof ENGINES)[number];
export const engineSchema = z.enum(ENGINES);

export function isEngine(value: unknown): value is Engine {
  return typeof value === 'string' && (ENGINES as readonly string[]).includes(value);
}
