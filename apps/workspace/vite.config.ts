import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API serves index.html at every client route of a tenant host (`/`, `/sell`, `/invoices/12`…)
// and the hashed files under /_app/ — a prefix no API route or client route uses. In development
// Vite proxies /api to a running server, keeping the browser's Host (a tenant's <slug>.localhost).
export default defineConfig(({ command, mode }) => {
  // `vite build` makes the production bundle whatever NODE_ENV its caller has: the e2e tests run under
  // vitest (NODE_ENV=test), whose `pnpm start` builds this app when stale, and NODE_ENV=test gave
  // React's development build and import.meta.env.DEV. Vite reads NODE_ENV only after this file.
  if (command === 'build' && mode === 'production') process.env.NODE_ENV = 'production';
  return {
    base: '/_app/',
    plugins: [react()],
    server: {
      proxy: {
        '/api': { target: process.env.SALESFLEET_API_URL ?? 'http://localhost:8000' },
      },
    },
    build: {
      outDir: fileURLToPath(new URL('./dist', import.meta.url)),
      emptyOutDir: true,
      // The bench and the API read the manifest to know which files the first screen needs.
      manifest: true,
    },
  };
});
