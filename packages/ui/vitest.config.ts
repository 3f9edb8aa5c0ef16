import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test-setup.ts'],
    // jsdom renders slowly on a loaded 2-core machine (CI runs every package at once); a timeout is not a finding.
    testTimeout: 60_000,
  },
});
