// Every area's schemas: inputs, responses, and the types the web apps infer from them.
export * from './auth';
export * from './common';
export * from './data-safety';
export * from './locations';
export * from './platform';
export * from './reports';
export * from './sales-documents';
export * from './settings';
export * from './stock-batches';
export * from './workspace';
