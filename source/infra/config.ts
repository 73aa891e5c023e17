// The config file: contexts (what to connect to and how careful to be there). Reading never writes;
// older versions are migrated in memory (config-migrations.ts) and the file is rewritten only by an
// explicit save (setup, `context add|use|remove`), through conf, in the current version.
import {readFileSync} from 'node:fs';
import {UsageError} from '../core/errors.js';
import {configDirectory, configFilePath} from './config-path.js';
import {validateConfig} from './config-validate.js';
import {currentConfigVersion, isRecord, migrateConfig} from './config-migrations.js';
import {jsonProblem} from './json-position.js';
import {readSecrets} from './secrets.js';

export {currentConfigVersion} from './config-migrations.js';

export type Environment = 'production' | 'staging' | 'development';

export const environments: readonly Environment[] = ['production', 'staging', 'development'];

/** How careful to be on a context; shown next to its name everywhere. */
export type SafetySettings = {
	/** Shown next to the context name; production shows in red. */
	environment?: Environment;
	/** Destructive actions need the context name typed. */
	protected?: boolean;
	/** Every action that changes something is removed from the UI and refused on the command line. */
	readOnly?: boolean;
};

export type NorthflankContext = {
	platform: 'northflank';
	project: string;
	team?: string;
	/** API base without /v1; Northflank's own when absent. */
	url?: string;
	/** Name of the environment variable holding the API token. */
	tokenEnv?: string;
	/** The token is kept in secrets.json (mode 0600), under this context's name. */
	tokenSecret?: boolean;
	/** `url` is a wheelhouse sandbox (the SANDBOX badge shows; services answer on the sandbox). */
	sandbox?: boolean;
	readOnly?: boolean;
} & ReleaseSettings;

/** What the runbooks need to know about a deployment; names or ids. */
export type ReleaseSettings = {
	/** The service releases deploy to (and whose builds they pick from). */
	service?: string;
	/** The PostgreSQL addon backed up before every migration. */
	addon?: string;
	/** The job that runs migrations. */
	job?: string;
	/** E.g. `python manage.py migrate --noinput` or `alembic upgrade head`. */
	migrateCommand?: string;
	migrationTool?: 'django' | 'alembic';
	/** Health path probed after a deploy; the service's own health check when absent. */
	healthPath?: string;
	/** Shown next to the context name; production shows in red. */
	environment?: Environment;
	/** Destructive actions need the context name typed. */
	protected?: boolean;
	/** Name of an environment variable holding a database URL, when the addon is not reachable directly. */
	databaseUrlEnv?: string;
};

/** A plain SSH host (a bastion, a Compose host): `wheelhouse exec` opens a shell on it. */
export type SshHostContext = {
	platform: 'ssh';
	/** `user@host:port` or a Host alias from ~/.ssh/config (ProxyJump and all). */
	destination: string;
} & SafetySettings;

/** A Render workspace; the API key comes from RENDER_API_KEY (or the variable `apiKeyEnv` names). */
export type RenderContext = {
	platform: 'render';
	/** The workspace (owner): its id (`tea-…`/`usr-…`) or name; needed when the key reaches several. */
	workspace?: string;
	/** Name of the environment variable holding the API key; RENDER_API_KEY when absent. */
	apiKeyEnv?: string;
	/** API base without /v1; Render's own when absent (a sandbox's for tests). */
	url?: string;
	service?: string;
	/** The Render Postgres database (id or name). */
	addon?: string;
	healthPath?: string;
	migrateCommand?: string;
} & SafetySettings;

/** A Docker Compose project on a host reached over SSH. */
export type ComposeContext = {
	platform: 'compose';
	/** `user@host[:port]` or a Host alias from ~/.ssh/config (ProxyJump and all). */
	destination: string;
	/** The project directory on the host (absolute). */
	projectDir: string;
	/** Compose files, relative to projectDir or absolute; Compose's default lookup when absent. */
	files?: string[];
	appService: string;
	dbService: string;
	/** The variable the compose file takes the application's image tag from. */
	tagVariable: string;
	healthPath?: string;
	migrateCommand?: string;
} & SafetySettings;

export type ContextConfig = NorthflankContext | SshHostContext | RenderContext | ComposeContext;

export type ConfigFile = {
	version: number;
	current?: string;
	contexts: Record<string, ContextConfig>;
};

export type LoadedConfig = ConfigFile & {
	/** The config file, whether or not it exists. */
	path: string;
	directory: string;
	exists: boolean;
	/** The version the file was written in, when older than this wheelhouse's: it is migrated in memory. */
	migratedFrom?: number;
};

export const defaultTokenEnv = 'NORTHFLANK_TOKEN';

/** Render's own convention (its CLI reads the same variable). */
export const defaultRenderKeyEnv = 'RENDER_API_KEY';

const contextNamePattern = /^[A-Za-z\d][\w.-]{0,62}$/;

/** Why a context name cannot be used, or undefined when it can. */
export function contextNameProblem(name: string): string | undefined {
	if (name.trim() === '') {
		return 'A context needs a name.';
	}

	if (!contextNamePattern.test(name)) {
		return `"${name}" is not a usable context name: use letters, digits, ".", "_" and "-", starting with a letter or digit (at most 63).`;
	}

	return undefined;
}

export type LoadOptions = {
	/** Context commands can repair a `current` that names no context; everything else refuses it. */
	allowUnknownCurrent?: boolean;
};

/**
 * Reads the config file without changing it: a missing file is an empty config, an older version is
 * migrated in memory, and anything malformed is a UsageError naming the file, the key and the fix.
 */
export function loadConfig(directory = configDirectory(), options: LoadOptions = {}): LoadedConfig {
	const path = configFilePath({WHEELHOUSE_CONFIG_DIR: directory});
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return {path, directory, exists: false, version: currentConfigVersion, contexts: {}};
		}

		throw new UsageError(`Cannot read the config file ${path}: ${(error as Error).message}.`, 'Check the file\'s permissions; wheelhouse has left it untouched.');
	}

	const document = parseDocument(text, path);
	const from = document.version === undefined ? 1 : document.version;
	if (typeof from !== 'number' || !Number.isInteger(from) || from < 1) {
		throw invalid(path, `"version" is ${JSON.stringify(from)}, not a version number`, `Set "version" to ${currentConfigVersion}, or remove the key (a file without one is read as version 1).`);
	}

	if (from > currentConfigVersion) {
		throw invalid(path, `it was written by a newer wheelhouse (version ${from}; this one reads up to ${currentConfigVersion})`, 'Upgrade wheelhouse, or use the wheelhouse that wrote it.');
	}

	const migrated = migrateConfig(document).document;
	const config = validateConfig(migrated, path, options);
	return {path, directory, exists: true, ...config, ...(from < currentConfigVersion ? {migratedFrom: from} : {})};
}

/** The name the file uses in every message. */
export const configError = invalid;

function invalid(path: string, reason: string, fix: string): UsageError {
	return new UsageError(`The config file ${path} is not valid: ${reason}.`, `${fix} wheelhouse has left the file untouched.`);
}

function parseDocument(text: string, path: string): Record<string, unknown> {
	let parsed: unknown;
	const content = text.replace(/^\uFEFF/, '');
	try {
		parsed = JSON.parse(content);
	} catch {
		// JSON.parse's message quotes the text around the problem, which may hold a token: say only where.
		const problem = jsonProblem(content);
		const where = problem ? `line ${problem.line}, column ${problem.column}: ${problem.reason}` : 'it cannot be read as JSON';
		throw invalid(path, `it is not valid JSON (${where})`, 'Fix that spot (a missing comma or quote, a trailing comma, a comment), or remove the file to start again.');
	}

	if (!isRecord(parsed)) {
		const what = parsed === null ? 'null' : (Array.isArray(parsed) ? 'a list' : `a ${typeof parsed}`);
		throw invalid(path, `it holds ${what}, not an object`, 'It should look like {"current": "prod", "contexts": {"prod": {…}}}.');
	}

	return parsed;
}

/** The config as loadConfig reads it (the older name). */
export function openConfig(directory = configDirectory()): LoadedConfig {
	return loadConfig(directory);
}

/**
 * Changes the config and writes it, in the current version, through conf (atomic write, mode 0600,
 * schema-checked). The file is read and validated first: a malformed file is reported and left as it is.
 */
export async function saveConfig(change: (config: ConfigFile) => ConfigFile, directory = configDirectory()): Promise<LoadedConfig> {
	const before = loadConfig(directory, {allowUnknownCurrent: true});
	const after = change({version: currentConfigVersion, current: before.current, contexts: before.contexts});
	const next: ConfigFile = {version: currentConfigVersion, ...(after.current === undefined ? {} : {current: after.current}), contexts: after.contexts};
	validateConfig(next as unknown as Record<string, unknown>, before.path, {});
	const {writeConfigFile} = await import('./config-store.js');
	await writeConfigFile(directory, next);
	return {...next, path: before.path, directory, exists: true};
}

export type TokenSource =
	| {kind: 'env'; variable: string; set: boolean}
	| {kind: 'secret'; file: string};

/**
 * Where a Northflank context's token comes from: the variable it names; else NORTHFLANK_TOKEN when set
 * (the platform's convention wins over a stored token); else the token stored in secrets.json.
 */
export function tokenSource(context: NorthflankContext, environment: NodeJS.ProcessEnv = process.env, directory = configDirectory()): TokenSource {
	if (context.tokenEnv) {
		return {kind: 'env', variable: context.tokenEnv, set: Boolean(environment[context.tokenEnv])};
	}

	if (environment[defaultTokenEnv] || !context.tokenSecret) {
		return {kind: 'env', variable: defaultTokenEnv, set: Boolean(environment[defaultTokenEnv])};
	}

	return {kind: 'secret', file: configFilePath({WHEELHOUSE_CONFIG_DIR: directory}).replace(/config\.json$/, 'secrets.json')};
}

/** The environment variable a Render context reads its API key from. */
export function renderKeyVariable(context: RenderContext): string {
	return context.apiKeyEnv ?? defaultRenderKeyEnv;
}

/** A Render context's API key, from the environment; it joins the process redactor at the caller. */
export function readRenderApiKey(name: string, context: RenderContext, environment: NodeJS.ProcessEnv = process.env): string {
	const variable = renderKeyVariable(context);
	const key = environment[variable];
	if (!key) {
		throw new UsageError(`Context "${name}" needs a Render API key in the environment variable ${variable}, which is not set.`, `Export ${variable}=<your Render API key> (Account settings → API keys) and run again.`);
	}

	return key;
}

/** Reads the token a context names, without ever printing it; it joins the process redactor. */
export function readContextToken(name: string, context: NorthflankContext, environment: NodeJS.ProcessEnv = process.env, directory = configDirectory()): string {
	const source = tokenSource(context, environment, directory);
	if (source.kind === 'env') {
		const token = environment[source.variable];
		if (!token) {
			throw new UsageError(`Context "${name}" needs an API token in the environment variable ${source.variable}, which is not set.`, `Export ${source.variable}=<your Northflank API token> and run again${context.tokenEnv ? '' : ', or store a token with `wheelhouse setup`'}.`);
		}

		return token;
	}

	const secrets = readSecrets(directory);
	const token = secrets.tokens[name];
	if (!token) {
		throw new UsageError(`Context "${name}" keeps its token in ${secrets.path}, but that file has no token for it.`, `Store one again: \`wheelhouse context remove ${name}\`, then \`wheelhouse setup\` (or \`context add … --token-stdin\`); or export ${defaultTokenEnv}.`);
	}

	return token;
}
