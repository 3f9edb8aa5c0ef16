// The Vite config both web apps (apps/admin, apps/workspace) share; each names its base path and plugins.
// Plain JavaScript with types beside it (vite.d.ts): Vite loads it from the apps' vite.config.ts in Node.
import { fileURLToPath } from 'node:url';

export function webAppConfig({ base, appUrl, plugins, manifest = false }) {
  return ({ command, mode }) => {
    // `vite build` makes the production bundle whatever NODE_ENV its caller has: the e2e tests run under
    // vitest (NODE_ENV=test), whose `pnpm start` builds the apps when stale, and NODE_ENV=test gave
    // React's development build and import.meta.env.DEV. Vite reads NODE_ENV only after the config.
    if (command === 'build' && mode === 'production') process.env.NODE_ENV = 'production';
    return {
      base,
      plugins,
      // In development Vite proxies /api to a running server. The proxy keeps the browser's Host header
      // (no changeOrigin), so the API sees a same-origin request and the platform or tenant host.
      server: { proxy: { '/api': { target: process.env.SALESFLEET_API_URL ?? 'http://localhost:8000' } } },
      build: { outDir: fileURLToPath(new URL('./dist', appUrl)), emptyOutDir: true, manifest },
    };
  };
}
