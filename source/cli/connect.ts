import {existsSync} from 'node:fs';
import {UsageError} from '../core/errors.js';
import type {Provider} from '../core/provider.js';
import {configFilePath} from '../infra/config-path.js';
import {processRedactor} from '../infra/redact.js';
import type {NorthflankOptions} from '../providers/northflank/provider.js';
import type {GlobalOptions} from './args.js';

export type ConnectedContext = {
	name: string;
	platform: string;
	sandbox: boolean;
	readOnly: boolean;
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
};

export const sandboxProject = 'notechondria';

const sandboxContext = (readOnly: boolean): ConnectedContext => ({name: 'sandbox', platform: 'northflank', sandbox: true, readOnly});

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
				return verified(await northflank({baseUrl: url, token, project: sandboxProject, platformName: 'the sandbox'}), sandboxContext(globals.readOnly), async () => {});
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
			async open() {
				const {startSandbox} = await import('../sandbox/index.js');
				const sandbox = await startSandbox({port: 0});
				return verified(await northflank({baseUrl: sandbox.url, token: sandbox.token, project: sandboxProject, platformName: 'the sandbox'}), sandboxContext(globals.readOnly), async () => sandbox.close());
			},
		};
	}

	const name = globals.context ?? config?.current ?? contextNames[0]!;
	const context = config?.contexts[name];
	if (!configModule || !config || !context) {
		throw new UsageError(`No context named "${name}" in ${config?.path ?? configFilePath()}.`, `Known contexts: ${contextNames.join(', ') || 'none'}. Use one of them, or --sandbox.`);
	}

	if (context.platform === 'ssh') {
		throw new UsageError(`Context "${name}" is an SSH host (${context.destination}); this version can only open a shell on it.`, `Run \`wheelhouse --context ${name} exec\`.`);
	}

	const token = configModule.readContextToken(name, context);
	processRedactor.add(token);
	const connected: ConnectedContext = {name, platform: context.platform, sandbox: false, readOnly: globals.readOnly || context.readOnly === true};
	return {
		context: connected,
		async open() {
			return verified(await northflank({baseUrl: context.url, token, project: context.project, team: context.team}), connected, async () => {});
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
	const name = globals.context ?? config.current ?? Object.keys(config.contexts)[0];
	const context = name === undefined ? undefined : config.contexts[name];
	return context?.platform === 'ssh' ? {name: name!, destination: context.destination} : undefined;
}
