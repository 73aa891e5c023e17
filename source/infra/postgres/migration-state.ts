// Migration state as the database records it and as Django and Alembic print their plans
// (release-safety §2.6). Names are "app.0042_name" for Django and revision ids for Alembic.
import type pg from 'pg';
import {toPlainText} from '../sanitize.js';
import {PostgresError} from './postgres-error.js';

export type MigrationTool = 'django' | 'alembic' | 'none';

export type MigrationState = {tool: MigrationTool; applied: string[]};

/**
 * Reads django_migrations (ordered by id, as applied) or alembic_version from the tables the
 * session's search_path finds; `none` when neither exists.
 */
export async function readMigrationState(client: pg.Client): Promise<MigrationState> {
	const {rows: [tables]} = await client.query<{django: string | null; alembic: string | null}>(
		`SELECT to_regclass('django_migrations')::text AS django, to_regclass('alembic_version')::text AS alembic`,
	);
	if (tables?.django) {
		const {rows} = await client.query<{app: string; name: string}>('SELECT app, name FROM django_migrations ORDER BY id');
		return {tool: 'django', applied: rows.map(row => `${row.app}.${row.name}`)};
	}

	if (tables?.alembic) {
		const {rows} = await client.query<{version_num: string}>('SELECT version_num FROM alembic_version ORDER BY version_num');
		return {tool: 'alembic', applied: rows.map(row => row.version_num)};
	}

	return {tool: 'none', applied: []};
}

export type PlannedMigration = {name: string; applied: boolean};

/** `manage.py showmigrations --plan` (any verbosity): `[X]  app.0001_initial`, `[ ]  app.0002_x ... (deps)`. */
export function parseShowmigrationsPlan(text: string): PlannedMigration[] {
	const plan: PlannedMigration[] = [];
	for (const line of plainLines(text)) {
		const match = /^\[([ Xx-])\]\s+([\w-]+\.[\w-]+)/.exec(line);
		if (match) {
			// `[-]` marks a squashed migration only partly applied: still pending.
			plan.push({name: match[2]!, applied: match[1]!.toUpperCase() === 'X'});
		}
	}

	return plan;
}

export type MigrateOperation = {
	name: string;
	/** `backwards` unapplies the migration (`migrate app 0041`). */
	direction: 'forwards' | 'backwards';
	/** Operation descriptions as printed ("Add field body to note", "Raw SQL operation -> …"). */
	operations: string[];
	/** Some operation has no reverse: unapplying it fails. */
	irreversible: boolean;
};

/**
 * `manage.py migrate --plan` output. Django prints backwards steps with the same migration line and
 * operations prefixed "Undo " (or "-> IRREVERSIBLE"); a RunSQL/RunPython with reverse code carries no
 * marker, so pass the applied migrations to make the direction exact (an applied migration can only
 * be unapplied). Throws when the text holds no plan at all (the command failed).
 */
export function parseMigratePlan(text: string, options: {applied?: readonly string[]} = {}): MigrateOperation[] {
	const lines = plainLines(text);
	const start = lines.findIndex(line => line.trim() === 'Planned operations:');
	if (start === -1) {
		throw new PostgresError('failed', `migrate --plan printed no plan: ${lines.find(line => line.trim())?.trim().slice(0, 200) ?? 'no output'}`, {
			hint: 'Run `python manage.py migrate --plan` in the new image and read its error.',
		});
	}

	const applied = options.applied ? new Set(options.applied) : undefined;
	const plan: MigrateOperation[] = [];
	for (const line of lines.slice(start + 1)) {
		if (line.trim() === '' || line.trim() === 'No planned migration operations.') {
			continue;
		}

		if (/^\s/.test(line)) {
			const operation = line.trim();
			const current = plan.at(-1);
			if (current) {
				current.operations.push(operation);
				current.irreversible ||= operation.endsWith('-> IRREVERSIBLE');
			}

			continue;
		}

		const name = line.trim().replace(/^Undo\s+/, '');
		if (!/^[\w-]+\.[\w-]+$/.test(name)) {
			break;
		}

		plan.push({name, direction: line.trim().startsWith('Undo ') ? 'backwards' : 'forwards', operations: [], irreversible: false});
	}

	for (const step of plan) {
		if (applied) {
			step.direction = applied.has(step.name) ? 'backwards' : 'forwards';
		} else if (step.operations.some(operation => operation.startsWith('Undo ') || operation.endsWith('-> IRREVERSIBLE'))) {
			step.direction = 'backwards';
		}
	}

	return plan;
}

export type AlembicState = {
	/** Revisions the database is at (`alembic current`). */
	current: string[];
	/** Revisions the scripts end at (`alembic heads`). More than one: unmerged branches. */
	heads: string[];
	/** The database is not at every head. */
	pending: boolean;
	multipleHeads: boolean;
};

/** `alembic current` and `alembic heads` output, terse (`ae1027a6acf (head)`) or verbose (`Rev: ae10… (head)`). */
export function parseAlembic(current: string, heads: string): AlembicState {
	const currentRevisions = alembicRevisions(current);
	const headRevisions = alembicRevisions(heads);
	return {
		current: currentRevisions,
		heads: headRevisions,
		pending: headRevisions.some(head => !currentRevisions.includes(head)),
		multipleHeads: headRevisions.length > 1,
	};
}

function alembicRevisions(text: string): string[] {
	const revisions: string[] = [];
	for (const line of plainLines(text)) {
		const match = /^(?:Rev: )?(\w+)((?: \([^)]*\))*)\s*$/.exec(line);
		if (match && !/^(INFO|WARNING|ERROR|DEBUG)$/.test(match[1]!) && !revisions.includes(match[1]!)) {
			revisions.push(match[1]!);
		}
	}

	return revisions;
}

/** The plan's migrations not yet applied, in plan order. */
export function pendingMigrations(applied: readonly string[], plan: ReadonlyArray<string | {name: string}>): string[] {
	const done = new Set(applied);
	return plan.map(entry => typeof entry === 'string' ? entry : entry.name).filter(name => !done.has(name));
}

/** What a migration run changed: migrations recorded after but not before, and the reverse. */
export function diffMigrationStates(before: readonly string[], after: readonly string[]): {added: string[]; removed: string[]} {
	const beforeSet = new Set(before);
	const afterSet = new Set(after);
	return {added: after.filter(name => !beforeSet.has(name)), removed: before.filter(name => !afterSet.has(name))};
}

function plainLines(text: string): string[] {
	return text.split(/\r?\n/).map(line => toPlainText(line).trimEnd());
}
