import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Database tests create and drop real PostgreSQL/MariaDB databases; scrypt hashes take ~0.6 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
