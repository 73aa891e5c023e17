// The built-in migration set and its migrator, against a real PostgreSQL, and next to real Django's
// output for the same commands.
import test from 'ava';
import pg from 'pg';
import {appliedBuiltinCount, builtinMigrationCount, builtinMigrationSet, builtinMigrationsAt} from '../../source/sandbox/database/builtin-migrations.js';
import {BuiltinMigrator} from '../../source/sandbox/database/builtin-migrator.js';
import {djangoApp, runManage} from '../helpers/django-app.js';
import {freshDatabase, stopSharedPostgres, type TestDatabase} from './job-helpers.js';

test.after.always(stopSharedPostgres);

async function connect(t: Parameters<typeof freshDatabase>[0], database: TestDatabase): Promise<pg.Client> {
	const client = new pg.Client(database.connection);
	await client.connect();
	t.teardown(async () => client.end());
	return client;
}

function recorder(): {out: string[]; err: string[]; output: {out(line: string): void; err(line: string): void}} {
	const out: string[] = [];
	const err: string[] = [];
	return {out, err, output: {out: line => out.push(line), err: line => err.push(line)}};
}

test('the set: the same every time, Django-style names numbered per app, dependencies first, about one in five irreversible', t => {
	const set = builtinMigrationSet();
	t.is(set.length, builtinMigrationCount);
	t.is(new Set(set.map(migration => migration.label)).size, set.length);
	t.deepEqual(set.slice(0, 3).map(migration => migration.label), ['accounts.0001_initial', 'notes.0001_initial', 'planner.0001_initial']);
	const seen = new Set<string>();
	const numbers: Record<string, number> = {};
	for (const migration of set) {
		t.regex(migration.name, /^\d{4}_[a-z\d_]+$/);
		t.is(migration.label, `${migration.app}.${migration.name}`);
		t.is(Number(migration.name.slice(0, 4)), (numbers[migration.app] ?? 0) + 1, `${migration.label} follows the app's previous number`);
		numbers[migration.app] = Number(migration.name.slice(0, 4));
		t.true(migration.dependencies.every(dependency => seen.has(dependency)), `${migration.label} comes after what it depends on`);
		seen.add(migration.label);
	}

	const irreversible = set.filter(migration => migration.reverse === undefined).length;
	t.true(irreversible > set.length / 7 && irreversible < set.length / 4, `${irreversible} irreversible`);
	t.deepEqual(builtinMigrationsAt(20), set.slice(0, 20));
	t.deepEqual(builtinMigrationsAt(10_000), set);
});

test('every migration applies in order on PostgreSQL, and every reverse runs', async t => {
	const database = await freshDatabase(t);
	const client = await connect(t, database);
	t.is(await appliedBuiltinCount(client), 0, 'no django_migrations table yet');
	await new BuiltinMigrator(client, builtinMigrationSet(), recorder().output).applyAll();
	t.is(await appliedBuiltinCount(client), builtinMigrationCount);
	for (const migration of builtinMigrationSet().toReversed()) {
		if (migration.reverse) {
			await client.query('BEGIN');
			for (const statement of migration.reverse) {
				await client.query(statement);
			}

			await client.query('ROLLBACK');
		}
	}

	await client.query('INSERT INTO django_migrations (app, name, applied) VALUES (\'sessions\', \'0001_initial\', now())');
	t.is(await appliedBuiltinCount(client), builtinMigrationCount, 'migrations outside the set do not count');
	t.pass('every reverse ran');
});

test('migrate app zero unapplies what depends on it in other apps too, newest first, as Django plans it', async t => {
	const database = await freshDatabase(t);
	const client = await connect(t, database);
	const first = recorder();
	t.is(await new BuiltinMigrator(client, builtinMigrationsAt(3), first.output).migrate({kind: 'all'}), 0);
	t.deepEqual(first.out, [
		'Operations to perform:',
		'  Apply all migrations: accounts, notes, planner',
		'Running migrations:',
		'  Applying accounts.0001_initial... OK',
		'  Applying notes.0001_initial... OK',
		'  Applying planner.0001_initial... OK',
	]);
	const zero = recorder();
	t.is(await new BuiltinMigrator(client, builtinMigrationsAt(3), zero.output).migrate({kind: 'migration', app: 'notes', migration: 'zero'}), 0);
	t.deepEqual(zero.out, [
		'Operations to perform:',
		'  Unapply all migrations: notes',
		'Running migrations:',
		'  Rendering model states... DONE',
		'  Unapplying planner.0001_initial... OK',
		'  Unapplying notes.0001_initial... OK',
	]);
	t.is(await appliedBuiltinCount(client), 1);
	t.deepEqual((await client.query('SELECT to_regclass(\'notes_note\') AS note, to_regclass(\'accounts_user\') AS user')).rows, [{note: null, user: 'accounts_user'}]);
	const unknown = recorder();
	t.is(await new BuiltinMigrator(client, builtinMigrationsAt(3), unknown.output).migrate({kind: 'app', app: 'billing'}), 1);
	t.deepEqual(unknown.err, ['CommandError: No installed app with label \'billing\'.']);
});

// The built-in migrator's lines have the shapes real Django 3.2 prints for the same commands.
test('its output has the shapes of real Django\'s (the fixture app run by python3 manage.py)', async t => {
	const real = await freshDatabase(t);
	const builtin = await freshDatabase(t);
	const client = await connect(t, builtin);
	const django = async (args: string[]) => {
		const result = await runManage(djangoApp.v2, args, real.connection);
		t.is(result.code, 0, result.stderr);
		return result.stdout.trimEnd().split('\n');
	};

	const ours = async (run: (migrator: BuiltinMigrator) => Promise<number>) => {
		const lines = recorder();
		t.is(await run(new BuiltinMigrator(client, builtinMigrationsAt(4), lines.output)), 0);
		return lines.out;
	};

	const shape = (lines: string[]) => lines.map(line => line
		.replace(/\b[a-z]+\.\d{4}_\w+/, '<label>')
		.replace(/^( {4})(?:Undo )?(?:Create model|Add field|Raw SQL operation|Raw Python operation).*/, '$1<operation>')
		.replace(/(Apply all migrations: ).*/, '$1<apps>')
		.replace(/^ \[( |X)\] \d{4}_\w+$/, ' [$1] <name>')
		.replace(/^[a-z]+$/, '<app>'));
	const realPlan = shape(await django(['migrate', '--plan']));
	const ourPlan = shape(await ours(async migrator => migrator.migrate({kind: 'all'}, {plan: true})));
	t.deepEqual(ourPlan.slice(0, 3), realPlan.slice(0, 3));
	t.deepEqual(new Set(ourPlan), new Set(realPlan));

	const realMigrate = shape(await django(['migrate', '--noinput']));
	const ourMigrate = shape(await ours(async migrator => migrator.migrate({kind: 'all'})));
	t.deepEqual(ourMigrate.slice(0, 4), realMigrate.slice(0, 4));
	t.deepEqual(new Set(ourMigrate), new Set(realMigrate));

	t.deepEqual(new Set(shape(await ours(async migrator => migrator.showMigrations('plan')))), new Set(shape(await django(['showmigrations', '--plan']))));
	t.deepEqual(new Set(shape(await ours(async migrator => migrator.showMigrations('list')))), new Set(shape(await django(['showmigrations', '--list']))));
	t.deepEqual(await django(['migrate', '--noinput']), ['Operations to perform:', '  Apply all migrations: notes', 'Running migrations:', '  No migrations to apply.']);
	t.deepEqual(await ours(async migrator => migrator.migrate({kind: 'all'})), ['Operations to perform:', '  Apply all migrations: accounts, notes, planner', 'Running migrations:', '  No migrations to apply.']);
});
