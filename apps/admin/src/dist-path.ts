import { fileURLToPath } from 'node:url';

/** Absolute path of the built console (`vite build` output), for the API to serve at /admin/. */
export const adminDistDir: string = fileURLToPath(new URL('../dist', import.meta.url));
