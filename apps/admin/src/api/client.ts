import { createApiClient } from '@salesfleet/ui';

/** The Platform API, same origin as the console (served by the API, or proxied by Vite). */
export const api = createApiClient('/api/platform');
