// One short pg session of the sandbox itself (bootstrap, ending sessions, health checks).
import type pg from 'pg';
import type {DatabaseConnection} from '../../core/database.js';

export type SessionOptions = {connectTimeoutMs?: number; statementTimeoutMs?: number; applicationName?: string};

/** How the sandbox's own sessions connect: one place for TLS, timeouts and the name pg_stat_activity shows. */
export function sessionSettings(connection: DatabaseConnection, options: SessionOptions = {}): pg.ClientConfig {
	return {
		host: connection.host,
		port: connection.port,
		database: connection.database,
		user: connection.user,
		password: connection.password,
		ssl: connection.ssl === 'require' ? {rejectUnauthorized: false} : false,
		application_name: (options.applicationName ?? 'wheelhouse sandbox').slice(0, 63),
		connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
		statement_timeout: options.statementTimeoutMs,
	};
}

/** Opens a session, runs `work`, and always ends the session. */
export async function withSession<T>(connection: DatabaseConnection, work: (client: pg.Client) => Promise<T>, options: SessionOptions = {}): Promise<T> {
	// Loaded on first use: the in-process sandbox starts on the console's start-up path.
	const {default: {Client}} = await import('pg');
	const client = new Client(sessionSettings(connection, options));
	// A session dropped by the server (a restore ending it) must not crash the sandbox.
	client.on('error', () => undefined);
	try {
		await client.connect();
		return await work(client);
	} finally {
		await client.end().catch(() => undefined);
	}
}
