export {
  createTestDatabase,
  dialectAvailable,
  requiredServers,
  testDialects,
  testServerUrls,
  uniqueTestName,
  type TestDatabase,
  type TestDialect,
} from './databases';
export { bookViolations } from './books';
export { PG_DEPRECATION, takePgDeprecations, watchPgDeprecations } from './pg-deprecations';
