import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Real databases (PostgreSQL/MariaDB created and dropped per test file) and scrypt hashes (~0.5 s).
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
