// Opening a pg connection to a deployment's database, and the environment its client programs get.
import pg from 'pg';
import type {DatabaseConnection} from '../../core/database.js';
import {processRedactor} from '../redact.js';
import {connectError} from './connect-errors.js';

export {describe} from './connect-errors.js';

export type ConnectOptions = {
	/** Shown in pg_stat_activity, so other operators see who is connected ("wheelhouse preflight"). */
	applicationName: string;
	connectTimeoutMs?: number;
	/** Server-side limit on every statement of this session. */
	statementTimeoutMs?: number;
	lockTimeoutMs?: number;
	/** TCP keepalive, for sessions held open for a long time (a lock holder). */
	keepAlive?: boolean;
};

const defaultConnectTimeoutMs = 10_000;
const maxApplicationNameBytes = 63;

/**
 * A connected pg Client. Fails with a PostgresError naming user@host:port/database and what to check
 * (exit 2 for unreachable, timeout, authentication, missing database). The caller ends the client.
 * A connection that drops while idle does not crash the process: the next query fails instead.
 */
export async function connect(conn: DatabaseConnection, options: ConnectOptions): Promise<pg.Client> {
	processRedactor.add(conn.password);
	const timeoutMs = options.connectTimeoutMs ?? defaultConnectTimeoutMs;
	const client = new pg.Client({
		host: conn.host,
		port: conn.port,
		database: conn.database,
		user: conn.user,
		password: conn.password,
		// sslmode=require as libpq means it: encrypted, certificate not verified (what platforms hand out).
		ssl: conn.ssl === 'require' ? {rejectUnauthorized: false} : false,
		application_name: applicationName(options.applicationName),
		connectionTimeoutMillis: timeoutMs,
		statement_timeout: options.statementTimeoutMs,
		lock_timeout: options.lockTimeoutMs,
		keepAlive: options.keepAlive ?? false,
		keepAliveInitialDelayMillis: options.keepAlive ? 10_000 : undefined,
	});
	client.on('error', () => undefined);
	try {
		await client.connect();
	} catch (error) {
		await client.end().catch(() => undefined);
		throw connectError(error, conn, timeoutMs);
	}

	return client;
}

/**
 * PostgreSQL keeps printable ASCII of application_name, up to 63 bytes: anything else is replaced
 * here, so what other sessions see is exactly what was asked for.
 */
export function applicationName(name: string): string {
	return name.replaceAll(/[^\u0020-\u007E]/g, '?').slice(0, maxApplicationNameBytes);
}

/**
 * The environment for pg_dump, pg_restore and psql: the caller's environment without any PG*
 * variable of its own (a stray PGSERVICE or PGOPTIONS would point them elsewhere), plus the target.
 * The password travels only here (PGPASSWORD), never in argv where `ps` shows it.
 */
export function childEnvironment(conn: DatabaseConnection, options: {connectTimeoutSeconds?: number} = {}): Record<string, string> {
	processRedactor.add(conn.password);
	const environment: Record<string, string> = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (value !== undefined && !name.startsWith('PG')) {
			environment[name] = value;
		}
	}

	Object.assign(environment, {
		PGHOST: conn.host,
		PGPORT: String(conn.port),
		PGDATABASE: conn.database,
		PGUSER: conn.user,
		PGSSLMODE: conn.ssl ?? 'prefer',
		PGCONNECT_TIMEOUT: String(options.connectTimeoutSeconds ?? 10),
		// Client programs' own messages in English, so they read the same in every log.
		LC_MESSAGES: 'C',
	});
	if (conn.password !== undefined) {
		environment.PGPASSWORD = conn.password;
	}

	return environment;
}

/**
 * pg_restore's --dbname for a database name. A bare name holding "=" or starting "postgresql://" would
 * be read as a connection string, so it goes as one: `dbname='…'`, host, user and password still
 * coming from the environment.
 */
export function databaseArgument(database: string): string {
	return `--dbname=dbname='${database.replaceAll('\\', '\\\\').replaceAll('\'', '\\\'')}'`;
}
