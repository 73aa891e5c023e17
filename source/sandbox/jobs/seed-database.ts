// The addon database of a fresh sandbox, as the seeded history left it: the deployed build's built-in
// migrations applied, and a few thousand rows of students' accounts, notes, tags and planner events, so
// backups, restores and row counts mean something. Only ever done to a database with no migrations yet.
import {sessionSettings} from '../database/pg-session.js';
import type pg from 'pg';
import type {DatabaseConnection} from '../../core/database.js';
import {builtinMigrationsAt} from '../database/builtin-migrations.js';
import {BuiltinMigrator, builtinMigrationLockKey} from '../database/builtin-migrator.js';

/** The initial migrations (accounts, notes, planner) the rows below need. */
const initialLevel = 3;

// Rows go in right after the initial migrations, as real data would have: later migrations then add
// their columns to full tables (filling them through the default, as Django does).
const seedRows = [
	'SELECT setseed(0.42)',
	`INSERT INTO "accounts_user" ("password", "last_login", "username", "email", "is_active", "date_joined")
	 SELECT 'pbkdf2_sha256$260000$sandbox$' || md5(i::text), now() - random() * interval '30 days',
	        'student' || lpad(i::text, 3, '0'), 'student' || lpad(i::text, 3, '0') || '@uni.example', random() > 0.05,
	        now() - interval '400 days' + i * interval '36 hours'
	 FROM generate_series(1, 240) AS i`,
	`INSERT INTO "notes_tag" ("name", "owner_id")
	 SELECT tag, id FROM "accounts_user" CROSS JOIN unnest(ARRAY['inbox', 'exam', 'reading', 'lab', 'lecture']) AS tag WHERE id % 4 = 0`,
	`INSERT INTO "notes_note" ("title", "body", "created_at", "updated_at", "owner_id", "tag_id")
	 SELECT kind || ': ' || topic || ' week ' || (1 + i % 12),
	        repeat('Key points, open questions and what to revise before the next session. ', 1 + i % 6),
	        created, created + random() * interval '3 days', owner, NULL
	 FROM generate_series(1, 3600) AS i,
	      LATERAL (SELECT (ARRAY['Lecture', 'Seminar', 'Reading', 'Lab', 'Revision'])[1 + i % 5] AS kind,
	                      (ARRAY['Cell biology', 'Organic chemistry', 'Linear algebra', 'Thermodynamics', 'Genetics', 'Microeconomics', 'Statistics', 'Neuroscience'])[1 + (i * 7) % 8] AS topic,
	                      now() - interval '120 days' + i * interval '48 minutes' AS created,
	                      (SELECT min(id) FROM "accounts_user") + i % 240 AS owner) AS row`,
	`UPDATE "notes_note" AS n SET "tag_id" = t.id FROM "notes_tag" AS t WHERE t.owner_id = n.owner_id AND t.name = 'lecture' AND n.title LIKE 'Lecture:%'`,
	`INSERT INTO "planner_event" ("title", "starts_at", "ends_at", "created_at", "owner_id", "note_id")
	 SELECT title, starts, starts + (1 + i % 3) * interval '1 hour', starts - interval '7 days', owner, NULL
	 FROM generate_series(1, 1800) AS i,
	      LATERAL (SELECT (ARRAY['Exam', 'Deadline', 'Study group', 'Lab session', 'Office hours'])[1 + i % 5] || ' ' || (1 + i % 40) AS title,
	                      date_trunc('hour', now()) - interval '60 days' + i * interval '80 minutes' AS starts,
	                      (SELECT min(id) FROM "accounts_user") + (i * 13) % 240 AS owner) AS row`,
];

/**
 * Brings an empty addon database to `level` (and fills it); does nothing when django_migrations
 * already has rows. Resolves to whether it seeded.
 */
export async function seedBuiltinDatabase(connection: DatabaseConnection, level: number): Promise<boolean> {
	const {default: {Client}} = await import('pg');
	const client = new Client(sessionSettings(connection, {applicationName: 'wheelhouse sandbox seed'}));
	client.on('error', () => undefined);
	await client.connect();
	try {
		await client.query('SELECT pg_advisory_lock($1)', [builtinMigrationLockKey]);
		if (await hasMigrations(client)) {
			return false;
		}

		const quiet = {out: () => undefined, err: () => undefined};
		await new BuiltinMigrator(client as pg.ClientBase, builtinMigrationsAt(Math.min(level, initialLevel)), quiet).applyAll();
		if (level >= initialLevel) {
			await client.query('BEGIN');
			for (const statement of seedRows) {
				await client.query(statement);
			}

			await client.query('COMMIT');
		}

		await new BuiltinMigrator(client as pg.ClientBase, builtinMigrationsAt(level), quiet).applyAll();
		return true;
	} finally {
		await client.end().catch(() => undefined);
	}
}

async function hasMigrations(client: pg.Client): Promise<boolean> {
	const table = await client.query<{exists: boolean}>('SELECT to_regclass(\'django_migrations\') IS NOT NULL AS "exists"');
	if (!table.rows[0]?.exists) {
		return false;
	}

	const {rows} = await client.query('SELECT 1 FROM "django_migrations" LIMIT 1');
	return rows.length > 0;
}
