export {
  createTestDatabase,
  dialectAvailable,
  testDialects,
  testServerUrls,
  uniqueTestName,
  type TestDatabase,
  type TestDialect,
} from './databases';
