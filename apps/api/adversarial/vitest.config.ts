import { defineConfig } from 'vitest/config';

// `pnpm test:adversarial`: the real server (src/main.ts) as a child process, tenants on SQLite,
// PostgreSQL and MariaDB, and the attacks that once found issue 10's defects. Bounded to a few minutes.
export default defineConfig({
  test: {
    include: ['adversarial/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
