// What a backup or a restore of the PostgreSQL addon writes: pg_dump / pg_restore in verbose mode.
import {err, out, type ScriptLine} from './format.js';

const tables = ['auth_user', 'courses_course', 'django_migrations', 'django_session', 'notes_attachment', 'notes_note', 'planner_task', 'sync_delivery'];

export function backupScript(options: {name: string; addon: string; version: string; kind: 'dump' | 'snapshot'; compression?: string; sizeBytes: number; fails: boolean}): ScriptLine[] {
	const start = out(`Starting backup "${options.name}" of ${options.addon} (PostgreSQL ${options.version}, ${options.kind}${options.compression ? `, ${options.compression}` : ''})`);
	if (options.kind === 'snapshot') {
		return [
			start,
			out('Creating a volume snapshot of /pgdata'),
			options.fails ? err('Snapshot failed: the volume is busy') : out(`Snapshot ready (${(options.sizeBytes / 1e6).toFixed(1)} MB)`),
		];
	}

	const dumped = options.fails ? tables.slice(0, 5) : tables;
	return [
		start,
		err('pg_dump: last built-in OID is 16383'),
		err('pg_dump: reading extensions'),
		err('pg_dump: identifying extension members'),
		err('pg_dump: reading schemas'),
		err('pg_dump: reading user-defined tables'),
		err('pg_dump: reading indexes'),
		err('pg_dump: reading constraints'),
		err('pg_dump: saving encoding = UTF8'),
		...dumped.map(table => err(`pg_dump: dumping contents of table "public.${table}"`)),
		...(options.fails
			? [err('pg_dump: error: Dumping the contents of table "public.notes_note" failed: PQgetResult() failed.'), err('pg_dump: error: Error message from server: server closed the connection unexpectedly'), err('Backup failed')]
			: [out(`Compressing with ${options.compression ?? 'gz'}`), out(`Uploading ${(options.sizeBytes / 1e6).toFixed(1)} MB to backup storage`), out('Backup completed')]),
	];
}

export function restoreScript(options: {backup: string; addon: string; fails: boolean}): ScriptLine[] {
	return [
		out(`Restoring backup "${options.backup}" into ${options.addon}`),
		err('pg_restore: connecting to database for restore'),
		err('pg_restore: dropping TABLE public.notes_note'),
		...tables.flatMap(table => [err(`pg_restore: creating TABLE "public.${table}"`), err(`pg_restore: processing data for table "public.${table}"`)]),
		err('pg_restore: creating INDEX "public.notes_note_course_id_idx"'),
		err('pg_restore: creating CONSTRAINT "public.notes_note notes_note_pkey"'),
		options.fails ? err('Restore failed') : out('Restore completed'),
	];
}
