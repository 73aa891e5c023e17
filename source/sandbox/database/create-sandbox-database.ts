import {ManagedCluster} from './managed-cluster.js';
import type {SandboxDatabase, SandboxDatabaseOptions} from './sandbox-database.js';
import {UrlDatabase} from './url-database.js';

/**
 * The addon's database: the server `url` names (a bad URL throws a UsageError at once), else a managed
 * cluster that starts in the background — nothing here waits for it; its users await ready().
 */
export function createSandboxDatabase(options: SandboxDatabaseOptions): SandboxDatabase {
	return options.url === undefined
		? new ManagedCluster({stateDir: options.stateDir, password: options.password})
		: new UrlDatabase(options.url, options.stateDir);
}
