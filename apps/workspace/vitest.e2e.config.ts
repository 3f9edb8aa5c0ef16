import { defineConfig } from 'vitest/config';

// End-to-end tests: a real `pnpm start` server and headless Chromium. Slow by nature.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
