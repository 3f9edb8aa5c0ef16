import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// findBy*/waitFor give up after 1 s by default; the first render of a test file (React, the router and
// the query client warming up in jsdom) took longer than that while .ci/run ran every package's tests
// at once on 2 cores. A screen that never appears still fails, after 10 s.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
