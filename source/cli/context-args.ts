// `wheelhouse context list|use|remove|add …`: the words and flags, checked into one action before
// anything is read or written. Nothing here touches the disk or the network.
import {UsageError} from '../core/errors.js';
import {
	type ComposeContext, contextNameProblem, type ContextConfig, type Environment, environments, type NorthflankContext, type RenderContext, type SafetySettings,
} from '../infra/config.js';
import {parseDestination} from '../infra/ssh/destination.js';

export type ContextAction =
	| {kind: 'list'}
	| {kind: 'use'; name: string}
	| {kind: 'remove'; name: string}
	/** The token comes on stdin when `tokenFromStdin`; it is stored in secrets.json, never in the config. */
	| {kind: 'add'; name: string; context: ContextConfig; tokenFromStdin: boolean};

type Values = Record<string, string | boolean | undefined>;

const addUsage = 'wheelhouse context add NAME --platform northflank --project P [--token-env VAR | --token-stdin] …, --platform render [--workspace W] …, --platform compose --destination D --project-dir DIR --app-service S --db-service S --tag-variable VAR, or --platform ssh --destination user@host';
const northflankFlags = ['project', 'team', 'token-env', 'token-stdin', 'url', 'service', 'addon', 'job', 'migrate-command', 'migration-tool', 'health-path', 'database-url-env'];
const sshFlags = ['destination'];
const renderFlags = ['workspace', 'api-key-env', 'url', 'service', 'addon', 'health-path', 'migrate-command'];
const composeFlags = ['destination', 'project-dir', 'files', 'app-service', 'db-service', 'tag-variable', 'health-path', 'migrate-command'];
const allFlags = [...new Set([...northflankFlags, ...sshFlags, ...renderFlags, ...composeFlags])];

/** Options of `wheelhouse context`, for the argument parser. */
export const contextOptions = {
	platform: {type: 'string'},
	project: {type: 'string'},
	team: {type: 'string'},
	'token-env': {type: 'string'},
	'token-stdin': {type: 'boolean'},
	url: {type: 'string'},
	service: {type: 'string'},
	addon: {type: 'string'},
	job: {type: 'string'},
	'migrate-command': {type: 'string'},
	'migration-tool': {type: 'string'},
	'health-path': {type: 'string'},
	'database-url-env': {type: 'string'},
	environment: {type: 'string'},
	protected: {type: 'boolean'},
	destination: {type: 'string'},
	workspace: {type: 'string'},
	'api-key-env': {type: 'string'},
	'project-dir': {type: 'string'},
	files: {type: 'string'},
	'app-service': {type: 'string'},
	'db-service': {type: 'string'},
	'tag-variable': {type: 'string'},
	json: {type: 'boolean'},
} as const;

export function parseContextAction(words: Array<string | undefined>, values: Values, readOnly: boolean): ContextAction {
	const [action = 'list', name, extra] = words;
	const given = Object.keys(contextOptions).filter(option => option !== 'json' && values[option] !== undefined);
	if (extra !== undefined) {
		throw new UsageError(`Unexpected argument "${extra}" for wheelhouse context ${action}.`, 'See `wheelhouse help context`.');
	}

	if (action === 'add') {
		return parseAdd(name, values, readOnly);
	}

	if (given.length > 0) {
		throw new UsageError(`--${given[0]} is an option of \`wheelhouse context add\`, not of \`context ${action}\`.`, 'See `wheelhouse help context`.');
	}

	if (readOnly) {
		throw new UsageError(`--read-only is an option of \`wheelhouse context add\` (and of every command that connects), not of \`context ${action}\`.`, 'Leave it out here.');
	}

	switch (action) {
		case 'list':
		case 'ls': {
			if (name !== undefined) {
				throw new UsageError(`Unexpected argument "${name}" for wheelhouse context list.`, 'Run `wheelhouse context list` (add --json for scripts).');
			}

			return {kind: 'list'};
		}

		case 'use':
		case 'remove':
		case 'rm': {
			const kind = action === 'use' ? 'use' : 'remove';
			if (name === undefined) {
				throw new UsageError(`wheelhouse context ${kind} needs the context's NAME.`, `Run \`wheelhouse context list\` to see them, then \`wheelhouse context ${kind} NAME\`.`);
			}

			if (values.json) {
				throw new UsageError(`--json is for \`wheelhouse context list\`, not \`context ${kind}\`.`, 'Leave it out here.');
			}

			return {kind, name: checkedName(name)};
		}

		default: {
			throw new UsageError(`Unknown context action "${action}".`, 'Use `wheelhouse context list`, `context use NAME`, `context remove NAME` or `context add NAME …` (see `wheelhouse help context`).');
		}
	}
}

function checkedName(name: string): string {
	const problem = contextNameProblem(name);
	if (problem) {
		throw new UsageError(problem, 'For example `prod`, `staging-eu` or `app.host`.');
	}

	return name;
}

function text(values: Values, option: string): string | undefined {
	const value = values[option];
	if (typeof value !== 'string') {
		return undefined;
	}

	if (value.trim() === '') {
		throw new UsageError(`--${option} needs a value.`, `See \`wheelhouse help context\`: ${addUsage}.`);
	}

	return value;
}

function parseAdd(name: string | undefined, values: Values, readOnly: boolean): ContextAction {
	if (name === undefined) {
		throw new UsageError('wheelhouse context add needs the new context\'s NAME.', `Run \`${addUsage}\`.`);
	}

	checkedName(name);
	if (values.json) {
		throw new UsageError('--json is for `wheelhouse context list`, not `context add`.', 'Leave it out here.');
	}

	const platform = text(values, 'platform');
	if (platform === undefined) {
		throw new UsageError('wheelhouse context add needs --platform: northflank, render, compose, or ssh for a plain SSH host.', `Run \`${addUsage}\`.`);
	}

	if (platform !== 'northflank' && platform !== 'ssh' && platform !== 'render' && platform !== 'compose') {
		throw new UsageError(`--platform "${platform}" is not a platform wheelhouse knows.`, 'Use --platform northflank, render, compose, or ssh for a plain SSH host.');
	}

	const safety = {
		...(readOnly ? {readOnly: true} : {}),
		...(values.protected ? {protected: true} : {}),
		...optional('environment', environment(text(values, 'environment'))),
	};

	if (platform === 'render') {
		refuseFlags(values, allFlags.filter(flag => !renderFlags.includes(flag)), 'another --platform than render');
		return {kind: 'add', name, context: renderContext(values, safety), tokenFromStdin: false};
	}

	if (platform === 'compose') {
		refuseFlags(values, allFlags.filter(flag => !composeFlags.includes(flag)), 'another --platform than compose');
		return {kind: 'add', name, context: composeContext(name, values, safety), tokenFromStdin: false};
	}

	refuseFlags(values, [...renderFlags, ...composeFlags].filter(flag => !northflankFlags.includes(flag) && !sshFlags.includes(flag)), 'a Render or Compose context (--platform render|compose)');
	if (platform === 'ssh') {
		refuseFlags(values, northflankFlags, 'a Northflank context (--platform northflank)');
		const destination = text(values, 'destination');
		if (destination === undefined) {
			throw new UsageError('An SSH host context needs --destination: user@host[:port] or a Host alias of ~/.ssh/config.', `Run \`wheelhouse context add ${name} --platform ssh --destination deploy@app.example.com\`.`);
		}

		parseDestination(destination);
		return {kind: 'add', name, context: {platform: 'ssh', destination, ...safety}, tokenFromStdin: false};
	}

	refuseFlags(values, sshFlags, 'an SSH host context (--platform ssh)');
	const project = text(values, 'project');
	if (project === undefined) {
		throw new UsageError('A Northflank context needs --project: the project\'s id or name.', `Run \`wheelhouse context add ${name} --platform northflank --project notechondria\`.`);
	}

	const tokenEnv = text(values, 'token-env');
	const tokenFromStdin = values['token-stdin'] === true;
	if (tokenEnv !== undefined && tokenFromStdin) {
		throw new UsageError('Give the token one way: --token-env VAR or --token-stdin, not both.', '--token-env names the variable to read at every start; --token-stdin stores the token in secrets.json (mode 0600).');
	}

	// The value is not repeated: a token given here by mistake must not be printed back.
	if (tokenEnv !== undefined && !/^[A-Za-z_]\w*$/.test(tokenEnv)) {
		throw new UsageError('--token-env takes the name of an environment variable, and what was given is not one.', 'Give the variable\'s name, not the token: e.g. --token-env NORTHFLANK_TOKEN (letters, digits and _); or pipe the token to --token-stdin.');
	}

	const migrateCommand = text(values, 'migrate-command');
	const context: NorthflankContext = {
		platform: 'northflank',
		project,
		...optional('team', text(values, 'team')),
		...optional('url', url(text(values, 'url'))),
		...optional('tokenEnv', tokenEnv),
		...(tokenFromStdin ? {tokenSecret: true} : {}),
		...optional('service', text(values, 'service')),
		...optional('addon', text(values, 'addon')),
		...optional('job', text(values, 'job')),
		...optional('migrateCommand', migrateCommand),
		...optional('migrationTool', migrationTool(text(values, 'migration-tool'), migrateCommand)),
		...optional('healthPath', healthPath(text(values, 'health-path'))),
		...optional('databaseUrlEnv', variable(text(values, 'database-url-env'), '--database-url-env')),
		...safety,
	};
	return {kind: 'add', name, context, tokenFromStdin};
}

function renderContext(values: Values, safety: SafetySettings): RenderContext {
	return {
		platform: 'render',
		...optional('workspace', text(values, 'workspace')),
		...optional('apiKeyEnv', keyVariable(text(values, 'api-key-env'))),
		...optional('url', url(text(values, 'url'))),
		...optional('service', text(values, 'service')),
		...optional('addon', text(values, 'addon')),
		...optional('healthPath', healthPath(text(values, 'health-path'))),
		...optional('migrateCommand', text(values, 'migrate-command')),
		...safety,
	};
}

// The value is not repeated: a key given here by mistake must not be printed back.
function keyVariable(value: string | undefined): string | undefined {
	if (value !== undefined && !/^[A-Za-z_]\w*$/.test(value)) {
		throw new UsageError('--api-key-env takes the name of an environment variable, and what was given is not one.', 'Give the variable\'s name, not the key: e.g. --api-key-env RENDER_API_KEY (letters, digits and _).');
	}

	return value;
}

function composeContext(name: string, values: Values, safety: SafetySettings): ComposeContext {
	const required = (option: string, what: string): string => {
		const value = text(values, option);
		if (value === undefined) {
			throw new UsageError(`A Compose context needs --${option}: ${what}.`, `Run \`wheelhouse context add ${name} --platform compose --destination deploy@app.example.com --project-dir /srv/app --app-service backend --db-service db --tag-variable APP_TAG\`.`);
		}

		return value;
	};

	const destination = required('destination', 'user@host[:port] or a Host alias of ~/.ssh/config');
	parseDestination(destination);
	const projectDir = required('project-dir', 'the project directory on the host (absolute)');
	if (!projectDir.startsWith('/') || /\s/.test(projectDir)) {
		throw new UsageError(`--project-dir "${projectDir}" is not an absolute path on the host.`, 'Give the directory holding compose.yml, e.g. --project-dir /srv/app.');
	}

	const services = ['app-service', 'db-service'].map(option => {
		const value = required(option, option === 'app-service' ? 'the application\'s service in the compose file' : 'the PostgreSQL service in the compose file');
		if (!/^[a-zA-Z\d][\w.-]*$/.test(value)) {
			throw new UsageError(`--${option} "${value}" is not a Compose service name.`, `Give the service's name in compose.yml (letters, digits, ".", "_", "-"), e.g. --${option} ${option === 'app-service' ? 'backend' : 'db'}.`);
		}

		return value;
	});
	const tagVariable = variable(required('tag-variable', 'the variable the compose file takes the image tag from'), '--tag-variable')!;
	const files = text(values, 'files')?.split(',').map(file => file.trim());
	if (files?.some(file => file === '')) {
		throw new UsageError('--files has an empty name in its list.', 'Give the compose files separated by commas, e.g. --files compose.yml,compose.prod.yml.');
	}

	return {
		platform: 'compose',
		destination,
		projectDir,
		...optional('files', files),
		appService: services[0]!,
		dbService: services[1]!,
		tagVariable,
		...optional('healthPath', healthPath(text(values, 'health-path'))),
		...optional('migrateCommand', text(values, 'migrate-command')),
		...safety,
	};
}

function optional<Key extends string, Value>(key: Key, value: Value | undefined): Partial<Record<Key, Value>> {
	return value === undefined ? {} : {[key]: value} as Record<Key, Value>;
}

function refuseFlags(values: Values, flags: readonly string[], belongsTo: string): void {
	const wrong = flags.find(flag => values[flag] !== undefined);
	if (wrong) {
		throw new UsageError(`--${wrong} is for ${belongsTo}.`, 'Leave it out, or choose the other --platform.');
	}
}

function environment(value: string | undefined): Environment | undefined {
	if (value === undefined) {
		return undefined;
	}

	if (!environments.includes(value as Environment)) {
		throw new UsageError(`--environment "${value}" is not one of ${environments.join(', ')}.`, 'Give --environment production, staging or development.');
	}

	return value as Environment;
}

function url(value: string | undefined): string | undefined {
	if (value === undefined) {
		return undefined;
	}

	let parsed: URL;
	try {
		parsed = new URL(value);
	} catch {
		throw new UsageError(`--url "${value}" is not a URL.`, 'Give the API address, e.g. --url https://api.northflank.com (leave it out for Northflank itself).');
	}

	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new UsageError(`--url must be an http:// or https:// address, not ${parsed.protocol}//.`, 'Give the API address, e.g. --url https://api.northflank.com.');
	}

	return value.replace(/\/+$/, '');
}

function migrationTool(value: string | undefined, command: string | undefined): 'django' | 'alembic' | undefined {
	if (value === undefined) {
		if (command?.includes('manage.py migrate')) {
			return 'django';
		}

		return command?.includes('alembic') ? 'alembic' : undefined;
	}

	if (value !== 'django' && value !== 'alembic') {
		throw new UsageError(`--migration-tool "${value}" is not one wheelhouse knows.`, 'Give --migration-tool django or --migration-tool alembic (or leave it out).');
	}

	return value;
}

function healthPath(value: string | undefined): string | undefined {
	if (value === undefined) {
		return undefined;
	}

	if (!value.startsWith('/') || /\s/.test(value)) {
		throw new UsageError(`--health-path "${value}" is not a path on the service.`, 'Give a path starting with /, e.g. --health-path /api/health/.');
	}

	return value;
}

function variable(value: string | undefined, option: string): string | undefined {
	if (value !== undefined && !/^[A-Za-z_]\w*$/.test(value)) {
		throw new UsageError(`${option} "${value}" is not an environment variable name.`, `Give the variable's name, e.g. ${option} DATABASE_URL.`);
	}

	return value;
}
