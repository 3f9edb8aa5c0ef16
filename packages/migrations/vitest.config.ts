import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Each test creates and drops real PostgreSQL/MariaDB databases.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
