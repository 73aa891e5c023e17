// A job run's command in built-in mode (no app directory for the build): the sandbox understands the
// Django management commands a migration job runs and carries them out with its built-in migrator
// against the addon database; any other command is "not found", as in an image without it.
import {sessionSettings} from '../database/pg-session.js';
import type pg from 'pg';
import type {DatabaseConnection} from '../../core/database.js';
import {builtinMigrationsAt} from '../database/builtin-migrations.js';
import {BuiltinMigrator, MigrationAborted, type MigrateTarget, type MigratorOutput} from '../database/builtin-migrator.js';
import type {SandboxDatabase} from '../database/sandbox-database.js';

export type ParsedCommand =
	| {kind: 'migrate'; target: MigrateTarget; plan: boolean}
	| {kind: 'showmigrations'; format: 'plan' | 'list'; apps: string[]}
	| {kind: 'usage'; lines: string[]}
	| {kind: 'not-found'};

const migrateUsage = 'usage: manage.py migrate [-h] [--noinput] [--database DATABASE] [--plan] [-v {0,1,2,3}] [app_label] [migration_name]';
const showUsage = 'usage: manage.py showmigrations [-h] [--database DATABASE] [--list | --plan] [-v {0,1,2,3}] [app_label ...]';

/** `[python|python3] manage.py migrate|showmigrations ...`; quoting and shell syntax are not understood. */
export function parseBuiltinCommand(command: string): ParsedCommand {
	const words = command.trim().split(/\s+/);
	let index = /^(?:\S*\/)?python(?:3(?:\.\d+)?)?$/.test(words[0] ?? '') ? 1 : 0;
	if (!/^(?:\.\/)?manage\.py$/.test(words[index] ?? '')) {
		return {kind: 'not-found'};
	}

	index += 1;
	const subcommand = words[index];
	const rest = words.slice(index + 1);
	if (subcommand === 'migrate') {
		return parseMigrate(rest);
	}

	if (subcommand === 'showmigrations') {
		return parseShowMigrations(rest);
	}

	return {kind: 'not-found'};
}

function parseMigrate(words: string[]): ParsedCommand {
	const positional: string[] = [];
	let plan = false;
	for (let index = 0; index < words.length; index++) {
		const word = words[index]!;
		if (word === '--noinput' || word === '--no-input') {
			continue;
		}

		if (word === '--plan') {
			plan = true;
		} else if (word === '--database' || word === '-v' || word === '--verbosity') {
			index += 1;
		} else if (/^--(?:database|verbosity)=/.test(word) || /^-v\d$/.test(word)) {
			continue;
		} else if (word.startsWith('-')) {
			return {kind: 'usage', lines: [migrateUsage, `manage.py migrate: error: unrecognized arguments: ${word}`]};
		} else {
			positional.push(word);
		}
	}

	if (positional.length > 2) {
		return {kind: 'usage', lines: [migrateUsage, `manage.py migrate: error: unrecognized arguments: ${positional.slice(2).join(' ')}`]};
	}

	const [app, migration] = positional;
	const target: MigrateTarget = app === undefined ? {kind: 'all'} : (migration === undefined ? {kind: 'app', app} : {kind: 'migration', app, migration});
	return {kind: 'migrate', target, plan};
}

function parseShowMigrations(words: string[]): ParsedCommand {
	const apps: string[] = [];
	let format: 'plan' | 'list' | undefined;
	for (let index = 0; index < words.length; index++) {
		const word = words[index]!;
		const chosen = word === '--plan' || word === '-p' ? 'plan' : (word === '--list' || word === '-l' ? 'list' : undefined);
		if (chosen) {
			if (format !== undefined && format !== chosen) {
				return {kind: 'usage', lines: [showUsage, `manage.py showmigrations: error: argument --${chosen}/-${chosen[0]!}: not allowed with argument --${format}/-${format[0]!}`]};
			}

			format = chosen;
		} else if (word === '--database' || word === '-v' || word === '--verbosity') {
			index += 1;
		} else if (/^--(?:database|verbosity)=/.test(word) || /^-v\d$/.test(word)) {
			continue;
		} else if (word.startsWith('-')) {
			return {kind: 'usage', lines: [showUsage, `manage.py showmigrations: error: unrecognized arguments: ${word}`]};
		} else {
			apps.push(word);
		}
	}

	return {kind: 'showmigrations', format: format ?? 'list', apps};
}

export type BuiltinRun = {
	command: string;
	/** How many of the built-in migrations the build's code has. */
	level: number;
	database: SandboxDatabase | undefined;
	/** The run's environment; only PGOPTIONS matters here (node-pg does not read it, so it goes in as `options`). */
	environment: Record<string, string>;
	/** The sandbox's fail-next: the first migration this run applies or unapplies fails inside its transaction. */
	failing: boolean;
	output: MigratorOutput;
	signal: AbortSignal;
	/** What pg_stat_activity shows for the migrator's session. */
	applicationName: string;
	lockWaitMs?: number;
};

/** The exit status of a run ended by an abort: 128 + SIGTERM, as a container's. */
export const abortedExitCode = 143;

/** Runs the command; resolves to its exit status (127: not a command the sandbox knows). */
export async function runBuiltinCommand(run: BuiltinRun): Promise<number> {
	const parsed = parseBuiltinCommand(run.command);
	if (parsed.kind === 'not-found') {
		run.output.err(`sandbox: ${run.command}: command not found`);
		return 127;
	}

	if (parsed.kind === 'usage') {
		for (const line of parsed.lines) {
			run.output.err(line);
		}

		return 2;
	}

	if (!run.database) {
		run.output.err('sandbox: this sandbox has no database (its addon is simulated), so manage.py has nothing to migrate');
		return 1;
	}

	const connection = await databaseConnection(run.database, run.output);
	if (!connection) {
		return 1;
	}

	const {default: {Client}} = await import('pg');
	const settings = sessionSettings(connection, {applicationName: run.applicationName});
	const client = new Client({...settings, ...(run.environment.PGOPTIONS ? {options: run.environment.PGOPTIONS} : {})});
	client.on('error', () => undefined);
	try {
		await client.connect();
	} catch (error) {
		run.output.err(`django.db.utils.OperationalError: ${(error as Error).message}`);
		return 1;
	}

	const backendPid = (await client.query<{pid: number}>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
	const cancel = async () => {
		// A session waiting for a lock never notices its client leaving: cancel its statement from outside.
		const canceller = new Client(settings);
		canceller.on('error', () => undefined);
		try {
			await canceller.connect();
			await canceller.query('SELECT pg_cancel_backend($1)', [backendPid]);
		} catch {
			// The session is gone already.
		} finally {
			await canceller.end().catch(() => undefined);
		}
	};

	const onAbort = () => {
		void cancel();
	};

	run.signal.addEventListener('abort', onAbort, {once: true});
	try {
		const migrator = new BuiltinMigrator(client as pg.ClientBase, builtinMigrationsAt(run.level), run.output);
		// Only a migration can fail inside its transaction; a command that migrates nothing fails at once.
		if (run.failing && (parsed.kind === 'showmigrations' || parsed.plan)) {
			run.output.err('sandbox: forced failure (fail-next job-run): the command fails before it runs');
			return 1;
		}

		if (parsed.kind === 'showmigrations') {
			return await migrator.showMigrations(parsed.format, parsed.apps);
		}

		return await migrator.migrate(parsed.target, {plan: parsed.plan, failFirst: run.failing, signal: run.signal, lockWaitMs: run.lockWaitMs});
	} catch (error) {
		if (error instanceof MigrationAborted || run.signal.aborted) {
			return abortedExitCode;
		}

		run.output.err(`django.db.utils.OperationalError: ${(error as Error).message}`);
		return 1;
	} finally {
		run.signal.removeEventListener('abort', onAbort);
		await client.end().catch(() => undefined);
	}
}

async function databaseConnection(database: SandboxDatabase, output: MigratorOutput): Promise<DatabaseConnection | undefined> {
	try {
		await database.ready();
		return await database.connection();
	} catch (error) {
		const hint = (error as {hint?: string}).hint;
		output.err(`sandbox: the addon database is not available: ${(error as Error).message}${hint ? ` ${hint}` : ''}`);
		return undefined;
	}
}
