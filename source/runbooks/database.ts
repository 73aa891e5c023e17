// Which PostgreSQL a runbook checks, locks and backs up: the addon's own credentials, or a URL from
// the environment variable the context names (when the addon is reachable only through a tunnel).
import {parse} from 'pg-connection-string';
import type {DatabaseConnection} from '../core/database.js';
import {UsageError} from '../core/errors.js';
import type {Provider} from '../core/provider.js';
import {processRedactor} from '../infra/redact.js';
import type {DeploymentTarget} from './target.js';

export async function databaseConnection(provider: Provider, target: DeploymentTarget, environment: NodeJS.ProcessEnv = process.env): Promise<DatabaseConnection> {
	if (target.databaseUrlEnv) {
		const url = environment[target.databaseUrlEnv];
		if (!url) {
			throw new UsageError(`Context "${target.context}" reads the database URL from ${target.databaseUrlEnv}, which is not set.`, `Export ${target.databaseUrlEnv}=postgresql://USER:PASSWORD@HOST:PORT/DB and run again.`);
		}

		return fromUrl(url, target.databaseUrlEnv);
	}

	const connection = await provider.getDatabaseConnection(target.addon.id);
	processRedactor.add(connection.password);
	return connection;
}

function fromUrl(url: string, variable: string): DatabaseConnection {
	let parsed;
	try {
		parsed = parse(url);
	} catch {
		throw new UsageError(`${variable} does not hold a PostgreSQL URL.`, 'Give postgresql://USER:PASSWORD@HOST:PORT/DB.');
	}

	if (!parsed.host || !parsed.database || !parsed.user) {
		throw new UsageError(`${variable} lacks ${[!parsed.host && 'a host', !parsed.database && 'a database', !parsed.user && 'a user'].filter(Boolean).join(', ')}.`, 'Give postgresql://USER:PASSWORD@HOST:PORT/DB.');
	}

	processRedactor.add(parsed.password ?? undefined);
	const sslMode = (parsed as {sslmode?: string}).sslmode;
	return {
		host: parsed.host,
		port: parsed.port ? Number(parsed.port) : 5432,
		database: parsed.database,
		user: parsed.user,
		password: parsed.password ?? undefined,
		ssl: sslMode && sslMode !== 'disable' ? 'require' : 'disable',
		source: variable,
	};
}
