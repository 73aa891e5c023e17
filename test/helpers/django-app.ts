// The real Django project of test/fixtures/django-app, in its four versions, and a way to run its
// manage.py against a PostgreSQL the way a job container would (Debian's python3 with python3-django
// and python3-psycopg2, a clean environment, the database in DATABASE_URL).
import {execFile} from 'node:child_process';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const fixture = fileURLToPath(new URL('../fixtures/django-app/', import.meta.url));

/** Each version's directory: what a build's "image" holds. */
export const djangoApp = {
	/** notes + tags; migrations 0001-0002. */
	v1: path.join(fixture, 'v1'),
	/** v1 + 0003_note_pinned (adds a column). */
	v2: path.join(fixture, 'v2'),
	/** v2 + 0004_archive_and_more_tags: adds a column, then a data step fails on a unique key (23505). */
	v3Failing: path.join(fixture, 'v3-failing'),
	/** v2 + 0004_note_archived_at: ALTER TABLE notes_note ADD COLUMN, which needs ACCESS EXCLUSIVE. */
	v4Lock: path.join(fixture, 'v4-lock'),
} as const;

export type DjangoDatabase = {host: string; port: number; database: string; user: string; password?: string};

/** The PATH a python:3.12-slim container has; it leaves out version managers' shims (pyenv and the like). */
const containerPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function databaseUrl(database: DjangoDatabase): string {
	const credentials = `${encodeURIComponent(database.user)}${database.password ? `:${encodeURIComponent(database.password)}` : ''}`;
	return `postgresql://${credentials}@${database.host}:${database.port}/${encodeURIComponent(database.database)}`;
}

/** Runs `python3 manage.py <args>` of a version; never rejects, the exit code tells. */
export async function runManage(directory: string, args: string[], database: DjangoDatabase, environment: Record<string, string> = {}): Promise<{code: number; stdout: string; stderr: string}> {
	return new Promise(resolve => {
		execFile('python3', ['manage.py', ...args], {
			cwd: directory,
			env: {PATH: containerPath, HOME: tmpdir(), LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1', DATABASE_URL: databaseUrl(database), ...environment},
			timeout: 60_000,
		}, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
			resolve({code, stdout, stderr});
		});
	});
}
