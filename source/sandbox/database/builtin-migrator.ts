// The sandbox's in-process stand-in for `python manage.py migrate` and `showmigrations`, over the
// built-in migration set (builtin-migrations.ts) and a real PostgreSQL: it plans the way Django 3.2
// plans, prints what Django prints, runs each migration in its own transaction together with its row
// in django_migrations, and fails the way Django fails (a traceback naming the PostgreSQL error).
import type {ClientBase} from 'pg';
import {databaseErrorTraceback, irreversibleTraceback, type DatabaseErrorLike} from '../jobs/django-traceback.js';
import type {BuiltinMigration} from './builtin-migrations.js';

/**
 * The advisory lock a migrator holds while it migrates (`pg_try_advisory_lock(1846522301)`, polled
 * until a deadline), so two migrate runs never overlap. Deliberately not the console's release lock,
 * which the console holds around the whole release, job run included.
 */
export const builtinMigrationLockKey = 1_846_522_301;

export type MigratorOutput = {out(line: string): void; err(line: string): void};

/** What `migrate` was asked for: everything, one app's leaf, one app down (or up) to a migration, or `zero`. */
export type MigrateTarget = {kind: 'all'} | {kind: 'app'; app: string} | {kind: 'migration'; app: string; migration: string};

export type MigrateOptions = {
	/** `--plan`: print the planned operations and change nothing. */
	plan?: boolean;
	/** Make the first migration of the plan fail inside its transaction (the sandbox's fail-next). */
	failFirst?: boolean;
	/** Stops waiting for the advisory lock; an abort also cancels the statement from outside. */
	signal?: AbortSignal;
	/** How long to keep trying the advisory lock (default 30 s). */
	lockWaitMs?: number;
};

/** A `CommandError`, printed as Django prints it (`CommandError: ...`, exit status 1). */
class CommandError extends Error {}

/** The migrator stopped because the run was aborted; the runner reports it. */
export class MigrationAborted extends Error {
	constructor() {
		super('aborted');
	}
}

type Step = {migration: BuiltinMigration; backwards: boolean};

const forcedFailure = 'DO $$ BEGIN RAISE EXCEPTION \'sandbox: forced migration failure\' USING ERRCODE = \'P0001\'; END $$';
const lockPollMs = 250;

export class BuiltinMigrator {
	private readonly byLabel: Map<string, BuiltinMigration>;

	/** `migrations`: the build's code, i.e. the first `migrationLevel` of the set, in plan order. */
	constructor(
		private readonly client: ClientBase,
		private readonly migrations: readonly BuiltinMigration[],
		private readonly output: MigratorOutput,
	) {
		this.byLabel = new Map(migrations.map(migration => [migration.label, migration]));
	}

	/** `manage.py migrate [app_label] [migration_name] [--plan]`; resolves to the exit status. */
	async migrate(target: MigrateTarget, options: MigrateOptions = {}): Promise<number> {
		try {
			return await this.migrateOrThrow(target, options);
		} catch (error) {
			if (error instanceof CommandError) {
				this.output.err(`CommandError: ${error.message}`);
				return 1;
			}

			throw error;
		}
	}

	/** `manage.py showmigrations --plan` or `--list [app_label ...]`. */
	async showMigrations(format: 'plan' | 'list', apps: string[] = []): Promise<number> {
		const unknown = apps.find(app => !this.apps().includes(app));
		if (unknown !== undefined) {
			this.output.err(`CommandError: No installed app with label '${unknown}'.`);
			return 1;
		}

		const applied = await this.applied();
		const shown = (migration: BuiltinMigration) => apps.length === 0 || apps.includes(migration.app);
		if (format === 'plan') {
			const plan = apps.length === 0 ? [...this.migrations] : this.forwardsPlan(this.migrations.filter(migration => shown(migration)));
			for (const migration of plan) {
				this.output.out(`${applied.has(migration.label) ? '[X]' : '[ ]'}  ${migration.label}`);
			}

			if (plan.length === 0) {
				this.output.out('(no migrations)');
			}

			return 0;
		}

		for (const app of apps.length === 0 ? this.apps() : apps) {
			this.output.out(app);
			const ofApp = this.migrations.filter(migration => migration.app === app);
			for (const migration of ofApp) {
				this.output.out(` ${applied.has(migration.label) ? '[X]' : '[ ]'} ${migration.name}`);
			}

			if (ofApp.length === 0) {
				this.output.out(' (no migrations)');
			}
		}

		return 0;
	}

	/** Applies forwards up to the last migration the build has, quietly (the sandbox's seed). */
	async applyAll(): Promise<void> {
		await this.ensureRecorder();
		const applied = await this.applied();
		for (const migration of this.migrations) {
			if (!applied.has(migration.label)) {
				await this.run({migration, backwards: false}, false);
			}
		}
	}

	/** App labels the build's code has, sorted as Django sorts them. */
	apps(): string[] {
		return [...new Set(this.migrations.map(migration => migration.app))].toSorted();
	}

	private async migrateOrThrow(target: MigrateTarget, options: MigrateOptions): Promise<number> {
		if (target.kind !== 'all' && !this.apps().includes(target.app)) {
			throw new CommandError(`No installed app with label '${target.app}'.`);
		}

		const applied = await this.applied();
		const plan = this.planFor(target, applied);
		const {out} = this.output;
		if (options.plan) {
			out('Planned operations:');
			if (plan.length === 0) {
				out('  No planned migration operations.');
			}

			for (const step of plan) {
				out(step.migration.label);
				for (const operation of step.migration.operations) {
					out(`    ${describeOperation(step, operation)}`);
				}
			}

			return 0;
		}

		out('Operations to perform:');
		if (target.kind === 'all' || target.kind === 'app') {
			const apps = target.kind === 'all' ? this.apps() : [target.app];
			out(`  Apply all migrations: ${apps.join(', ') || '(none)'}`);
		} else if (target.migration === 'zero') {
			out(`  Unapply all migrations: ${target.app}`);
		} else {
			out(`  Target specific migration: ${this.resolve(target.app, target.migration).name}, from ${target.app}`);
		}

		const locked = await this.takeLock(options);
		if (!locked) {
			return 1;
		}

		try {
			await this.ensureRecorder();
			out('Running migrations:');
			if (plan.length === 0) {
				out('  No migrations to apply.');
				if (options.failFirst) {
					this.output.err('sandbox: forced failure (fail-next job-run): there was no migration to fail, so the run fails');
					return 1;
				}

				return 0;
			}

			if (plan[0]!.backwards) {
				out('  Rendering model states... DONE');
			}

			for (const [index, step] of plan.entries()) {
				if (options.signal?.aborted) {
					throw new MigrationAborted();
				}

				const ok = await this.step(step, options.failFirst === true && index === 0, options.signal);
				if (!ok) {
					return 1;
				}
			}

			return 0;
		} finally {
			await this.client.query('SELECT pg_advisory_unlock($1)', [builtinMigrationLockKey]).catch(() => undefined);
		}
	}

	/** One migration, as Django reports it; false when it failed (the traceback is printed). */
	private async step(step: Step, fail: boolean, signal: AbortSignal | undefined): Promise<boolean> {
		const {migration, backwards} = step;
		const doing = `  ${backwards ? 'Unapplying' : 'Applying'} ${migration.label}...`;
		if (backwards && migration.reverse === undefined) {
			this.output.out(doing);
			for (const line of irreversibleTraceback(migration.label, migration.name.replace(/^\d+_/, ''))) {
				this.output.err(line);
			}

			return false;
		}

		try {
			await this.run(step, fail);
		} catch (error) {
			if (signal?.aborted) {
				throw new MigrationAborted();
			}

			this.output.out(doing);
			for (const line of databaseErrorTraceback(error as DatabaseErrorLike, backwards ? 'unapply' : 'apply')) {
				this.output.err(line);
			}

			return false;
		}

		this.output.out(`${doing} OK`);
		return true;
	}

	/** Runs a migration's SQL and records it, in one transaction: all of it happens, or none. */
	private async run({migration, backwards}: Step, fail: boolean): Promise<void> {
		const statements = backwards ? migration.reverse ?? [] : migration.forward;
		await this.client.query('BEGIN');
		try {
			for (const statement of statements) {
				await this.client.query(statement);
			}

			if (fail) {
				await this.client.query(forcedFailure);
			}

			await (backwards
				? this.client.query('DELETE FROM "django_migrations" WHERE "app" = $1 AND "name" = $2', [migration.app, migration.name])
				: this.client.query('INSERT INTO "django_migrations" ("app", "name", "applied") VALUES ($1, $2, now())', [migration.app, migration.name]));
			await this.client.query('COMMIT');
		} catch (error) {
			await this.client.query('ROLLBACK').catch(() => undefined);
			throw error;
		}
	}

	private async takeLock(options: MigrateOptions): Promise<boolean> {
		const deadline = Date.now() + (options.lockWaitMs ?? 30_000);
		for (;;) {
			const {rows} = await this.client.query<{locked: boolean}>('SELECT pg_try_advisory_lock($1) AS locked', [builtinMigrationLockKey]);
			if (rows[0]?.locked) {
				return true;
			}

			if (options.signal?.aborted) {
				throw new MigrationAborted();
			}

			if (Date.now() >= deadline) {
				const holders = await this.client.query<{pid: number; application_name: string}>(
					`SELECT a.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
					 WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1
					   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
					[builtinMigrationLockKey],
				);
				const holder = holders.rows.map(row => `pid ${row.pid}${row.application_name ? ` (${row.application_name})` : ''}`).join(', ') || 'another session';
				this.output.err(`sandbox: another migration is running: advisory lock ${builtinMigrationLockKey} is held by ${holder}; gave up after ${(options.lockWaitMs ?? 30_000) / 1000} s`);
				return false;
			}

			await new Promise(resolve => setTimeout(resolve, lockPollMs));
		}
	}

	private async ensureRecorder(): Promise<void> {
		await this.client.query('CREATE TABLE IF NOT EXISTS "django_migrations" ("id" bigserial NOT NULL PRIMARY KEY, "app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "applied" timestamp with time zone NOT NULL)');
	}

	/** Labels recorded in django_migrations (Django reads none when the table does not exist yet). */
	private async applied(): Promise<Set<string>> {
		const exists = await this.client.query<{exists: boolean}>('SELECT to_regclass(\'django_migrations\') IS NOT NULL AS "exists"');
		if (!exists.rows[0]?.exists) {
			return new Set();
		}

		const {rows} = await this.client.query<{app: string; name: string}>('SELECT "app", "name" FROM "django_migrations"');
		return new Set(rows.map(row => `${row.app}.${row.name}`));
	}

	/** Django's MigrationExecutor.migration_plan for one target. */
	private planFor(target: MigrateTarget, applied: Set<string>): Step[] {
		const forwards = (migrations: BuiltinMigration[]) => this.forwardsPlan(migrations)
			.filter(migration => !applied.has(migration.label))
			.map(migration => ({migration, backwards: false}));
		if (target.kind === 'all') {
			return forwards([...this.migrations]);
		}

		const ofApp = this.migrations.filter(migration => migration.app === target.app);
		if (target.kind === 'app') {
			return forwards(ofApp.slice(-1));
		}

		if (target.migration === 'zero') {
			return ofApp.length === 0 ? [] : this.backwardsPlan(ofApp[0]!, applied);
		}

		const wanted = this.resolve(target.app, target.migration);
		if (!applied.has(wanted.label)) {
			return forwards([wanted]);
		}

		// As Django: roll back through the target's next migration in the same app, and no further.
		const next = ofApp[ofApp.indexOf(wanted) + 1];
		return next ? this.backwardsPlan(next, applied) : [];
	}

	/** The migrations needed to reach `targets`, dependencies first, in the set's order. */
	private forwardsPlan(targets: BuiltinMigration[]): BuiltinMigration[] {
		const needed = new Set<string>();
		const visit = (label: string) => {
			if (needed.has(label) || !this.byLabel.has(label)) {
				return;
			}

			needed.add(label);
			for (const dependency of this.byLabel.get(label)!.dependencies) {
				visit(dependency);
			}
		};

		for (const target of targets) {
			visit(target.label);
		}

		return this.migrations.filter(migration => needed.has(migration.label));
	}

	/** `node` and everything that depends on it (in any app), newest first, that is applied. */
	private backwardsPlan(node: BuiltinMigration, applied: Set<string>): Step[] {
		const descendants = new Set([node.label]);
		for (const migration of this.migrations) {
			if (migration.dependencies.some(dependency => descendants.has(dependency))) {
				descendants.add(migration.label);
			}
		}

		return this.migrations
			.filter(migration => descendants.has(migration.label) && applied.has(migration.label))
			.toReversed()
			.map(migration => ({migration, backwards: true}));
	}

	/** Django's get_migration_by_prefix. */
	private resolve(app: string, prefix: string): BuiltinMigration {
		const matches = this.migrations.filter(migration => migration.app === app && migration.name.startsWith(prefix));
		if (matches.length > 1) {
			throw new CommandError(`More than one migration matches '${prefix}' in app '${app}'. Please be more specific.`);
		}

		if (matches.length === 0) {
			throw new CommandError(`Cannot find a migration matching '${prefix}' from app '${app}'.`);
		}

		return matches[0]!;
	}
}

/** Django's `migrate --plan` line for an operation (describe_operation, cut to 40 characters after the name). */
function describeOperation(step: Step, operation: BuiltinMigration['operations'][number]): string {
	if (operation.kind === 'python') {
		const code = step.backwards ? undefined : operation.doc ?? '';
		if (code === undefined) {
			return `${operation.description} -> IRREVERSIBLE`;
		}

		return operation.description + truncate(code === '' ? '' : ` -> ${code}`, 40);
	}

	return (step.backwards ? 'Undo ' : '') + operation.description;
}

function truncate(text: string, length: number): string {
	return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
