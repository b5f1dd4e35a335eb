export { openDatabase, type Db, type DialectName, type DatabaseTarget } from './connection.ts';
export { createChangeFeed, type ChangeFeed } from './change-feed.ts';
export { migrate, schemaStatus, checkSchema, type SchemaStatus } from './migrate.ts';
export type * from './schema.ts';
export { toDbTime, fromDbBool, toDbJson, fromDbJson, isUniqueViolation } from './values.ts';
export { monthOf } from './months.ts';
export { isDatabaseUnavailable } from './unavailable.ts';
export { databaseProblems } from './health.ts';
export { bumpContentVersion } from './content-version.ts';
