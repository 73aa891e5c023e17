import {parseArgs, type ParseArgsConfig} from 'node:util';
import ms, {type StringValue} from 'ms';
import {UsageError} from '../core/errors.js';
import {type ContextAction, contextOptions, parseContextAction} from './context-args.js';

export type GlobalOptions = {
	context?: string;
	sandbox: boolean;
	sandboxUrl?: string;
	readOnly: boolean;
	json: boolean;
};

export type Invocation =
	| {command: 'help'; topic?: string}
	| {command: 'version'}
	| {command: 'console'; globals: GlobalOptions}
	| {command: 'status'; globals: GlobalOptions}
	| {command: 'sandbox'; globals: GlobalOptions; port?: number; stateDir?: string; chaos?: string; logRate?: number; databaseUrl?: string}
	| {command: 'logs'; globals: GlobalOptions; target: string; follow: boolean; sinceMs?: number; grep?: RegExp}
	| {command: 'exec'; globals: GlobalOptions; target?: string; instance?: string; argv?: string[]}
	| {command: 'release'; globals: GlobalOptions; service?: string; build?: string; run: RunFlags}
	| {command: 'rollback'; globals: GlobalOptions; service?: string; to?: string; restore?: string; reverseTo?: string; run: RunFlags}
	| {command: 'backup'; globals: GlobalOptions; addon?: string; verify: boolean; run: RunFlags}
	| {command: 'backups'; globals: GlobalOptions; addon?: string}
	| {command: 'restore'; globals: GlobalOptions; addon?: string; backup: string; run: RunFlags}
	| {command: 'history'; globals: GlobalOptions; runId?: string}
	| {command: 'resume'; globals: GlobalOptions; runId?: string; breakLock: boolean; run: RunFlags}
	| {command: 'setup'; globals: GlobalOptions}
	| {command: 'context'; globals: GlobalOptions; action: ContextAction};

/** How a runbook command runs: print the plan only, or without questions (scripts). */
export type RunFlags = {
	dryRun: boolean;
	yes: boolean;
	/** The words a typed confirmation expects (service or context name), for --yes on destructive steps. */
	confirm?: string;
};

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

const globalOptions: OptionSpec = {
	context: {type: 'string'},
	sandbox: {type: 'boolean'},
	'sandbox-url': {type: 'string'},
	'read-only': {type: 'boolean'},
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'v'},
};

const commandOptions: Record<string, OptionSpec> = {
	console: {},
	status: {json: {type: 'boolean'}},
	sandbox: {port: {type: 'string'}, state: {type: 'string'}, chaos: {type: 'string'}, 'log-rate': {type: 'string'}, 'database-url': {type: 'string'}},
	logs: {follow: {type: 'boolean', short: 'f'}, since: {type: 'string'}, grep: {type: 'string'}, json: {type: 'boolean'}},
	exec: {instance: {type: 'string'}},
	release: {build: {type: 'string'}, ...runOptions()},
	rollback: {to: {type: 'string'}, restore: {type: 'string'}, 'reverse-to': {type: 'string'}, ...runOptions()},
	backup: {verify: {type: 'boolean'}, ...runOptions()},
	backups: {json: {type: 'boolean'}},
	restore: runOptions(),
	history: {json: {type: 'boolean'}},
	resume: {'break-lock': {type: 'boolean'}, ...runOptions()},
	setup: {},
	context: contextOptions,
};

function runOptions(): OptionSpec {
	return {'dry-run': {type: 'boolean'}, yes: {type: 'boolean', short: 'y'}, confirm: {type: 'string'}};
}

/** Commands whose first positional names what they act on, and what it is called in messages. */
const positionalNames: Record<string, string> = {logs: 'TARGET', exec: 'TARGET', release: 'SERVICE', rollback: 'SERVICE', backup: 'ADDON', backups: 'ADDON', restore: 'ADDON', history: 'RUN', resume: 'RUN'};

const plannedCommands: string[] = [];

/** Parses argv (without node and script) into one invocation, or throws a UsageError naming the fix. */
export function parseInvocation(argv: string[]): Invocation {
	const allOptions: OptionSpec = Object.assign({}, globalOptions, ...Object.values(commandOptions));
	let parsed;
	try {
		parsed = parseArgs({args: argv, options: allOptions, strict: true, allowPositionals: true, tokens: true});
	} catch (error) {
		throw usageFromParseError(error, 'console');
	}

	// Everything after `--` is the remote command of `exec`, never a wheelhouse argument.
	const terminator = parsed.tokens.find(token => token.kind === 'option-terminator');
	const remoteArgv = terminator ? argv.slice(terminator.index + 1) : undefined;
	const ownPositionals = parsed.positionals.slice(0, parsed.positionals.length - (remoteArgv?.length ?? 0));
	const [command = 'console', ...extra] = ownPositionals;
	if (command === 'help') {
		return {command: 'help', topic: extra[0]};
	}

	const options = commandOptions[command];
	if (!options) {
		if (plannedCommands.includes(command)) {
			throw new UsageError(`"wheelhouse ${command}" is not available in this version yet.`, 'See `wheelhouse --help` for the commands this version has.');
		}

		throw new UsageError(`Unknown command "${command}".`, 'Commands: status, logs, exec, release, rollback, backup, backups, restore, history, resume, setup, context, sandbox (or none for the console). See `wheelhouse --help`.');
	}

	const where = command === 'console' ? 'wheelhouse' : `wheelhouse ${command}`;
	const target = command in positionalNames ? extra.shift() : undefined;
	const secondTarget = command === 'restore' ? extra.shift() : undefined;
	// `context ACTION NAME`; a third word is reported by parseContextAction.
	const contextWords = command === 'context' ? extra.splice(0, 3) : [];
	if (remoteArgv !== undefined && command !== 'exec') {
		throw new UsageError(`${where} takes no command after --.`, `See \`${where} --help\`.`);
	}

	if (command === 'exec' && remoteArgv !== undefined && remoteArgv.length === 0) {
		throw new UsageError('Nothing after -- to run.', 'Give the command, e.g. `wheelhouse exec notechondria-backend -- python manage.py showmigrations`, or leave out -- for a shell.');
	}
	if (command === 'logs' && target === undefined && !parsed.values.help) {
		throw new UsageError('wheelhouse logs needs a TARGET: a service, job or addon name or id.', 'Run `wheelhouse status` to see them, then `wheelhouse logs notechondria-backend`.');
	}

	if (command === 'restore' && secondTarget === undefined && !parsed.values.help) {
		throw new UsageError('wheelhouse restore needs ADDON and BACKUP: which backup of which addon to restore.', 'Run `wheelhouse backups ADDON` to list them, then `wheelhouse restore ADDON BACKUP`.');
	}

	if (extra.length > 0) {
		throw new UsageError(`Unexpected argument "${extra[0]}" for ${where}.`, `See \`${where} --help\`.`);
	}

	const values = parsed.values as Record<string, string | boolean | undefined>;
	for (const name of Object.keys(values)) {
		if (!(name in globalOptions) && !(name in options)) {
			throw new UsageError(`Unknown option --${name} for ${where}.`, `See \`${where} --help\` for its options.`);
		}
	}

	if (values.help) {
		return {command: 'help', topic: command === 'console' ? undefined : command};
	}

	if (values.version) {
		return {command: 'version'};
	}

	const globals: GlobalOptions = {
		context: values.context as string | undefined,
		sandbox: values.sandbox === true,
		sandboxUrl: values['sandbox-url'] as string | undefined,
		readOnly: values['read-only'] === true,
		json: values.json === true,
	};
	validateGlobals(globals);

	if (command === 'sandbox') {
		return {command, globals, port: parsePort(values.port as string | undefined), stateDir: values.state as string | undefined, chaos: values.chaos as string | undefined, logRate: parseLogRate(values['log-rate'] as string | undefined), databaseUrl: values['database-url'] as string | undefined};
	}

	if (command === 'exec') {
		return {command, globals, target, instance: values.instance as string | undefined, argv: remoteArgv};
	}

	if (command === 'logs') {
		return {command, globals, target: target!, follow: values.follow === true, sinceMs: parseSince(values.since as string | undefined), grep: parseGrep(values.grep as string | undefined)};
	}

	if (command === 'setup') {
		return {command, globals};
	}

	if (command === 'context') {
		return {command, globals, action: parseContextAction(contextWords, values, globals.readOnly)};
	}

	const runbookInvocation = runbookCommand(command, globals, target, secondTarget, values);
	if (runbookInvocation) {
		return runbookInvocation;
	}

	return {command: command as 'console' | 'status', globals};
}

function runbookCommand(command: string, globals: GlobalOptions, target: string | undefined, secondTarget: string | undefined, values: Record<string, string | boolean | undefined>): Invocation | undefined {
	const run: RunFlags = {dryRun: values['dry-run'] === true, yes: values.yes === true, confirm: nonEmpty(values.confirm, '--confirm', 'Give the words the confirmation asks for, e.g. --confirm notechondria-backend.')};
	const id = (value: string | boolean | undefined, option: string, example: string) => nonEmpty(value, option, `Give an id, e.g. ${option} ${example}.`);
	switch (command) {
		case 'release': {
			return {command, globals, service: target, build: id(values.build, '--build', '<build id from `wheelhouse status`>'), run};
		}

		case 'rollback': {
			return {command, globals, service: target, to: id(values.to, '--to', '<build id>'), restore: id(values.restore, '--restore', '<backup id>'), reverseTo: id(values['reverse-to'], '--reverse-to', 'notes.0003_note_pinned'), run};
		}

		case 'backup': {
			return {command, globals, addon: target, verify: values.verify === true, run};
		}

		case 'backups': {
			return {command, globals, addon: target};
		}

		case 'restore': {
			return {command, globals, addon: target, backup: secondTarget!, run};
		}

		case 'history': {
			return {command, globals, runId: target};
		}

		case 'resume': {
			return {command, globals, runId: target, breakLock: values['break-lock'] === true, run};
		}

		default: {
			return undefined;
		}
	}
}

function nonEmpty(value: string | boolean | undefined, option: string, hint: string): string | undefined {
	if (value === undefined || typeof value === 'boolean') {
		return undefined;
	}

	if (value.trim() === '') {
		throw new UsageError(`${option} needs a value.`, hint);
	}

	return value;
}

function parseLogRate(value: string | undefined): number | undefined {
	if (value === undefined) {
		return undefined;
	}

	const rate = Number(value);
	if (!Number.isFinite(rate) || rate <= 0 || rate > 100_000) {
		throw new UsageError(`--log-rate "${value}" is not a rate the sandbox can make.`, 'Give lines per second per container, above 0 and at most 100000.');
	}

	return rate;
}

function parseSince(value: string | undefined): number | undefined {
	if (value === undefined) {
		return undefined;
	}

	const duration = ms(value as StringValue);
	if (typeof duration === 'number' && Number.isFinite(duration) && duration > 0) {
		return duration;
	}

	const date = Date.parse(value);
	if (/^\d{4}-\d\d-\d\d/.test(value) && Number.isFinite(date)) {
		return Math.max(1, Date.now() - date);
	}

	throw new UsageError(`--since "${value}" is neither a duration nor a time.`, 'Give a duration such as 10m, 2h or 1d, or a time such as 2026-11-22T03:00:00Z.');
}

function parseGrep(value: string | undefined): RegExp | undefined {
	if (value === undefined) {
		return undefined;
	}

	try {
		return new RegExp(value, 'u');
	} catch (error) {
		throw new UsageError(`--grep "${value}" is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}.`, 'Fix the pattern (JavaScript syntax), or quote it so the shell leaves it alone.');
	}
}

function validateGlobals(globals: GlobalOptions): void {
	const chosen = [globals.context !== undefined, globals.sandbox, globals.sandboxUrl !== undefined].filter(Boolean).length;
	if (chosen > 1) {
		throw new UsageError('Choose one of --context, --sandbox and --sandbox-url.', 'They each pick what to connect to; give only one.');
	}

	if (globals.context !== undefined && globals.context.trim() === '') {
		throw new UsageError('--context needs a context name.', 'Run `wheelhouse --context NAME`.');
	}

	if (globals.sandboxUrl !== undefined) {
		let url: URL;
		try {
			url = new URL(globals.sandboxUrl);
		} catch {
			throw new UsageError(`--sandbox-url "${globals.sandboxUrl}" is not a URL.`, 'Give the address `wheelhouse sandbox` printed, e.g. http://127.0.0.1:4780');
		}

		if (url.protocol !== 'http:' && url.protocol !== 'https:') {
			throw new UsageError(`--sandbox-url must be an http:// or https:// URL, not ${url.protocol}//.`, 'Give the address `wheelhouse sandbox` printed, e.g. http://127.0.0.1:4780');
		}
	}
}

function parsePort(value: string | undefined): number | undefined {
	if (value === undefined) {
		return undefined;
	}

	const port = Number(value);
	if (!/^\d+$/.test(value) || port > 65_535) {
		throw new UsageError(`--port "${value}" is not a port number.`, 'Give a number from 0 to 65535 (0 picks a free port).');
	}

	return port;
}

function usageFromParseError(error: unknown, command: string): UsageError {
	const code = (error as {code?: string}).code;
	const message = error instanceof Error ? error.message : String(error);
	const where = command === 'console' ? 'wheelhouse' : `wheelhouse ${command}`;
	if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
		const option = /'([^']+)'/.exec(message)?.[1] ?? 'option';
		return new UsageError(`Unknown option ${option} for ${where}.`, `See \`${where} --help\` for its options.`);
	}

	if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
		const option = /'(-[^']+)'/.exec(message)?.[1] ?? 'an option';
		return new UsageError(`${option} needs a value.`, `See \`${where} --help\`.`);
	}

	if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
		const argument = /'([^']+)'/.exec(message)?.[1] ?? '';
		return new UsageError(`Unexpected argument "${argument}" for ${where}.`, `See \`${where} --help\`.`);
	}

	return new UsageError(message, `See \`${where} --help\`.`);
}
