import {existsSync} from 'node:fs';
import {UsageError} from '../core/errors.js';
import type {Provider} from '../core/provider.js';
import {configFilePath} from '../infra/config-path.js';
import {processRedactor} from '../infra/redact.js';
import type {ComposeContext, Environment, LoadedConfig, ReleaseSettings, RenderContext, SafetySettings} from '../infra/config.js';
import type {NorthflankOptions} from '../providers/northflank/provider.js';
import type {GlobalOptions} from './args.js';

export type ConnectedContext = {
	name: string;
	platform: string;
	sandbox: boolean;
	readOnly: boolean;
	/** Shown next to the name everywhere; production in red. */
	environment?: Environment;
	/** Destructive actions need the context name typed. */
	protected: boolean;
	/** What the runbooks act on (service, addon, job, migrate command, health path), as configured. */
	settings: ReleaseSettings;
};

export type Connection = {
	provider: Provider;
	context: ConnectedContext;
	close(): Promise<void>;
};

/** What to connect to, known before any network call; `open` connects and checks it answers. */
export type ConnectionPlan = {
	context: ConnectedContext;
	open(): Promise<Connection>;
	/** No context is configured at all: the console offers the guided setup next to the sandbox. */
	offerSetup?: boolean;
};

export const sandboxProject = 'notechondria';

/** The sandbox is shaped like seed 000: Django on gunicorn, a migrate job, health at /api/health/. */
export const sandboxSettings: ReleaseSettings = {
	service: 'notechondria-backend',
	addon: 'notechondria-postgres',
	job: 'notechondria-migrate',
	migrateCommand: 'python manage.py migrate --noinput',
	migrationTool: 'django',
	healthPath: '/api/health/',
	environment: 'development',
};

const sandboxContext = (readOnly: boolean): ConnectedContext => ({name: 'sandbox', platform: 'northflank', sandbox: true, readOnly, protected: false, settings: sandboxSettings});

/**
 * Picks what to talk to: a sandbox URL, an in-process sandbox (the default when no context
 * exists), or a context from the config file. Bad configuration is reported here, before any
 * screen is drawn.
 */
export async function planConnection(globals: GlobalOptions): Promise<ConnectionPlan> {
	if (globals.sandboxUrl) {
		const url = globals.sandboxUrl;
		return {
			context: sandboxContext(globals.readOnly),
			async open() {
				const token = process.env.WHEELHOUSE_SANDBOX_TOKEN ?? (await import('../sandbox/index.js')).defaultSandboxToken;
				processRedactor.add(process.env.WHEELHOUSE_SANDBOX_TOKEN);
				return verified(await northflank({baseUrl: url, token, project: sandboxProject, platformName: 'the sandbox', sandbox: true}), sandboxContext(globals.readOnly), async () => {});
			},
		};
	}

	// Loading conf (and its JSON-schema validator) costs start-up time; with no file there is nothing to read.
	const hasConfigFile = !globals.sandbox && (globals.context !== undefined || existsSync(configFilePath()));
	const configModule = hasConfigFile ? await import('../infra/config.js') : undefined;
	const config = configModule?.openConfig();
	const contextNames = Object.keys(config?.contexts ?? {});
	if (globals.sandbox || contextNames.length === 0 && globals.context === undefined) {
		return {
			context: sandboxContext(globals.readOnly),
			// Here without --sandbox means no context exists; with it, the file is not read: no file, no contexts.
			offerSetup: globals.sandbox ? !existsSync(configFilePath()) : true,
			async open() {
				const {startSandbox} = await import('../sandbox/index.js');
				const sandbox = await startSandbox({port: 0});
				return verified(await northflank({baseUrl: sandbox.url, token: sandbox.token, project: sandboxProject, platformName: 'the sandbox', sandbox: true}), sandboxContext(globals.readOnly), async () => sandbox.close());
			},
		};
	}

	const name = chooseContextName(globals, config!);
	const context = config?.contexts[name];
	if (!configModule || !config || !context) {
		throw new UsageError(`No context named "${name}" in ${config?.path ?? configFilePath()}.`, `Known contexts: ${contextNames.join(', ') || 'none'}. Use one of them, or --sandbox.`);
	}

	if (context.platform === 'ssh') {
		throw new UsageError(`Context "${name}" is an SSH host (${context.destination}); this version can only open a shell on it.`, `Run \`wheelhouse --context ${name} exec\`.`);
	}

	if (context.platform === 'render') {
		return renderPlan(name, context, globals, configModule.readRenderApiKey(name, context));
	}

	if (context.platform === 'compose') {
		return composePlan(name, context, globals);
	}

	const token = configModule.readContextToken(name, context);
	processRedactor.add(token);
	const {platform: _platform, project: _project, team: _team, url: _url, tokenEnv: _tokenEnv, tokenSecret: _tokenSecret, sandbox: _sandbox, readOnly: _readOnly, ...settings} = context;
	const sandbox = context.sandbox === true;
	const connected: ConnectedContext = {name, platform: context.platform, sandbox, readOnly: globals.readOnly || context.readOnly === true, environment: context.environment, protected: context.protected === true, settings};
	return {
		context: connected,
		async open() {
			return verified(await northflank({baseUrl: context.url, token, project: context.project, team: context.team, sandbox, ...(sandbox ? {platformName: 'the sandbox'} : {})}), connected, async () => {});
		},
	};
}

function connectedContext(name: string, platform: string, context: SafetySettings, globals: GlobalOptions, settings: ReleaseSettings): ConnectedContext {
	return {name, platform, sandbox: false, readOnly: globals.readOnly || context.readOnly === true, environment: context.environment, protected: context.protected === true, settings: {...settings, environment: context.environment, protected: context.protected}};
}

function renderPlan(name: string, context: RenderContext, globals: GlobalOptions, apiKey: string): ConnectionPlan {
	processRedactor.add(apiKey);
	// Render runs one-off jobs on a service; the provider shows them as the job "<service> one-off jobs",
	// whose id is the service's (setup saves the service by id).
	const job = context.service === undefined ? undefined : /^srv-/.test(context.service) ? context.service : `${context.service} one-off jobs`;
	const connected = connectedContext(name, 'render', context, globals, {service: context.service, addon: context.addon, job, healthPath: context.healthPath, migrateCommand: context.migrateCommand});
	return {
		context: connected,
		async open() {
			const {RenderProvider} = await import('../providers/render/provider.js');
			const {sshPrompts} = await import('../infra/ssh/prompts.js');
			// Render's shells are SSH sessions to the service's sshAddress: host keys are asked about here.
			const provider = new RenderProvider({baseUrl: context.url, apiKey, workspace: context.workspace, ssh: sshPrompts({stdin: process.stdin, stderr: process.stderr})});
			return verified(provider, connected, async () => {});
		},
	};
}

function composePlan(name: string, context: ComposeContext, globals: GlobalOptions): ConnectionPlan {
	// Migrations run as one-off `docker compose run --rm` of the application service: the provider's job run:<app>.
	const connected = connectedContext(name, 'compose', context, globals, {service: context.appService, addon: context.dbService, job: `run:${context.appService}`, healthPath: context.healthPath, migrateCommand: context.migrateCommand});
	return {
		context: connected,
		async open() {
			const {ComposeProvider} = await import('../providers/compose/index.js');
			const provider = new ComposeProvider({
				destination: context.destination,
				projectDirectory: context.projectDir,
				...(context.files ? {composeFiles: context.files} : {}),
				appService: context.appService,
				dbService: context.dbService,
				tagVariable: context.tagVariable,
			});
			return verified(provider, connected, async () => provider.close());
		},
	};
}

export async function connect(globals: GlobalOptions): Promise<Connection> {
	return (await planConnection(globals)).open();
}

/** The provider (and with it the HTTP stack) loads only when a connection is made. */
async function northflank(options: NorthflankOptions): Promise<Provider> {
	const {NorthflankProvider} = await import('../providers/northflank/provider.js');
	return new NorthflankProvider(options);
}

async function verified(provider: Provider, context: ConnectedContext, close: () => Promise<void>): Promise<Connection> {
	try {
		await provider.verify();
	} catch (error) {
		await close();
		throw error;
	}

	return {provider, context, close};
}

/** The SSH host the chosen context names, when it is one (for `wheelhouse exec`). */
export async function sshHostContext(globals: GlobalOptions): Promise<{name: string; destination: string} | undefined> {
	if (globals.sandbox || globals.sandboxUrl || (globals.context === undefined && !existsSync(configFilePath()))) {
		return undefined;
	}

	const {openConfig} = await import('../infra/config.js');
	const config = openConfig();
	if (globals.context === undefined && Object.keys(config.contexts).length === 0) {
		return undefined;
	}

	const name = chooseContextName(globals, config);
	const context = config.contexts[name];
	return context?.platform === 'ssh' ? {name, destination: context.destination} : undefined;
}

/**
 * --context, else the file's current context, else the only one there is. With several and none
 * current, guessing could pick production: the operator is asked to choose.
 */
export function chooseContextName(globals: GlobalOptions, config: LoadedConfig): string {
	if (globals.context !== undefined) {
		return globals.context;
	}

	const names = Object.keys(config.contexts);
	if (config.current !== undefined) {
		return config.current;
	}

	if (names.length === 1) {
		return names[0]!;
	}

	throw new UsageError(`${config.path} has ${names.length} contexts and none is current.`, `Choose one: \`wheelhouse context use NAME\` (${names.join(', ')}), or --context NAME.`);
}
