/**
 * Run `worker` over `items` with at most `limit` in flight, in order of `items`.
 * `shouldContinue` is asked before each new item starts (for a Stop button); items not started are left alone.
 * Worker failures are the worker's business: it should record them, this never rejects because of one.
 */
export async function runWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  worker: (item: T, index: number) => Promise<void>,
  shouldContinue: () => boolean = () => true,
): Promise<void> {
  let next = 0;
  const lanes = Math.max(1, Math.min(limit, items.length));
  const lane = async () => {
    while (next < items.length && shouldContinue()) {
      const index = next++;
      try {
        await worker(items[index] as T, index);
      } catch {
        // recorded by the worker
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}
