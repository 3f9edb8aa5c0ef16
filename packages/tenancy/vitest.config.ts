import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // node-postgres deprecations (queries sent at once on one transaction's connection) fail the test
    // that caused them; --trace-deprecation shows where they came from.
    execArgv: ['--trace-deprecation'],
    setupFiles: ['@salesfleet/models/testing/pg-deprecations-setup'],
    // Real databases: integration tests take seconds, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
