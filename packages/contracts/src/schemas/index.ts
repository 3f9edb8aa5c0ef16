// Every area's schemas: inputs, responses, and the types the web apps infer from them.
// Naming: a schema is `<Thing>Schema`; the type of a tenant API response is `<Thing>Json` (`ProductJson`,
// `LocationJson`, `TenantUserJson`): models has a class of the same name, and the browser has `Location`.
// Inputs are `<Thing>Input`; platform shapes (TenantSummary, FleetJob…) have no tenant model to clash with.
export * from './accounting';
export * from './auth';
export * from './common';
export * from './data-safety';
export * from './discounts';
export * from './fleet-jobs';
export * from './locations';
export * from './parties';
export * from './platform';
export * from './purchasing';
export * from './reports';
export * from './sales';
export * from './sales-documents';
export * from './settings';
export * from './stock';
export * from './stock-batches';
export * from './workspace';
