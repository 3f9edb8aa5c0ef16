import { fileURLToPath } from 'node:url';

/** Absolute path of the built workspace (`vite build` output), for the API to serve on tenant hosts. */
export const workspaceDistDir: string = fileURLToPath(new URL('../dist', import.meta.url));
