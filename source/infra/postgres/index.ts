export {connect, childEnvironment, describe, applicationName, type ConnectOptions} from './connect.js';
export {PostgresError, type PostgresErrorKind} from './postgres-error.js';
export {classifyPgError, type PgFailure, type PgFailureClass} from './errors.js';
export {preflight, type PreflightReport, type PreflightOptions, type OpenTransaction, type BlockedSession, type TableLock, type RunningDump, type AdvisoryLockRow} from './preflight.js';
export {readMigrationState, parseShowmigrationsPlan, parseMigratePlan, parseAlembic, pendingMigrations, diffMigrationStates, type MigrationState, type MigrationTool, type PlannedMigration, type MigrateOperation, type AlembicState} from './migration-state.js';
export {migrationLockKey, tryAdvisoryLock, releaseAdvisoryLock, advisoryLockHolders, describeHolder, holdReleaseLock, type AdvisoryLockHolder, type ReleaseLock} from './advisory-lock.js';
export * from './archive.js';
export {findClientProgram, type ClientProgram} from './client-programs.js';
