import type { OperationContext, OperationRun, OperationsLog } from '../operations';

/**
 * Runs `action` as one recorded operation: its `started` row, then `succeeded` (with the details
 * `succeeded(result)` returns) or `failed` with the error, which is rethrown as it is.
 */
export async function withOperation<T>(
  operations: OperationsLog,
  action: string,
  context: OperationContext,
  fn: (run: OperationRun) => Promise<T>,
  succeeded: (result: T) => Record<string, unknown> = () => ({}),
): Promise<T> {
  const run = await operations.begin(action, context);
  try {
    const result = await fn(run);
    await run.succeed(succeeded(result));
    return result;
  } catch (err) {
    await run.fail(err);
    throw err;
  }
}
