/** What `webAppConfig` answers Vite (a UserConfig). */
export interface WebAppConfig<P> {
  base: string;
  plugins: P;
  server: { proxy: Record<string, { target: string }> };
  build: { outDir: string; emptyOutDir: boolean; manifest: boolean };
}

/**
 * A web app's Vite config: served under `base`, built into `dist/` beside the config (`appUrl`:
 * its `import.meta.url`), a production bundle whatever NODE_ENV the build's caller has, and /api
 * proxied in development (to SALESFLEET_API_URL, by default http://localhost:8000).
 */
export function webAppConfig<P>(options: {
  base: string;
  appUrl: string;
  plugins: P;
  /** Write .vite/manifest.json (which files the first screen needs). */
  manifest?: boolean;
}): (env: { command: 'build' | 'serve'; mode: string }) => WebAppConfig<P>;
