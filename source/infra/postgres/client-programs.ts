// Finding PostgreSQL's client programs (pg_dump, pg_restore) that suit a server, running them, and
// turning what they print into messages.
import {execFile, spawn} from 'node:child_process';
import {accessSync, constants, readdirSync} from 'node:fs';
import {delimiter, join} from 'node:path';
import {promisify} from 'node:util';
import type pg from 'pg';
import type {DatabaseConnection} from '../../core/database.js';
import {connect} from './connect.js';
import {scrub} from './connect-errors.js';
import {classifyPgError} from './errors.js';
import {PostgresError} from './postgres-error.js';

const run = promisify(execFile);

export type ClientProgram = {path: string; version: string; major: number};

/**
 * The program on the PATH (Debian's /usr/bin wrappers pick the newest installed client), else in
 * /usr/lib/postgresql/N/bin, that is at least `minimumMajor`. A pg_dump older than the server
 * refuses to dump it; GitLab's nightly backups failed silently for that reason (release-safety [I1]),
 * so an old client is an error that names both versions, never a fallback.
 */
export async function findClientProgram(name: 'pg_dump' | 'pg_restore', options: {minimumMajor?: number} = {}): Promise<ClientProgram> {
	const found: ClientProgram[] = [];
	for (const path of candidates(name)) {
		const program = await programVersion(path);
		if (program) {
			if (options.minimumMajor === undefined || program.major >= options.minimumMajor) {
				return program;
			}

			found.push(program);
		}
	}

	if (found.length === 0) {
		throw new PostgresError('client-program', `${name} is not installed (looked on the PATH and in /usr/lib/postgresql/*/bin).`, {
			hint: 'Install PostgreSQL\'s client programs (Debian/Ubuntu: apt-get install postgresql-client).',
		});
	}

	const newest = found.toSorted((a, b) => b.major - a.major)[0]!;
	throw new PostgresError('client-program', `${name} ${newest.version} (${newest.path}) is older than the server (major version ${options.minimumMajor}): it cannot ${name === 'pg_dump' ? 'dump' : 'restore into'} it reliably.`, {
		hint: `Install the client programs of PostgreSQL ${options.minimumMajor} or newer (Debian/Ubuntu: apt-get install postgresql-client-${options.minimumMajor}, from apt.postgresql.org if needed).`,
	});
}

/** 150018 → 15, 90624 → 9.6 (before 10 the major version had two parts). */
export function majorOfVersionNumber(versionNumber: number): number {
	return versionNumber >= 100_000 ? Math.floor(versionNumber / 10_000) : Math.floor(versionNumber / 10_000) + (Math.floor((versionNumber % 10_000) / 100) / 10);
}

function candidates(name: string): string[] {
	const directories = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...debianDirectories()];
	const paths: string[] = [];
	for (const directory of directories) {
		const path = join(directory, name);
		try {
			accessSync(path, constants.X_OK);
			if (!paths.includes(path)) {
				paths.push(path);
			}
		} catch {
			// Not here.
		}
	}

	return paths;
}

function debianDirectories(): string[] {
	try {
		return readdirSync('/usr/lib/postgresql').toSorted((a, b) => Number(b) - Number(a)).map(version => join('/usr/lib/postgresql', version, 'bin'));
	} catch {
		return [];
	}
}

async function programVersion(path: string): Promise<ClientProgram | undefined> {
	try {
		const {stdout} = await run(path, ['--version'], {timeout: 10_000});
		// "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)", "pg_dump (PostgreSQL) 9.6.24"
		const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?(?:\.\d+)?/.exec(stdout);
		if (!match) {
			return undefined;
		}

		const first = Number(match[1]);
		const major = first >= 10 ? first : first + (Number(match[2] ?? 0) / 10);
		return {path, version: /\(PostgreSQL\)\s+(\S+)/.exec(stdout)?.[1] ?? String(major), major};
	} catch {
		return undefined;
	}
}

export type ProgramResult = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

const stderrLimit = 64 * 1024;

/** Runs a client program to the end; stderr is kept (its last 64 KiB) and handed line by line to onStderrLine. */
export async function runProgram(path: string, args: string[], options: {env: Record<string, string>; signal?: AbortSignal; onStderrLine?: (line: string) => void; keepStdout?: boolean}): Promise<ProgramResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(path, args, {env: options.env, stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal});
		let stdout = '';
		let stderr = '';
		let partial = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			if (options.keepStdout) {
				stdout += chunk;
			}
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr = (stderr + chunk).slice(-stderrLimit);
			if (options.onStderrLine) {
				const lines = (partial + chunk).split('\n');
				partial = lines.pop() ?? '';
				for (const line of lines) {
					options.onStderrLine(line);
				}
			}
		});
		child.on('error', error => {
			if (error.name === 'AbortError') {
				resolve({code: null, signal: 'SIGTERM', stdout, stderr});
			} else {
				reject(error);
			}
		});
		child.on('close', (code, signal) => {
			if (partial && options.onStderrLine) {
				options.onStderrLine(partial);
			}

			resolve({code, signal, stdout, stderr});
		});
	});
}

/** pg_restore at least as new as the server it restores into. */
export async function restoreProgramFor(conn: DatabaseConnection): ReturnType<typeof findClientProgram> {
	const client = await connect(conn, {applicationName: 'wheelhouse restore'});
	try {
		return await findClientProgram('pg_restore', {minimumMajor: (await serverVersion(client)).major});
	} finally {
		await client.end().catch(() => undefined);
	}
}

export async function serverVersion(client: pg.Client): Promise<{version: string; major: number}> {
	const {rows} = await client.query<{version: string; number: string}>(`SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS number`);
	return {version: rows[0]!.version, major: majorOfVersionNumber(Number(rows[0]!.number))};
}

/** The last lines of a client program's stderr, as one line. */
export function programMessage(program: string, result: ProgramResult, conn: Pick<DatabaseConnection, 'password'> = {}): string {
	const lines = result.stderr.split('\n').map(line => line.trim()).filter(Boolean);
	const text = lines.slice(-4).join(' ').replaceAll(`${program}: `, '');
	if (text) {
		return scrub(text, conn);
	}

	return result.signal ? `${program} was stopped (${result.signal})` : `${program} exited with status ${result.code} and printed nothing`;
}

export function programFailure(program: string, result: ProgramResult, conn: DatabaseConnection, what: string): PostgresError {
	const message = programMessage(program, result, conn);
	const failure = classifyPgError(result.stderr);
	const hint = failure.class === 'retryable'
		? `Nothing was changed (${failure.reason}): find the session in the way with the preflight, then try again.`
		: `The message is ${program}'s own; running ${program} by hand with the same PGHOST, PGPORT, PGUSER and PGDATABASE shows the whole output.`;
	return new PostgresError('failed', `${program} could not ${what}: ${message}`, {hint, ...(failure.code ? {code: failure.code} : {})});
}
