import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API serves the built console at /admin/; in development Vite proxies /api to it.
// The proxy keeps the browser's Host header (no changeOrigin), so the API sees a same-origin
// request and the platform host, exactly as in production.
export default defineConfig(({ command, mode }) => {
  // `vite build` makes the production bundle whatever NODE_ENV its caller has: the e2e tests run under
  // vitest (NODE_ENV=test), whose `pnpm start` builds this app when stale, and NODE_ENV=test gave
  // React's development build and import.meta.env.DEV. Vite reads NODE_ENV only after this file.
  if (command === 'build' && mode === 'production') process.env.NODE_ENV = 'production';
  return {
    base: '/admin/',
    plugins: [react()],
    server: {
      proxy: {
        '/api': { target: process.env.SALESFLEET_API_URL ?? 'http://localhost:8000' },
      },
    },
    build: {
      outDir: fileURLToPath(new URL('./dist', import.meta.url)),
      emptyOutDir: true,
    },
  };
});
