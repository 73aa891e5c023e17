import {UsageError} from '../core/errors.js';
import type {Provider} from '../core/provider.js';
import {existsSync} from 'node:fs';
import {configFilePath} from '../infra/config-path.js';
import {processRedactor} from '../infra/redact.js';
import {NorthflankProvider} from '../providers/northflank/provider.js';
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

export const sandboxProject = 'notechondria';

/**
 * Picks what to talk to — a context from the config, a sandbox URL, or an in-process sandbox
 * (the default when no context exists) — and checks it answers before anything is shown.
 */
export async function connect(globals: GlobalOptions): Promise<Connection> {
	if (globals.sandboxUrl) {
		const token = process.env.WHEELHOUSE_SANDBOX_TOKEN ?? (await import('../sandbox/index.js')).defaultSandboxToken;
		return verified(new NorthflankProvider({baseUrl: globals.sandboxUrl, token, project: sandboxProject, platformName: 'the sandbox'}), {
			name: 'sandbox', platform: 'northflank', sandbox: true, readOnly: globals.readOnly,
		}, async () => {});
	}

	// Loading conf (and its JSON-schema validator) costs start-up time; with no file there is nothing to read.
	const hasConfigFile = !globals.sandbox && (globals.context !== undefined || existsSync(configFilePath()));
	const configModule = hasConfigFile ? await import('../infra/config.js') : undefined;
	const config = configModule?.openConfig() ?? (globals.sandbox ? undefined : {path: configFilePath(), version: 1, current: undefined, contexts: {}});
	const contextNames = Object.keys(config?.contexts ?? {});
	if (globals.sandbox || (config && contextNames.length === 0 && globals.context === undefined)) {
		const {startSandbox} = await import('../sandbox/index.js');
		const sandbox = await startSandbox({port: 0});
		return verified(new NorthflankProvider({baseUrl: sandbox.url, token: sandbox.token, project: sandboxProject, platformName: 'the sandbox'}), {
			name: 'sandbox', platform: 'northflank', sandbox: true, readOnly: globals.readOnly,
		}, async () => sandbox.close());
	}

	const name = globals.context ?? config!.current ?? contextNames[0]!;
	const context = config!.contexts[name];
	if (!context) {
		throw new UsageError(`No context named "${name}" in ${config!.path}.`, `Known contexts: ${contextNames.join(', ') || 'none'}. Use one of them, or --sandbox.`);
	}

	const token = configModule!.readContextToken(name, context);
	processRedactor.add(token);
	return verified(new NorthflankProvider({baseUrl: context.url, token, project: context.project, team: context.team}), {
		name, platform: context.platform, sandbox: false, readOnly: globals.readOnly || context.readOnly === true,
	}, async () => {});
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
