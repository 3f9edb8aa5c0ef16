// Imports nothing, so the admin console can bundle it for the browser
// (`@salesfleet/tenancy/reserved-labels`) and warn while an admin types.

/**
 * Labels that are never tenants: the platform's own hosts and names people expect to be ours.
 * `www` is routed to the platform; the others resolve to "unknown".
 */
export const RESERVED_LABELS: ReadonlySet<string> = new Set([
  'www', 'admin', 'administrator', 'api', 'app', 'apps', 'static', 'assets', 'cdn', 'media', 'files',
  'mail', 'email', 'smtp', 'imap', 'pop', 'pop3', 'webmail', 'mx', 'ns', 'ns1', 'ns2', 'dns', 'ftp', 'sftp',
  'platform', 'console', 'dashboard', 'status', 'health', 'metrics', 'docs', 'help', 'support', 'billing',
  'login', 'logout', 'auth', 'sso', 'oauth', 'account', 'accounts', 'signup', 'register', 'root', 'system',
  'internal', 'localhost', 'public', 'web', 'ws', 'socket', 'blog', 'dev', 'staging', 'test', 'salesfleet',
  'tenant', 'tenants', 'default', 'null', 'undefined',
]);
