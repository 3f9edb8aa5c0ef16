/**
 * @salesfleet/contracts — what every package, app and browser shares: the error codes and classes,
 * the rules for slugs, emails, usernames, passwords, engines and tenant statuses, and the zod schemas
 * of the API's inputs and outputs. Browser-safe: zod only, no Node or database dependency.
 */
export * from './errors/index';
export * from './rules/index';
export * from './schemas/index';
