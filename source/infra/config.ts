import Conf from 'conf';
import {UsageError} from '../core/errors.js';
import {configDirectory, configFilePath} from './config-path.js';

export type NorthflankContext = {
	platform: 'northflank';
	project: string;
	team?: string;
	/** API base without /v1; Northflank's own when absent. */
	url?: string;
	/** Name of the environment variable holding the API token. */
	tokenEnv?: string;
	readOnly?: boolean;
};

/** A plain SSH host (a bastion, a Compose host): `wheelhouse exec` opens a shell on it. */
export type SshHostContext = {
	platform: 'ssh';
	/** `user@host:port` or a Host alias from ~/.ssh/config (ProxyJump and all). */
	destination: string;
	readOnly?: boolean;
};

export type ContextConfig = NorthflankContext | SshHostContext;

export type ConfigFile = {
	version: number;
	current?: string;
	contexts: Record<string, ContextConfig>;
};

export const defaultTokenEnv = 'NORTHFLANK_TOKEN';

const schema = {
	version: {type: 'number'},
	current: {type: 'string'},
	contexts: {
		type: 'object',
		additionalProperties: {
			type: 'object',
			required: ['platform'],
			properties: {
				platform: {enum: ['northflank', 'ssh']},
				project: {type: 'string', minLength: 1},
				destination: {type: 'string', minLength: 1},
				team: {type: 'string'},
				url: {type: 'string'},
				tokenEnv: {type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$'},
				readOnly: {type: 'boolean'},
			},
			allOf: [
				{if: {properties: {platform: {const: 'northflank'}}}, then: {required: ['project']}},
				{if: {properties: {platform: {const: 'ssh'}}}, then: {required: ['destination']}},
			],
		},
	},
} as const;

/** The console's config file (contexts), in the platform's config directory or WHEELHOUSE_CONFIG_DIR. */
export function openConfig(directory = configDirectory()): ConfigFile & {path: string} {
	let store: Conf<ConfigFile>;
	try {
		store = new Conf<ConfigFile>({
			projectName: 'wheelhouse',
			projectSuffix: '',
			cwd: directory,
			configName: 'config',
			// eslint-disable-next-line @typescript-eslint/no-explicit-any -- conf's schema type is stricter than JSON Schema
			schema: schema as any,
			clearInvalidConfig: false,
			configFileMode: 0o600,
		});
	} catch (error) {
		const path = configFilePath({WHEELHOUSE_CONFIG_DIR: directory});
		const raw = (error instanceof Error ? error.message.split('\n')[0] : String(error)) ?? '';
		const reason = /not valid JSON/.test(raw) ? 'it is not valid JSON' : raw.replace(/^Config schema violation: /, '').replace(/\.$/, '');
		throw new UsageError(`The config file ${path} is not valid: ${reason}.`, 'Fix or remove that file; wheelhouse has left it untouched.');
	}

	return {
		path: store.path,
		version: store.get('version') ?? 1,
		current: store.get('current'),
		contexts: store.get('contexts') ?? {},
	};
}

/** Reads the token a context names, without ever printing it. */
export function readContextToken(name: string, context: NorthflankContext, environment: NodeJS.ProcessEnv = process.env): string {
	const variable = context.tokenEnv ?? defaultTokenEnv;
	const token = environment[variable];
	if (!token) {
		throw new UsageError(`Context "${name}" needs an API token in the environment variable ${variable}, which is not set.`, `Export ${variable}=<your Northflank API token> and run again.`);
	}

	return token;
}

