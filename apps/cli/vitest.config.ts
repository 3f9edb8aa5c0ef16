import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Integration tests spawn the real CLI (node + tsx + Sequelize: seconds per process on a busy
    // machine) against real databases.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
