import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API serves the built console at /admin/; in development Vite proxies /api to it.
// The proxy keeps the browser's Host header (no changeOrigin), so the API sees a same-origin
// request and the platform host, exactly as in production.
export default defineConfig({
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
});
