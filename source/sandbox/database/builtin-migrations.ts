// The sandbox's own Django-style migrations for the notechondria schema, across the apps accounts,
// notes and planner: the initial ones create the tables, later ones come from templates (add a column
// with a default, create an index, add a table, or a data fix with no way back, like a RunPython without
// reverse_code). The list is a pure function of nothing, so every sandbox, and every restart, has the
// same migrations under the same names. A build's `migrationLevel` is how many of them its code has.

export type BuiltinApp = 'accounts' | 'notes' | 'planner';

export const builtinApps: readonly BuiltinApp[] = ['accounts', 'notes', 'planner'];

export type BuiltinOperation = {
	/** Django's `describe()`, e.g. "Add field pinned to note". */
	description: string;
	/** For `migrate --plan`: RunSQL/RunPython show their code after " -> ", other operations show nothing. */
	kind: 'schema' | 'python';
	/** A RunPython's docstring. */
	doc?: string;
};

export type BuiltinMigration = {
	app: BuiltinApp;
	/** Django's migration name, e.g. "0007_note_archived_at". */
	name: string;
	/** "notes.0007_note_archived_at". */
	label: string;
	operations: BuiltinOperation[];
	/** Labels of the migrations this one depends on (the previous one of its app, and for initial ones the apps they point at). */
	dependencies: string[];
	/** SQL statements, run in order inside one transaction. */
	forward: string[];
	/** Undefined: irreversible, as Django's RunPython without reverse_code. */
	reverse?: string[];
};

/** How many migrations the set holds; a build asking for more gets all of them. */
export const builtinMigrationCount = 240;

type Column = {name: string; sql: string; default?: string};

type Model = {app: BuiltinApp; model: string; table: string; indexable: string[]; columns: Column[]};

const models: Record<BuiltinApp, Model> = {
	accounts: {
		app: 'accounts',
		model: 'user',
		table: 'accounts_user',
		indexable: ['date_joined', 'email', 'last_login'],
		columns: [
			{name: 'timezone', sql: 'varchar(64)', default: '\'UTC\''},
			{name: 'last_seen_at', sql: 'timestamp with time zone'},
			{name: 'locale', sql: 'varchar(10)', default: '\'en\''},
			{name: 'email_verified', sql: 'boolean', default: 'false'},
			{name: 'avatar_url', sql: 'varchar(200)', default: '\'\''},
			{name: 'theme', sql: 'varchar(10)', default: '\'light\''},
			{name: 'weekly_digest', sql: 'boolean', default: 'true'},
			{name: 'storage_quota_mb', sql: 'integer', default: '512'},
		],
	},
	notes: {
		app: 'notes',
		model: 'note',
		table: 'notes_note',
		indexable: ['created_at', 'updated_at', 'title'],
		columns: [
			{name: 'pinned', sql: 'boolean', default: 'false'},
			{name: 'archived_at', sql: 'timestamp with time zone'},
			{name: 'colour', sql: 'varchar(7)', default: '\'\''},
			{name: 'word_count', sql: 'integer', default: '0'},
			{name: 'is_public', sql: 'boolean', default: 'false'},
			{name: 'summary', sql: 'text', default: '\'\''},
			{name: 'due_at', sql: 'timestamp with time zone'},
			{name: 'course_code', sql: 'varchar(20)', default: '\'\''},
			{name: 'position', sql: 'integer', default: '0'},
			{name: 'language', sql: 'varchar(8)', default: '\'en\''},
		],
	},
	planner: {
		app: 'planner',
		model: 'event',
		table: 'planner_event',
		indexable: ['starts_at', 'ends_at', 'created_at'],
		columns: [
			{name: 'location', sql: 'varchar(200)', default: '\'\''},
			{name: 'all_day', sql: 'boolean', default: 'false'},
			{name: 'reminder_minutes', sql: 'integer', default: '15'},
			{name: 'recurrence', sql: 'varchar(100)', default: '\'\''},
			{name: 'colour', sql: 'varchar(7)', default: '\'\''},
			{name: 'cancelled_at', sql: 'timestamp with time zone'},
			{name: 'priority', sql: 'smallint', default: '0'},
		],
	},
};

/** Tables later migrations add: a model name and its columns besides id. */
const extraTables: Record<BuiltinApp, Array<{model: string; columns: string[]}>> = {
	accounts: [
		{model: 'apitoken', columns: ['"key" varchar(40) NOT NULL UNIQUE', '"created" timestamp with time zone NOT NULL', '"user_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED']},
		{model: 'loginattempt', columns: ['"username" varchar(150) NOT NULL', '"succeeded" boolean NOT NULL', '"at" timestamp with time zone NOT NULL']},
		{model: 'preference', columns: ['"name" varchar(64) NOT NULL', '"value" jsonb NOT NULL', '"user_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED']},
	],
	notes: [
		{model: 'attachment', columns: ['"file" varchar(100) NOT NULL', '"size" integer NOT NULL', '"note_id" bigint NOT NULL REFERENCES "notes_note" ("id") DEFERRABLE INITIALLY DEFERRED']},
		{model: 'notehistory', columns: ['"body" text NOT NULL', '"saved_at" timestamp with time zone NOT NULL', '"note_id" bigint NOT NULL REFERENCES "notes_note" ("id") DEFERRABLE INITIALLY DEFERRED']},
		{model: 'notelink', columns: ['"source_id" bigint NOT NULL REFERENCES "notes_note" ("id") DEFERRABLE INITIALLY DEFERRED', '"target_id" bigint NOT NULL REFERENCES "notes_note" ("id") DEFERRABLE INITIALLY DEFERRED']},
	],
	planner: [
		{model: 'reminder', columns: ['"remind_at" timestamp with time zone NOT NULL', '"sent" boolean NOT NULL', '"event_id" bigint NOT NULL REFERENCES "planner_event" ("id") DEFERRABLE INITIALLY DEFERRED']},
		{model: 'calendar', columns: ['"name" varchar(100) NOT NULL', '"colour" varchar(7) NOT NULL', '"owner_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED']},
		{model: 'studyblock', columns: ['"starts_at" timestamp with time zone NOT NULL', '"minutes" integer NOT NULL', '"note_id" bigint NULL REFERENCES "notes_note" ("id") DEFERRABLE INITIALLY DEFERRED']},
	],
};

/** Data fixes with no way back (a RunPython without reverse_code): a name, its docstring and its SQL. */
const dataFixes: Record<BuiltinApp, Array<{name: string; doc: string; sql: string}>> = {
	accounts: [
		{name: 'lowercase_user_emails', doc: 'Store every email address in lower case.', sql: 'UPDATE "accounts_user" SET "email" = lower("email") WHERE "email" <> lower("email")'},
		{name: 'deactivate_stale_users', doc: 'Deactivate accounts unused for two years.', sql: 'UPDATE "accounts_user" SET "is_active" = false WHERE "last_login" < now() - interval \'2 years\''},
	],
	notes: [
		{name: 'strip_note_titles', doc: 'Trim whitespace around note titles.', sql: 'UPDATE "notes_note" SET "title" = btrim("title") WHERE "title" <> btrim("title")'},
		{name: 'touch_note_updated_at', doc: 'Fill updated_at from created_at where it lags.', sql: 'UPDATE "notes_note" SET "updated_at" = "created_at" WHERE "updated_at" < "created_at"'},
	],
	planner: [
		{name: 'fix_event_end_times', doc: 'Make events end at least when they start.', sql: 'UPDATE "planner_event" SET "ends_at" = "starts_at" + interval \'1 hour\' WHERE "ends_at" < "starts_at"'},
		{name: 'trim_event_titles', doc: 'Trim whitespace around event titles.', sql: 'UPDATE "planner_event" SET "title" = btrim("title") WHERE "title" <> btrim("title")'},
	],
};

const initialMigrations: BuiltinMigration[] = [
	{
		app: 'accounts',
		name: '0001_initial',
		label: 'accounts.0001_initial',
		operations: [{description: 'Create model User', kind: 'schema'}],
		dependencies: [],
		forward: [
			'CREATE TABLE "accounts_user" ("id" bigserial NOT NULL PRIMARY KEY, "password" varchar(128) NOT NULL, "last_login" timestamp with time zone NULL, '
			+ '"username" varchar(150) NOT NULL UNIQUE, "email" varchar(254) NOT NULL, "is_active" boolean NOT NULL, "date_joined" timestamp with time zone NOT NULL)',
			'CREATE INDEX "accounts_user_username_6821ab7c_like" ON "accounts_user" ("username" varchar_pattern_ops)',
		],
		reverse: ['DROP TABLE "accounts_user" CASCADE'],
	},
	{
		app: 'notes',
		name: '0001_initial',
		label: 'notes.0001_initial',
		operations: [{description: 'Create model Tag', kind: 'schema'}, {description: 'Create model Note', kind: 'schema'}],
		dependencies: ['accounts.0001_initial'],
		forward: [
			'CREATE TABLE "notes_tag" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(50) NOT NULL, '
			+ '"owner_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED, CONSTRAINT "notes_tag_owner_id_name_uniq" UNIQUE ("owner_id", "name"))',
			'CREATE TABLE "notes_note" ("id" bigserial NOT NULL PRIMARY KEY, "title" varchar(200) NOT NULL, "body" text NOT NULL, '
			+ '"created_at" timestamp with time zone NOT NULL, "updated_at" timestamp with time zone NOT NULL, '
			+ '"owner_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED, '
			+ '"tag_id" bigint NULL REFERENCES "notes_tag" ("id") DEFERRABLE INITIALLY DEFERRED)',
			'CREATE INDEX "notes_note_owner_id_0d5c2b1e" ON "notes_note" ("owner_id")',
			'CREATE INDEX "notes_note_tag_id_7f1e9a3c" ON "notes_note" ("tag_id")',
		],
		reverse: ['DROP TABLE "notes_note" CASCADE', 'DROP TABLE "notes_tag" CASCADE'],
	},
	{
		app: 'planner',
		name: '0001_initial',
		label: 'planner.0001_initial',
		operations: [{description: 'Create model Event', kind: 'schema'}],
		dependencies: ['accounts.0001_initial', 'notes.0001_initial'],
		forward: [
			'CREATE TABLE "planner_event" ("id" bigserial NOT NULL PRIMARY KEY, "title" varchar(200) NOT NULL, '
			+ '"starts_at" timestamp with time zone NOT NULL, "ends_at" timestamp with time zone NOT NULL, "created_at" timestamp with time zone NOT NULL, '
			+ '"owner_id" bigint NOT NULL REFERENCES "accounts_user" ("id") DEFERRABLE INITIALLY DEFERRED, '
			+ '"note_id" bigint NULL REFERENCES "notes_note" ("id") DEFERRABLE INITIALLY DEFERRED)',
			'CREATE INDEX "planner_event_owner_id_3b8e6d21" ON "planner_event" ("owner_id")',
			'CREATE INDEX "planner_event_note_id_5a0c4f77" ON "planner_event" ("note_id")',
		],
		reverse: ['DROP TABLE "planner_event" CASCADE'],
	},
];

/** The order apps take turns in after the initial migrations: notes changes most, as in the real project. */
const appTurns: readonly BuiltinApp[] = ['notes', 'planner', 'notes', 'accounts', 'notes', 'planner', 'accounts'];

let cached: readonly BuiltinMigration[] | undefined;

/** The whole set, in the order `migrate` applies it (every migration after its dependencies). */
export function builtinMigrationSet(): readonly BuiltinMigration[] {
	cached ??= generate();
	return cached;
}

/** The migrations a build at `level` contains: the first `level` of the set. */
export function builtinMigrationsAt(level: number): readonly BuiltinMigration[] {
	return builtinMigrationSet().slice(0, Math.max(0, Math.min(builtinMigrationCount, Math.floor(level))));
}

function generate(): BuiltinMigration[] {
	const set = [...initialMigrations];
	const counters: Record<BuiltinApp, number> = {accounts: 1, notes: 1, planner: 1};
	const state: Record<BuiltinApp, {columns: number; tables: number; fixes: number; indexes: number; added: string[]}> = {
		accounts: {columns: 0, tables: 0, fixes: 0, indexes: 0, added: []},
		notes: {columns: 0, tables: 0, fixes: 0, indexes: 0, added: []},
		planner: {columns: 0, tables: 0, fixes: 0, indexes: 0, added: []},
	};
	const latest: Record<BuiltinApp, string> = {accounts: 'accounts.0001_initial', notes: 'notes.0001_initial', planner: 'planner.0001_initial'};
	for (let index = set.length; index < builtinMigrationCount; index++) {
		const app = appTurns[index % appTurns.length]!;
		counters[app] += 1;
		const number = String(counters[app]).padStart(4, '0');
		const made = templateFor(counters[app], app, state[app]);
		const name = `${number}_${made.name}`;
		const migration: BuiltinMigration = {app, name, label: `${app}.${name}`, operations: made.operations, dependencies: [latest[app]], forward: made.forward, ...(made.reverse ? {reverse: made.reverse} : {})};
		latest[app] = migration.label;
		set.push(migration);
	}

	return set;
}

type Made = Pick<BuiltinMigration, 'operations' | 'forward' | 'reverse'> & {name: string};

/** Within each app: every fifth migration is a data fix with no way back, every fifth an index or a table, the rest add a column. */
function templateFor(number: number, app: BuiltinApp, state: AppState): Made {
	switch (number % 5) {
		case 0: {
			return dataFix(app, state);
		}

		case 3: {
			return number % 10 === 3 ? addIndex(app, state) : addTable(app, state);
		}

		default: {
			return addColumn(app, state);
		}
	}
}

type AppState = {columns: number; tables: number; fixes: number; indexes: number; added: string[]};

/** A later round of a template reuses its names with a suffix, so names stay unique. */
function suffixed(name: string, round: number): string {
	return round === 0 ? name : `${name}_${round + 1}`;
}

function addColumn(app: BuiltinApp, state: AppState): Made {
	const model = models[app];
	const template = model.columns[state.columns % model.columns.length]!;
	const column = suffixed(template.name, Math.floor(state.columns / model.columns.length));
	state.columns += 1;
	state.added.push(column);
	// Django adds a column with a default by setting the default, then dropping it: existing rows get the value, the schema keeps none.
	const forward = template.default === undefined
		? [`ALTER TABLE "${model.table}" ADD COLUMN "${column}" ${template.sql} NULL`]
		: [
			`ALTER TABLE "${model.table}" ADD COLUMN "${column}" ${template.sql} DEFAULT ${template.default} NOT NULL`,
			`ALTER TABLE "${model.table}" ALTER COLUMN "${column}" DROP DEFAULT`,
		];
	return {
		name: `${model.model}_${column}`,
		operations: [{description: `Add field ${column} to ${model.model}`, kind: 'schema'}],
		forward,
		reverse: [`ALTER TABLE "${model.table}" DROP COLUMN "${column}" CASCADE`],
	};
}

function addIndex(app: BuiltinApp, state: AppState): Made {
	const model = models[app];
	const candidates = [...model.indexable, ...state.added];
	const column = candidates[state.indexes % candidates.length]!;
	const round = Math.floor(state.indexes / candidates.length);
	state.indexes += 1;
	const index = suffixed(`${model.table}_${column}`, round).slice(0, 59) + '_idx';
	return {
		name: suffixed(`${model.model}_${column}_idx`, round),
		operations: [{description: `Create index ${index} on field(s) ${column} of model ${model.model}`, kind: 'schema'}],
		forward: [`CREATE INDEX "${index}" ON "${model.table}" ("${column}")`],
		reverse: [`DROP INDEX IF EXISTS "${index}"`],
	};
}

function addTable(app: BuiltinApp, state: AppState): Made {
	const templates = extraTables[app];
	const template = templates[state.tables % templates.length]!;
	const modelName = suffixed(template.model, Math.floor(state.tables / templates.length));
	state.tables += 1;
	const table = `${app}_${modelName}`;
	return {
		name: modelName,
		operations: [{description: `Create model ${capitalise(modelName)}`, kind: 'schema'}],
		forward: [`CREATE TABLE "${table}" ("id" bigserial NOT NULL PRIMARY KEY, ${template.columns.join(', ')})`],
		reverse: [`DROP TABLE "${table}" CASCADE`],
	};
}

function dataFix(app: BuiltinApp, state: AppState): Made {
	const fixes = dataFixes[app];
	const fix = fixes[state.fixes % fixes.length]!;
	const name = suffixed(fix.name, Math.floor(state.fixes / fixes.length));
	state.fixes += 1;
	return {name, operations: [{description: 'Raw Python operation', kind: 'python', doc: fix.doc}], forward: [fix.sql]};
}

function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Something that runs a query, like a pg Client or Pool. */
export type Queryable = {query(text: string, values?: unknown[]): Promise<{rows: unknown[]}>};

/**
 * How many migrations of the set are recorded as applied in django_migrations (0 when the table does
 * not exist yet). A build at level L is healthy when the first L are applied.
 */
export async function appliedBuiltinCount(client: Queryable): Promise<number> {
	const exists = await client.query('SELECT to_regclass(\'django_migrations\') IS NOT NULL AS "exists"');
	if ((exists.rows[0] as {exists: boolean} | undefined)?.exists !== true) {
		return 0;
	}

	const labels = new Set(builtinMigrationSet().map(migration => migration.label));
	const {rows} = await client.query('SELECT app, name FROM django_migrations');
	return (rows as Array<{app: string; name: string}>).filter(row => labels.has(`${row.app}.${row.name}`)).length;
}
