/**
 * node-postgres deprecates queries sent to a client that is still running one (what `Promise.all`
 * over one transaction does); pg 9 will fail them. Test runs watch for its deprecation warnings and
 * fail the test that caused one (see pg-deprecations-setup.ts, a vitest setup file of the models,
 * tenancy and API suites, which also run node with --trace-deprecation to show where it came from).
 */
export const PG_DEPRECATION = /will be removed in pg@9/;

const caught: Error[] = [];
let watching = false;

/** Starts collecting node-postgres deprecation warnings of this process (once). */
export function watchPgDeprecations(): void {
  if (watching) return;
  watching = true;
  process.on('warning', (warning) => {
    if (warning.name === 'DeprecationWarning' && PG_DEPRECATION.test(warning.message)) caught.push(warning);
  });
}

/** The warnings collected since the last call (after letting pending warnings arrive), and forgets them. */
export async function takePgDeprecations(): Promise<Error[]> {
  // process.emitWarning delivers on the next tick.
  await new Promise((resolve) => setImmediate(resolve));
  return caught.splice(0);
}
