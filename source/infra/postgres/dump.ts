// Taking a release backup: pg_dump in custom format (release-safety §3.1).
import {chmod, rename, rm, stat, writeFile} from 'node:fs/promises';
import type {DatabaseConnection} from '../../core/database.js';
import {sha256File} from './archive-files.js';
import {findClientProgram, programFailure, runProgram, serverVersion} from './client-programs.js';
import {childEnvironment, connect, describe} from './connect.js';
import {scrub} from './connect-errors.js';
import {PostgresError} from './postgres-error.js';
import {rowCounts} from './row-counts.js';

export type DumpOptions = {
	/** How long pg_dump waits for each table's ACCESS SHARE lock before failing (default '30s'). */
	lockWaitTimeout?: string;
	/** pg_dump's --verbose lines, sanitised ("dumping contents of table public.notes_note"). */
	onProgress?: (line: string) => void;
	signal?: AbortSignal;
	/**
	 * Count rows (of these tables, or the largest ones) in the very snapshot pg_dump dumps, so a scratch
	 * restore can be compared exactly even while the application writes.
	 */
	countRows?: boolean | string[];
};

export type DumpResult = {
	file: string;
	bytes: number;
	sha256: string;
	pgDumpVersion: string;
	serverVersion: string;
	ms: number;
	rowCounts?: Record<string, number>;
};

/**
 * `pg_dump -Fc --no-acl --no-owner --lock-wait-timeout=…` of the database into `file` (mode 0600).
 * It writes `file.partial` and renames it only when pg_dump succeeded, so a failed dump never leaves
 * a plausible-looking file behind. Throws a PostgresError naming the target and pg_dump's message.
 */
export async function dumpDatabase(conn: DatabaseConnection, file: string, options: DumpOptions = {}): Promise<DumpResult> {
	const lockWaitTimeout = options.lockWaitTimeout ?? '30s';
	if (!/^\d+(ms|s|min|h)?$/.test(lockWaitTimeout)) {
		throw new PostgresError('failed', `The lock wait timeout "${lockWaitTimeout}" is not a duration PostgreSQL reads.`, {hint: 'Write it like 30s, 500ms, 2min or 1h.'});
	}

	const started = Date.now();
	const client = await connect(conn, {applicationName: 'wheelhouse backup'});
	const partial = `${file}.partial`;
	try {
		const server = await serverVersion(client);
		const pgDump = await findClientProgram('pg_dump', {minimumMajor: server.major});
		const args = ['--format=custom', '--no-acl', '--no-owner', `--lock-wait-timeout=${lockWaitTimeout}`, `--file=${partial}`];
		let counts: Record<string, number> | undefined;
		if (options.countRows) {
			await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
			const {rows} = await client.query<{snapshot: string}>('SELECT pg_export_snapshot() AS snapshot');
			args.push(`--snapshot=${rows[0]!.snapshot}`);
			counts = await rowCounts(client, Array.isArray(options.countRows) ? options.countRows : undefined);
		}

		if (options.onProgress) {
			args.push('--verbose');
		}

		await writeFile(partial, '', {mode: 0o600});
		const result = await runProgram(pgDump.path, args, {
			env: childEnvironment(conn),
			signal: options.signal,
			onStderrLine: options.onProgress ? line => {
				const text = scrub(line.replace(/^pg_dump: /, ''), conn);
				if (text) {
					options.onProgress!(text);
				}
			} : undefined,
		});
		if (options.countRows) {
			await client.query('COMMIT');
		}

		if (result.code !== 0) {
			throw programFailure('pg_dump', result, conn, `dump ${describe(conn)}`);
		}

		await chmod(partial, 0o600);
		await rename(partial, file);
		const {size} = await stat(file);
		return {
			file,
			bytes: size,
			sha256: await sha256File(file),
			pgDumpVersion: pgDump.version,
			serverVersion: server.version,
			ms: Date.now() - started,
			...(counts ? {rowCounts: counts} : {}),
		};
	} catch (error) {
		await rm(partial, {force: true});
		throw error;
	} finally {
		await client.end().catch(() => undefined);
	}
}
