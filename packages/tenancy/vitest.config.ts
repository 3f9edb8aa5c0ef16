import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Real databases and OWASP-cost scrypt hashes: integration tests take seconds, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
