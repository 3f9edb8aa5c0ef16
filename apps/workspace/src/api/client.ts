import { createApiClient } from '@salesfleet/ui';

/** The tenant API on the page's own host (the workspace is served by the API on every tenant host). */
export const api = createApiClient('/api');
