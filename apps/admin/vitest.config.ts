import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Component and unit tests only; the end-to-end tests have their own config (vitest.e2e.config.ts).
export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test/setup.ts'],
    // Typing through whole forms in jsdom is slow on a loaded 2-core machine; a timeout is not a finding.
    testTimeout: 60_000,
  },
});
