import {join} from 'node:path';
import envPaths from 'env-paths';

/** Where the config lives: $WHEELHOUSE_CONFIG_DIR, else the platform's config directory (as conf picks it). */
export function configDirectory(environment: NodeJS.ProcessEnv = process.env): string {
	return environment.WHEELHOUSE_CONFIG_DIR ?? envPaths('wheelhouse', {suffix: ''}).config;
}

export function configFilePath(environment: NodeJS.ProcessEnv = process.env): string {
	return join(configDirectory(environment), 'config.json');
}
