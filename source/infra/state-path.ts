import {join} from 'node:path';
import envPaths from 'env-paths';

/** Where run journals, locks and downloaded backups live: $WHEELHOUSE_STATE_DIR, else the platform's data directory. */
export function stateDirectory(environment: NodeJS.ProcessEnv = process.env): string {
	return environment.WHEELHOUSE_STATE_DIR ?? envPaths('wheelhouse', {suffix: ''}).data;
}

export function runsDirectory(environment: NodeJS.ProcessEnv = process.env): string {
	return join(stateDirectory(environment), 'runs');
}

export function locksDirectory(environment: NodeJS.ProcessEnv = process.env): string {
	return join(stateDirectory(environment), 'locks');
}

export function backupsDirectory(environment: NodeJS.ProcessEnv = process.env): string {
	return join(stateDirectory(environment), 'backups');
}
