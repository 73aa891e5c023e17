// `wheelhouse context list|use|remove|add`: the contexts of the config file, for people and scripts.
import type {ContextAction} from '../cli/context-args.js';
import {UsageError} from '../core/errors.js';
import {
	type ContextConfig, defaultTokenEnv, loadConfig, type LoadedConfig, renderKeyVariable, saveConfig, tokenSource,
} from '../infra/config.js';
import {configDirectory} from '../infra/config-path.js';
import {readSecrets, storeToken} from '../infra/secrets.js';

export type ContextStreams = {
	stdin: NodeJS.ReadableStream & {isTTY?: boolean};
	stdout: {write(text: string): unknown};
};

export type ContextCommandOptions = {
	json: boolean;
	directory?: string;
	environment?: NodeJS.ProcessEnv;
};

export async function runContextCommand(action: ContextAction, options: ContextCommandOptions, streams: ContextStreams): Promise<number> {
	const directory = options.directory ?? configDirectory();
	const environment = options.environment ?? process.env;
	switch (action.kind) {
		case 'list': {
			const config = loadConfig(directory, {allowUnknownCurrent: true});
			streams.stdout.write(options.json ? `${JSON.stringify(listDocument(config, environment), undefined, 2)}\n` : listText(config, environment));
			return 0;
		}

		case 'use': {
			const config = loadConfig(directory, {allowUnknownCurrent: true});
			const context = known(config, action.name);
			await saveConfig(current => ({...current, current: action.name}), directory);
			streams.stdout.write(`Current context: ${action.name} (${summary(context)}).\n`);
			return 0;
		}

		case 'remove': {
			const config = loadConfig(directory, {allowUnknownCurrent: true});
			known(config, action.name);
			const wasCurrent = config.current === action.name;
			await saveConfig(current => {
				const {[action.name]: _removed, ...contexts} = current.contexts;
				return {...current, contexts, current: wasCurrent ? undefined : current.current};
			}, directory);
			await storeToken(action.name, undefined, directory);
			streams.stdout.write(`Removed context ${action.name}${wasCurrent ? '; there is no current context now: run `wheelhouse context use NAME`' : ''}.\n`);
			return 0;
		}

		case 'add': {
			return addContext(action, directory, environment, streams);
		}
	}
}

async function addContext(action: Extract<ContextAction, {kind: 'add'}>, directory: string, environment: NodeJS.ProcessEnv, streams: ContextStreams): Promise<number> {
	const config = loadConfig(directory, {allowUnknownCurrent: true});
	if (action.name in config.contexts) {
		throw new UsageError(`A context named "${action.name}" already exists in ${config.path}.`, `Choose another name, or remove it first: \`wheelhouse context remove ${action.name}\`.`);
	}

	// Read and checked before anything is written: a bad token leaves both files as they were.
	const token = action.tokenFromStdin ? await readTokenFromStdin(streams.stdin) : undefined;
	if (token !== undefined) {
		await storeToken(action.name, token, directory);
	}

	const becomesCurrent = config.current === undefined || !(config.current in config.contexts);
	await saveConfig(current => ({
		...current,
		current: becomesCurrent ? action.name : current.current,
		contexts: {...current.contexts, [action.name]: action.context},
	}), directory);
	const lines = [`Added context ${action.name} (${summary(action.context)}) to ${config.path}.`];
	if (action.context.platform === 'northflank') {
		const source = tokenSource(action.context, environment, directory);
		lines.push(source.kind === 'secret' ? '  Its token is stored in secrets.json (mode 0600).' : `  Its token is read from ${source.variable}${source.set ? '' : ', which is not set in this shell'}.`);
		if (token !== undefined && environment[defaultTokenEnv]) {
			lines.push(`  ${defaultTokenEnv} is set in this shell and takes precedence over the stored token.`);
		}
	}

	if (action.context.platform === 'render') {
		const variable = renderKeyVariable(action.context);
		lines.push(`  Its API key is read from ${variable}${environment[variable] ? '' : ', which is not set in this shell'}.`);
	}

	lines.push(becomesCurrent ? '  It is the current context.' : `  Use it with --context ${action.name}, or make it current: wheelhouse context use ${action.name}.`);
	streams.stdout.write(`${lines.join('\n')}\n`);
	return 0;
}

const maximumTokenLength = 4096;

/** The token piped in (or typed without echo on a terminal); only it, on one line. */
async function readTokenFromStdin(stdin: ContextStreams['stdin']): Promise<string> {
	let raw: string;
	if (stdin.isTTY) {
		const {askSecret} = await import('../infra/prompt.js');
		raw = await askSecret({stdin: stdin as NodeJS.ReadStream, stderr: process.stderr}, 'API token (not shown): ') ?? '';
	} else {
		const chunks: Buffer[] = [];
		for await (const chunk of stdin) {
			chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Buffer);
			if (chunks.reduce((sum, part) => sum + part.length, 0) > maximumTokenLength) {
				throw new UsageError('--token-stdin read more than 4 KB: that is not an API token.', 'Pipe in only the token, e.g. `printf %s "$TOKEN" | wheelhouse context add …`.');
			}
		}

		raw = Buffer.concat(chunks).toString('utf8');
	}

	const token = raw.replace(/\r?\n$/, '');
	if (token.trim() === '') {
		throw new UsageError('--token-stdin found no token on standard input.', 'Pipe it in: `printf %s "$NORTHFLANK_TOKEN" | wheelhouse context add NAME … --token-stdin`.');
	}

	if (/[\s\u0000-\u001F\u007F]/.test(token)) {
		throw new UsageError('The token on standard input has spaces, line breaks or control characters in it.', 'Pipe in only the token itself, on one line.');
	}

	return token;
}

function known(config: LoadedConfig, name: string): ContextConfig {
	const context = config.contexts[name];
	if (!context) {
		const names = Object.keys(config.contexts);
		throw new UsageError(`No context named "${name}" in ${config.path}.`, names.length > 0 ? `Known contexts: ${names.join(', ')}.` : 'There are none yet: run `wheelhouse setup`, or `wheelhouse context add NAME …`.');
	}

	return context;
}

/** "northflank · notechondria · production, protected" */
export function summary(context: ContextConfig): string {
	return [context.platform, whereOf(context), safetyWords(context).join(', ')].filter(Boolean).join(' · ');
}

/** The project, workspace or host a context points at. */
function whereOf(context: ContextConfig): string {
	switch (context.platform) {
		case 'ssh': {
			return context.destination;
		}

		case 'compose': {
			return `${context.destination}:${context.projectDir}`;
		}

		case 'render': {
			return context.workspace ?? '';
		}

		default: {
			return context.project;
		}
	}
}

function safetyWords(context: ContextConfig): string[] {
	return [context.environment, context.protected ? 'protected' : undefined, context.readOnly ? 'read-only' : undefined].filter((word): word is string => Boolean(word));
}

function tokenWords(context: ContextConfig, environment: NodeJS.ProcessEnv, directory: string, stored: Record<string, string>, name: string): string {
	if (context.platform === 'render') {
		const variable = renderKeyVariable(context);
		return `$${variable}${environment[variable] ? '' : ' (unset)'}`;
	}

	if (context.platform !== 'northflank') {
		return 'ssh keys';
	}

	const source = tokenSource(context, environment, directory);
	if (source.kind === 'secret') {
		return name in stored ? 'secrets.json' : 'secrets.json (missing)';
	}

	return `$${source.variable}${source.set ? '' : ' (unset)'}`;
}

function listText(config: LoadedConfig, environment: NodeJS.ProcessEnv): string {
	const names = Object.keys(config.contexts);
	if (names.length === 0) {
		return `No contexts in ${config.path}.\n  Run \`wheelhouse setup\` (guided), or \`wheelhouse context add NAME --platform northflank --project P\`.\n`;
	}

	const stored = storedTokens(config);
	const rows = names.map(name => {
		const context = config.contexts[name]!;
		return [
			config.current === name ? '*' : '',
			name,
			context.platform,
			whereOf(context) || '—',
			context.environment ?? '—',
			[context.protected ? 'protected' : '', context.readOnly ? 'read-only' : ''].filter(Boolean).join(', ') || '—',
			tokenWords(context, environment, config.directory, stored, name),
		];
	});
	const header = ['', 'NAME', 'PLATFORM', 'PROJECT/DESTINATION', 'ENVIRONMENT', 'SAFETY', 'TOKEN'];
	const widths = header.map((title, index) => Math.max(title.length, ...rows.map(row => row[index]!.length)));
	const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ').trimEnd();
	const notes: string[] = [];
	if (config.current !== undefined && !(config.current in config.contexts)) {
		notes.push(`"current" names "${config.current}", which does not exist: run \`wheelhouse context use NAME\`.`);
	}

	if (config.migratedFrom !== undefined) {
		notes.push(`${config.path} is in the format of version ${config.migratedFrom}; it is rewritten in version ${config.version} the next time a context is saved.`);
	}

	return `${[line(header), ...rows.map(row => line(row)), ...notes].join('\n')}\n`;
}

function storedTokens(config: LoadedConfig): Record<string, string> {
	const needed = Object.values(config.contexts).some(context => context.platform === 'northflank' && context.tokenSecret);
	return needed ? readSecrets(config.directory).tokens : {};
}

function listDocument(config: LoadedConfig, environment: NodeJS.ProcessEnv) {
	const stored = storedTokens(config);
	return {
		path: config.path,
		version: config.version,
		...(config.migratedFrom === undefined ? {} : {migratedFrom: config.migratedFrom}),
		current: config.current ?? null,
		contexts: Object.entries(config.contexts).map(([name, context]) => ({
			name,
			current: config.current === name,
			platform: context.platform,
			...placeDocument(context),
			environment: context.environment ?? null,
			protected: context.protected === true,
			readOnly: context.readOnly === true,
			...(context.platform === 'northflank' ? {token: tokenDocument(context, environment, config.directory, stored, name)} : {}),
		})),
	};
}

function placeDocument(context: ContextConfig) {
	switch (context.platform) {
		case 'ssh': {
			return {destination: context.destination};
		}

		case 'compose': {
			return {destination: context.destination, projectDir: context.projectDir};
		}

		case 'render': {
			return {...(context.workspace ? {workspace: context.workspace} : {}), ...(context.url ? {url: context.url} : {}), apiKey: {source: 'environment', variable: renderKeyVariable(context)}};
		}

		default: {
			return {project: context.project, ...(context.team ? {team: context.team} : {}), ...(context.url ? {url: context.url} : {})};
		}
	}
}

function tokenDocument(context: Extract<ContextConfig, {platform: 'northflank'}>, environment: NodeJS.ProcessEnv, directory: string, stored: Record<string, string>, name: string) {
	const source = tokenSource(context, environment, directory);
	return source.kind === 'secret' ? {source: 'secrets-file', stored: name in stored} : {source: 'environment', variable: source.variable, set: source.set};
}
