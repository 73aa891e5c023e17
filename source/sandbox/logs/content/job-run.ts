// What a job run writes: `python manage.py migrate` applying the migration its build brings, or
// failing on it; any other command just runs.
import {err, out, type ScriptLine} from './format.js';

const apps = 'admin, auth, contenttypes, courses, notes, planner, sessions, sync';

/** "Planner: index notes by course and due date (migration 0041)" → "planner.0041_index_notes_by_course_and_due_date". */
export function migrationName(commitMessage: string): string | undefined {
	const number = /\(migration (\d{4})\)/.exec(commitMessage)?.[1];
	if (number === undefined) {
		return undefined;
	}

	const subject = commitMessage.replace(/\s*\(migration \d{4}\)\s*/, '');
	const prefix = /^(\w+):\s*(.*)$/.exec(subject);
	const app = prefix ? prefix[1]!.toLowerCase() : 'notes';
	const words = (prefix ? prefix[2]! : subject).toLowerCase().replaceAll(/[^a-z\d]+/g, '_').replaceAll(/^_+|_+$/g, '');
	return `${app}.${number}_${words}`;
}

export function jobRunScript(options: {command: string; commitMessage: string; fails: boolean}): ScriptLine[] {
	if (!options.command.includes('migrate')) {
		return [
			out(`Running: ${options.command}`),
			...(options.fails ? [err('Command exited with code 1')] : [out('Done.')]),
		];
	}

	const migration = migrationName(options.commitMessage);
	const start = [
		out('Operations to perform:'),
		out(`  Apply all migrations: ${apps}`),
		out('Running migrations:'),
	];
	if (!options.fails) {
		return [...start, out(migration === undefined ? '  No migrations to apply.' : `  Applying ${migration}... OK`)];
	}

	const failing = migration ?? 'notes.0043_note_updated_at_index';
	return [
		...start,
		out(`  Applying ${failing}...`),
		err('Traceback (most recent call last):'),
		err('  File "/usr/local/lib/python3.12/site-packages/django/db/backends/utils.py", line 105, in _execute'),
		err('    return self.cursor.execute(sql, params)'),
		err('psycopg.errors.DuplicateColumn: column "updated_at" of relation "notes_note" already exists'),
		err(''),
		err('The above exception was the direct cause of the following exception:'),
		err(''),
		err('Traceback (most recent call last):'),
		err('  File "/home/notechondria/manage.py", line 22, in <module>'),
		err('    main()'),
		err('  File "/usr/local/lib/python3.12/site-packages/django/db/migrations/executor.py", line 255, in apply_migration'),
		err('    state = migration.apply(state, schema_editor)'),
		err('django.db.utils.ProgrammingError: column "updated_at" of relation "notes_note" already exists'),
	];
}
