// What the PostgreSQL addon's container writes to stderr, with log_line_prefix '%m [%p] '.
import type {LineContext, LineText} from '../container-log.js';
import {mix, pick} from '../dice.js';
import type {LogTime} from '../log-time.js';
import {err, postgresTime, type ScriptLine} from './format.js';
import {hostileLines} from './hostile.js';
import {noteTitles} from './samples.js';

const line = (pid: number, message: string) => (time: LogTime) => err(`${postgresTime(time)} [${pid}] ${message}`);

export function postgresBootScript(version: string): ScriptLine[] {
	return [
		line(1, `LOG:  starting PostgreSQL ${version} on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit`),
		line(1, 'LOG:  listening on IPv4 address "0.0.0.0", port 5432'),
		line(1, 'LOG:  listening on IPv6 address "::", port 5432'),
		line(1, 'LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"'),
		time => err(`${postgresTime(time)} [29] LOG:  database system was shut down at ${postgresTime({ms: time.ms - 95_000, ns: 0}).replace(/\.\d{3} /, ' ')}`),
		line(1, 'LOG:  database system is ready to accept connections'),
	];
}

const tables = ['notes_note', 'notes_attachment', 'courses_course', 'planner_task', 'auth_user', 'django_session'];

/** A running database's line; `dumping` while a backup reads it. */
export function postgresLine(context: LineContext, dumping: boolean): LineText {
	const block = errorBlockLine(context.seed, context.seqInPhase);
	const dice = mix(context.seed, context.seq, 21);
	const pid = 100 + (dice % 900);
	const prefix = `${postgresTime(context.time)} [${pid}] `;
	if (block !== undefined) {
		return err(prefix + block);
	}

	if (dumping && dice % 3 === 0) {
		return err(prefix + pick(dumpSession, dice >>> 8));
	}

	const roll = (dice >>> 4) % 100;
	const table = pick(tables, dice >>> 12);
	const host = `host=10.0.4.${10 + (dice % 20)} port=${40_000 + (dice % 20_000)}`;
	if (roll < 30) {
		return err(`${prefix}LOG:  connection received: ${host}`);
	}

	if (roll < 55) {
		return err(`${prefix}LOG:  connection authorized: user=notechondria database=notechondria application_name=gunicorn SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)`);
	}

	if (roll < 75) {
		return err(`${prefix}LOG:  disconnection: session time: 0:00:0${dice % 10}.${String(dice % 1000).padStart(3, '0')} user=notechondria database=notechondria ${host}`);
	}

	if (roll < 83) {
		return err(`${prefix}LOG:  duration: ${500 + (dice % 2500)}.${dice % 1000} ms  statement: SELECT "${table}".* FROM "${table}" WHERE "${table}"."id" > ${dice % 5000} ORDER BY "${table}"."id" LIMIT 50`);
	}

	if (roll < 89) {
		return err(`${prefix}LOG:  automatic vacuum of table "notechondria.public.${table}": index scans: 1`);
	}

	if (roll < 93) {
		return err(`${prefix}LOG:  checkpoint complete: wrote ${dice % 900} buffers (${(dice % 50) / 10}%); 0 WAL file(s) added, 0 removed, 1 recycled; write=26.${dice % 1000} s, sync=0.004 s, total=26.9 s; sync files=41, longest=0.002 s, average=0.001 s; distance=2711 kB, estimate=2950 kB`);
	}

	if (roll < 97) {
		return err(`${prefix}LOG:  statement: SELECT id FROM notes_note WHERE title ILIKE '%${pick(noteTitles, dice >>> 8)}%'`);
	}

	if (roll < 99) {
		return err(`${prefix}FATAL:  password authentication failed for user "postgres"`);
	}

	return err(`${prefix}ERROR:  invalid input syntax for type integer: "${hostileLines['osc-title']}"`);
}

const dumpSession = [
	'LOG:  connection authorized: user=postgres database=notechondria application_name=pg_dump',
	'LOG:  duration: 812.4 ms  statement: COPY public.notes_note (id, title, body, course_id, owner_id, updated_at) TO stdout;',
	'LOG:  duration: 95.1 ms  statement: COPY public.planner_task (id, title, due_at, note_id) TO stdout;',
];

const errorBlocks: ReadonlyArray<readonly string[]> = [
	[
		'ERROR:  duplicate key value violates unique constraint "notes_note_slug_owner_uniq"',
		'DETAIL:  Key (slug, owner_id)=(week-3-limits, 17) already exists.',
		'STATEMENT:  INSERT INTO "notes_note" ("title", "slug", "body", "course_id", "owner_id") VALUES ($1, $2, $3, $4, $5) RETURNING "notes_note"."id"',
	],
	[
		'ERROR:  canceling statement due to statement timeout',
		'STATEMENT:  SELECT COUNT(*) FROM "notes_note" INNER JOIN "courses_course" ON ("notes_note"."course_id" = "courses_course"."id")',
	],
];

const blockSize = 40;

function errorBlockLine(seed: number, seqInPhase: number): string | undefined {
	const block = Math.floor((seqInPhase - 1) / blockSize);
	const dice = mix(seed, block, 22);
	if (dice % 6 !== 0) {
		return undefined;
	}

	const lines = pick(errorBlocks, dice >>> 8);
	const first = (dice >>> 16) % (blockSize - lines.length + 1);
	return lines[((seqInPhase - 1) % blockSize) - first];
}
