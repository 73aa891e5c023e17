// Restoring a release backup over the real database: the destructive last resort (release-safety §3.4).
import type {DatabaseConnection} from '../../core/database.js';
import {sha256File} from './archive-files.js';
import {programFailure, restoreProgramFor, runProgram} from './client-programs.js';
import {childEnvironment, databaseArgument, describe} from './connect.js';
import {PostgresError} from './postgres-error.js';

/**
 * Destructive: replaces the database's contents with the archive's, in one transaction
 * (`pg_restore --clean --if-exists --no-owner --no-acl --exit-on-error --single-transaction`), so a
 * failure leaves the database as it was. The runbook asks for typed confirmation before calling it.
 * With `sha256`, refuses an archive whose checksum is not the one recorded at capture.
 */
export async function restoreDatabase(conn: DatabaseConnection, file: string, options: {sha256?: string; signal?: AbortSignal} = {}): Promise<{ms: number}> {
	const started = Date.now();
	if (options.sha256) {
		const actual = await sha256File(file);
		if (actual !== options.sha256) {
			throw new PostgresError('failed', `Refusing to restore ${file}: its SHA-256 is ${actual}, not ${options.sha256} as recorded when it was taken.`, {
				hint: 'The file changed or is not the backup the journal names: find the right one before restoring.',
			});
		}
	}

	const pgRestore = await restoreProgramFor(conn);
	const result = await runProgram(pgRestore.path, ['--clean', '--if-exists', '--no-owner', '--no-acl', '--exit-on-error', '--single-transaction', databaseArgument(conn.database), file], {
		env: childEnvironment(conn),
		signal: options.signal,
	});
	if (result.code !== 0) {
		throw programFailure('pg_restore', result, conn, `restore ${describe(conn)} (nothing was changed: it ran in one transaction)`);
	}

	return {ms: Date.now() - started};
}
