// Shared by the database-*.test.ts files: a real PostgreSQL server per file with a fresh database per
// test, a clock that follows real time but can jump, polling, and pg_restore --list of a file.
import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {promisify} from 'node:util';
import pg from 'pg';
import type {DatabaseConnection} from '../../source/core/database.js';
import {builtinMigrationSet} from '../../source/sandbox/database/builtin-migrations.js';
import {builtinMigrationLockKey} from '../../source/sandbox/database/builtin-migrator.js';
import {findClientProgram} from '../../source/sandbox/database/postgres-programs.js';
import type {PostgresServer} from '../helpers/postgres.js';
import {addonPath, type Client, type Json} from './helpers.js';

const run = promisify(execFile);

/** Real time, plus an offset a test can move (a download link's hour, a moment before any deploy). */
export class OffsetClock {
	offset = 0;
	readonly now = () => Date.now() + this.offset;

	advance(ms: number): void {
		this.offset += ms;
	}
}

/** A fresh database on the test server, as a postgres:// URL for `database: {url}`. */
export async function freshDatabaseUrl(server: PostgresServer): Promise<string> {
	const name = `addon_${randomBytes(6).toString('hex')}`;
	await withClient({host: server.host, port: server.port, user: server.user, database: server.database}, async client => client.query(`create database ${name}`));
	return `postgres://${server.user}@${server.host}:${server.port}/${name}`;
}

export async function withClient<T>(connection: Pick<DatabaseConnection, 'host' | 'port' | 'user' | 'database' | 'password'>, work: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({host: connection.host, port: connection.port, user: connection.user, database: connection.database, password: connection.password});
	client.on('error', () => undefined);
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end().catch(() => undefined);
	}
}

/**
 * Writes django_migrations as if every built-in migration (`all`) or none had been applied, without
 * touching the tables themselves: what the health endpoint compares with the serving build. Under the
 * migrator's advisory lock, so it never interleaves with a sandbox seeding the same database.
 */
export async function recordBuiltinMigrations(connection: DatabaseConnection, which: 'all' | 'none'): Promise<void> {
	await withClient(connection, async client => {
		await client.query('select pg_advisory_lock($1)', [builtinMigrationLockKey]);
		await client.query('create table if not exists django_migrations (id bigserial primary key, app varchar(255) not null, name varchar(255) not null, applied timestamp with time zone not null)');
		await client.query('delete from django_migrations');
		if (which === 'all') {
			const set = builtinMigrationSet();
			await client.query('insert into django_migrations (app, name, applied) select * , now() from unnest($1::text[], $2::text[])', [set.map(migration => migration.app), set.map(migration => migration.name)]);
		}

		await client.query('select pg_advisory_unlock($1)', [builtinMigrationLockKey]);
	});
}

/** Polls `check` until it returns something other than undefined. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		 
		const value = await check();
		if (value !== undefined) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`Timed out waiting for ${what}`);
		}

		 
		await new Promise(resolve => {
			setTimeout(resolve, 100);
		});
	}
}

/** Waits until the backup leaves in-progress; its final view. */
export async function settledBackup(api: Client, backupId: string): Promise<Json> {
	return until(`backup ${backupId}`, async () => {
		const {body} = await api.get(`${addonPath}/backups/${backupId}`);
		return body.data.status === 'in-progress' ? undefined : body.data;
	});
}

/** Downloads the backup's archive through its link (no token) into `dir`. */
export async function downloadBackup(api: Client, backupId: string, dir: string): Promise<{file: string; bytes: number; link: string}> {
	const {status, body} = await api.get(`${addonPath}/backups/${backupId}/download-link`);
	if (status !== 200) {
		throw new Error(`download-link answered ${status}: ${JSON.stringify(body)}`);
	}

	const link = body.data.downloadLink as string;
	const response = await fetch(link);
	if (response.status !== 200) {
		throw new Error(`the download answered ${response.status}`);
	}

	const content = Buffer.from(await response.arrayBuffer());
	const file = join(dir, `${backupId}.dump`);
	await writeFile(file, content);
	return {file, bytes: content.length, link};
}

/** `pg_restore --list`: the archive's table of contents, or the error it fails with. */
export async function listArchive(file: string): Promise<{ok: true; toc: string} | {ok: false; error: string}> {
	try {
		const {stdout} = await run(findClientProgram('pg_restore') ?? 'pg_restore', ['--list', file]);
		return {ok: true, toc: stdout};
	} catch (error) {
		return {ok: false, error: (error as {stderr?: string}).stderr ?? (error as Error).message};
	}
}
