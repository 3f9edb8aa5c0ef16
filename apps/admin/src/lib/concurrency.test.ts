import { describe, expect, it } from 'vitest';
import { runWithConcurrency } from './concurrency';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('runWithConcurrency', () => {
  it('runs every item, in order of start, never more than the limit at once', async () => {
    let inFlight = 0;
    let max = 0;
    const started: number[] = [];
    await runWithConcurrency([1, 2, 3, 4, 5, 6, 7], 2, async (n) => {
      started.push(n);
      inFlight++;
      max = Math.max(max, inFlight);
      await tick();
      inFlight--;
    });
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(max).toBe(2);
  });

  it('carries on after a failing item', async () => {
    const done: number[] = [];
    await runWithConcurrency([1, 2, 3], 2, async (n) => {
      if (n === 1) throw new Error('boom');
      done.push(n);
    });
    expect(done.sort()).toEqual([2, 3]);
  });

  it('starts nothing new once asked to stop', async () => {
    const started: number[] = [];
    let stop = false;
    await runWithConcurrency(
      [1, 2, 3, 4, 5],
      2,
      async (n) => {
        started.push(n);
        if (n === 2) stop = true;
        await tick();
      },
      () => !stop,
    );
    expect(started).toEqual([1, 2]);
  });
});
