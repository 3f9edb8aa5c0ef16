import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // node-postgres deprecations (queries sent at once on one transaction's connection) fail the test
    // that caused them; --trace-deprecation shows where they came from.
    execArgv: ['--trace-deprecation'],
    setupFiles: ['./src/testing/pg-deprecations-setup.ts'],
    include: ['src/**/*.test.ts'],
    // Database tests create and drop real PostgreSQL/MariaDB databases.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
