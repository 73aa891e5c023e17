// Writing the config file, through conf (atomic write, mode 0600, schema check). Loaded only when
// something is saved: reading the config never needs conf.
import Conf from 'conf';
import type {ConfigFile} from './config.js';
import {confSchema} from './config-validate.js';
import {ensurePrivateDirectory} from './secrets.js';

export async function writeConfigFile(directory: string, config: ConfigFile): Promise<void> {
	await ensurePrivateDirectory(directory);
	const store = new Conf<ConfigFile>({
		projectName: 'wheelhouse',
		projectSuffix: '',
		cwd: directory,
		configName: 'config',
		// eslint-disable-next-line @typescript-eslint/no-explicit-any -- conf's schema type is stricter than JSON Schema
		schema: confSchema() as any,
		clearInvalidConfig: false,
		configFileMode: 0o600,
	});
	// The whole document, keys in the order a reader expects.
	store.store = config;
}
