import { afterAll, afterEach } from 'vitest';
import { takePgDeprecations, watchPgDeprecations } from './pg-deprecations';

/** Vitest setup file: a node-postgres deprecation warning fails the test (or file) that caused it. */
watchPgDeprecations();

async function failOnPgDeprecations(): Promise<void> {
  const warnings = await takePgDeprecations();
  if (warnings.length === 0) return;
  const first = warnings[0]!;
  throw new Error(`node-postgres deprecation (${warnings.length}×): ${first.message}\n${first.stack ?? ''}`);
}

afterEach(failOnPgDeprecations);
afterAll(failOnPgDeprecations);
