// Rung 4 of the verification ladder (release-safety §3.2): restore the archive into a throwaway
// database next to the real one, count rows there, and drop it again whatever happened.
import {randomBytes} from 'node:crypto';
import type pg from 'pg';
import type {DatabaseConnection} from '../../core/database.js';
import {programMessage, restoreProgramFor, runProgram, serverVersion} from './client-programs.js';
import {childEnvironment, connect, databaseArgument} from './connect.js';
import {scrub} from './connect-errors.js';
import {PostgresError} from './postgres-error.js';
import {rowCounts} from './row-counts.js';

export type ScratchRestore = {
	ok: boolean;
	/** The scratch database's name (already dropped). */
	database: string;
	rowCounts: Record<string, number>;
	ms: number;
	/** Why the restore failed: pg_restore's or the server's words. */
	error?: string;
	/** False when dropping the scratch database failed: it is left on the server, named above. */
	dropped: boolean;
};

const scratchNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates `wheelhouse_scratch_<random>` (CREATE DATABASE … TEMPLATE template0, as the same role: it
 * needs CREATEDB), runs `pg_restore --exit-on-error --no-owner --no-acl` into it, counts rows (of
 * `tables`, else the largest tables), and always drops it. Failures come back as ok=false, not thrown,
 * except a connection to the server that cannot be made at all.
 */
export async function restoreToScratch(conn: DatabaseConnection, file: string, options: {scratchName?: string; tables?: string[]; jobs?: number; signal?: AbortSignal} = {}): Promise<ScratchRestore> {
	const database = options.scratchName ?? `wheelhouse_scratch_${randomBytes(5).toString('hex')}`;
	if (!scratchNamePattern.test(database)) {
		throw new PostgresError('failed', `"${database}" is not a usable scratch database name.`, {hint: 'Use lower-case letters, digits and underscores, at most 63 characters.'});
	}

	const started = Date.now();
	const admin = await connect(conn, {applicationName: 'wheelhouse scratch restore'});
	let created = false;
	let outcome: Pick<ScratchRestore, 'ok' | 'rowCounts' | 'error'>;
	try {
		created = await createScratch(admin, conn, database);
		outcome = await restoreAndCount({...conn, database}, file, options);
	} catch (error) {
		outcome = {ok: false, rowCounts: {}, error: scrub(error instanceof Error ? error.message : String(error), conn)};
	}

	const report = {database, ms: Date.now() - started, ...outcome};
	try {
		if (created) {
			await dropDatabase(admin, database);
		}

		return {...report, dropped: true};
	} catch (error) {
		const why = `the scratch database ${database} could not be dropped (${scrub((error as Error).message, conn)}): drop it by hand`;
		return {...report, dropped: false, error: report.error ? `${report.error}; ${why}` : why};
	} finally {
		await admin.end().catch(() => undefined);
	}
}

async function createScratch(admin: pg.Client, conn: DatabaseConnection, database: string): Promise<true> {
	try {
		// template0: a restore target must not inherit objects someone added to template1.
		await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)} TEMPLATE template0`);
		return true;
	} catch (error) {
		const why = (error as {code?: string}).code === '42501' ? `the role ${conn.user} may not create databases (it needs CREATEDB)` : scrub((error as Error).message, conn);
		throw new Error(`Cannot create the scratch database ${database}: ${why}.`, {cause: error});
	}
}

async function restoreAndCount(scratch: DatabaseConnection, file: string, options: {tables?: string[]; jobs?: number; signal?: AbortSignal}): Promise<Pick<ScratchRestore, 'ok' | 'rowCounts' | 'error'>> {
	const pgRestore = await restoreProgramFor(scratch);
	const jobs = options.jobs && options.jobs > 1 ? [`--jobs=${options.jobs}`] : [];
	const restore = await runProgram(pgRestore.path, ['--exit-on-error', '--no-owner', '--no-acl', ...jobs, databaseArgument(scratch.database), file], {env: childEnvironment(scratch), signal: options.signal});
	if (restore.code !== 0) {
		return {ok: false, rowCounts: {}, error: `pg_restore into ${scratch.database} failed: ${programMessage('pg_restore', restore, scratch)}`};
	}

	const client = await connect(scratch, {applicationName: 'wheelhouse scratch restore'});
	try {
		return {ok: true, rowCounts: await rowCounts(client, options.tables)};
	} finally {
		await client.end().catch(() => undefined);
	}
}

async function dropDatabase(client: pg.Client, database: string): Promise<void> {
	const name = client.escapeIdentifier(database);
	const {major} = await serverVersion(client);
	// WITH (FORCE) (PostgreSQL 13+) ends sessions a killed pg_restore may have left behind.
	await client.query(major >= 13 ? `DROP DATABASE IF EXISTS ${name} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${name}`);
}
