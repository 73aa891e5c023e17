import pg from 'pg';
import type {DatabaseConnection} from '../../../source/core/database.js';
import type {PostgresServer} from '../../helpers/postgres.js';

/** How the code under test reaches a test server (trust authentication: no password needed). */
export function connectionTo(server: PostgresServer, overrides: Partial<DatabaseConnection> = {}): DatabaseConnection {
	return {host: server.host, port: server.port, database: server.database, user: server.user, ssl: 'disable', source: 'the test server', ...overrides};
}

/** Another session on the server, as an application or an operator would open one. */
export async function openSession(server: PostgresServer, applicationName: string, database = server.database): Promise<pg.Client> {
	const client = new pg.Client({host: server.host, port: server.port, user: server.user, database, application_name: applicationName});
	client.on('error', () => undefined);
	await client.connect();
	return client;
}

/** Polls until `probe` returns something truthy, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`Timed out waiting for ${what}`);
		}

		await new Promise(resolve => setTimeout(resolve, 50));
	}
}

/** The backend pid of a client's session. */
export async function backendPid(client: pg.Client): Promise<number> {
	const {rows} = await client.query<{pid: number}>('SELECT pg_backend_pid() AS pid');
	return rows[0]!.pid;
}

/** Whether a session is waiting on a lock right now. */
export async function isWaitingOnLock(observer: pg.Client, pid: number): Promise<boolean> {
	const {rows} = await observer.query<{waiting: boolean}>('SELECT cardinality(pg_blocking_pids($1)) > 0 AS waiting', [pid]);
	return rows[0]?.waiting ?? false;
}
