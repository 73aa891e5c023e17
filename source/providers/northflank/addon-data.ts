// Wire shapes and mapping of an addon's credentials and restores.
import {ProviderError} from '../../core/errors.js';
import type {DatabaseConnection, Restore} from '../../core/database.js';
import {toDate} from './map.js';

/** Keys are per addon type and not all documented; these are the ones PostgreSQL addons are read by. */
export type WireCredentials = {
	secrets?: Record<string, string | undefined>;
	envs?: Record<string, string | undefined>;
};

export type WireRestore = {id: string; status: string; restoreTimestamp?: number | string; completedAt?: number | string; backupId: string};

export type WirePort = {name: string; internalPort: number; protocol: string; public: boolean; dns?: string};

export function mapCredentials(wire: WireCredentials, source: string): DatabaseConnection {
	const secrets = wire.secrets ?? {};
	const envs = wire.envs ?? {};
	const host = envs.EXTERNAL_HOST ?? envs.HOST;
	const port = Number(envs.EXTERNAL_PORT ?? envs.PORT ?? 5432);
	const database = envs.DATABASE ?? secrets.database;
	const user = secrets.username ?? envs.USERNAME;
	if (!host || !database || !user || !Number.isInteger(port)) {
		throw new ProviderError('protocol', `The addon's credentials do not say how to reach its database (${source} lack ${[!host && 'a host', !database && 'a database', !user && 'a user'].filter(Boolean).join(', ')}).`, {hint: 'Set the context\'s databaseUrlEnv to an environment variable holding the database URL.'});
	}

	return {host, port, database, user, password: secrets.password ?? envs.PASSWORD, ssl: envs.TLS_ENABLED === 'true' ? 'require' : 'disable', source};
}

export function mapRestore(wire: WireRestore): Restore {
	const known = ['in-progress', 'completed', 'failed', 'aborted'] as const;
	const status = (known as readonly string[]).includes(wire.status) ? wire.status as Restore['status'] : 'unknown';
	return {id: wire.id, backupId: wire.backupId, status, rawStatus: wire.status, startedAt: toDate(wire.restoreTimestamp), completedAt: toDate(wire.completedAt)};
}
