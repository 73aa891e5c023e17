// How a child process reaches the addon database: libpq's PG* variables (pg_dump, psql), a
// DATABASE_URL (Django, dj-database-url) and the POSTGRES_* names container images use.
import type {DatabaseConnection} from '../../core/database.js';

export function connectionEnvironment(connection: DatabaseConnection): Record<string, string> {
	const password = connection.password ?? '';
	const sslMode = connection.ssl ?? 'disable';
	return {
		PGHOST: connection.host,
		PGPORT: String(connection.port),
		PGDATABASE: connection.database,
		PGUSER: connection.user,
		PGPASSWORD: password,
		PGSSLMODE: sslMode,
		DATABASE_URL: databaseUrl(connection),
		POSTGRES_HOST: connection.host,
		POSTGRES_PORT: String(connection.port),
		POSTGRES_DB: connection.database,
		POSTGRES_USER: connection.user,
		POSTGRES_PASSWORD: password,
	};
}

/** The PG* variables only, for PostgreSQL's own programs. */
export function libpqEnvironment(connection: DatabaseConnection): Record<string, string> {
	return Object.fromEntries(Object.entries(connectionEnvironment(connection)).filter(([name]) => name.startsWith('PG')));
}

/** Built from parts, each encoded; a unix socket directory goes in the `host` parameter. */
export function databaseUrl(connection: DatabaseConnection): string {
	const credentials = `${encodeURIComponent(connection.user)}${connection.password ? `:${encodeURIComponent(connection.password)}` : ''}`;
	const database = encodeURIComponent(connection.database);
	const sslMode = `sslmode=${connection.ssl ?? 'disable'}`;
	if (connection.host.startsWith('/')) {
		return `postgresql://${credentials}@:${connection.port}/${database}?host=${encodeURIComponent(connection.host)}&${sslMode}`;
	}

	const host = connection.host.includes(':') ? `[${connection.host}]` : connection.host;
	return `postgresql://${credentials}@${host}:${connection.port}/${database}?${sslMode}`;
}

/** PG* variables inherited from whoever started the sandbox would override ours: leave them out. */
export function withoutInheritedLibpq(environment: NodeJS.ProcessEnv): Record<string, string> {
	return Object.fromEntries(Object.entries(environment).filter((entry): entry is [string, string] => !entry[0].startsWith('PG') && entry[1] !== undefined));
}
