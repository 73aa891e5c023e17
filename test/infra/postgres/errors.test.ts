import test from 'ava';
import type pg from 'pg';
import {classifyPgError, connect} from '../../../source/infra/postgres/index.js';
import {startPostgres, type PostgresServer} from '../../helpers/postgres.js';
import {backendPid, connectionTo, eventually, isWaitingOnLock, openSession} from './world.js';

let server: PostgresServer;
let holder: pg.Client;

test.before(async () => {
	server = await startPostgres();
	holder = await openSession(server, 'test holder');
	await holder.query('CREATE TABLE notes_note (id int PRIMARY KEY, title text); INSERT INTO notes_note VALUES (1, \'a\'), (2, \'b\')');
});

test.after.always(async () => {
	await holder?.end();
	await server?.stop();
});

/** Runs `statement` on a fresh session and returns what pg threw. */
const failureOf = async (statement: string, options: {lockTimeoutMs?: number; statementTimeoutMs?: number} = {}): Promise<unknown> => {
	const client = await connect(connectionTo(server), {applicationName: 'wheelhouse migrate', ...options});
	try {
		await client.query(statement);
		return undefined;
	} catch (error) {
		return error;
	} finally {
		await client.end().catch(() => undefined);
	}
};

test('a lock timeout (55P03) is retryable: the table was busy, nothing changed', async t => {
	const locker = await openSession(server, 'long reader');
	try {
		await locker.query('BEGIN');
		await locker.query('LOCK TABLE notes_note IN ACCESS EXCLUSIVE MODE');
		const error = await failureOf('ALTER TABLE notes_note ADD COLUMN body text', {lockTimeoutMs: 200});
		t.like(classifyPgError(error), {class: 'retryable', code: '55P03'});
		t.regex(classifyPgError(error).reason, /^lock timeout/);
		t.like(classifyPgError((error as Error).message), {class: 'retryable'}, 'its message alone says the same');
	} finally {
		await locker.query('ROLLBACK');
		await locker.end();
	}
});

test('a statement timeout (57014) leaves the schema unknown', async t => {
	const error = await failureOf('SELECT pg_sleep(5)', {statementTimeoutMs: 200});
	t.like(classifyPgError(error), {class: 'schema-unknown', code: '57014'});
	t.like(classifyPgError(`ERROR:  ${(error as Error).message}`), {class: 'schema-unknown'});
});

test('a connection killed mid-statement leaves the schema unknown', async t => {
	const client = await connect(connectionTo(server), {applicationName: 'wheelhouse migrate'});
	const pid = await backendPid(client);
	const running = client.query('SELECT pg_sleep(10)').then(() => undefined, (error: unknown) => error);
	await eventually(async () => {
		const {rows} = await holder.query<{state: string}>('SELECT state FROM pg_stat_activity WHERE pid = $1', [pid]);
		return rows[0]?.state === 'active';
	}, 'the statement to run');
	await holder.query('SELECT pg_terminate_backend($1)', [pid]);
	const error = await running;
	t.is(classifyPgError(error).class, 'schema-unknown');
	await client.end().catch(() => undefined);
});

test('a deadlock (40P01) is retryable', async t => {
	const first = await openSession(server, 'first');
	const second = await openSession(server, 'second');
	try {
		const firstPid = await backendPid(first);
		await first.query('BEGIN');
		await second.query('BEGIN');
		await first.query('UPDATE notes_note SET title = \'x\' WHERE id = 1');
		await second.query('UPDATE notes_note SET title = \'y\' WHERE id = 2');
		const firstWaits = first.query('UPDATE notes_note SET title = \'x\' WHERE id = 2').then(() => undefined, (error: unknown) => error);
		await eventually(async () => isWaitingOnLock(holder, firstPid), 'the first update to wait');
		const secondWaits = second.query('UPDATE notes_note SET title = \'y\' WHERE id = 1').then(() => undefined, (error: unknown) => error);
		const errors = (await Promise.all([firstWaits, secondWaits])).filter(Boolean);
		t.is(errors.length, 1, 'PostgreSQL breaks the deadlock by failing one of them');
		t.like(classifyPgError(errors[0]), {class: 'retryable', code: '40P01'});
	} finally {
		await first.query('ROLLBACK').catch(() => undefined);
		await second.query('ROLLBACK').catch(() => undefined);
		await first.end();
		await second.end();
	}
});

test('any other error failed cleanly, with its message as the reason', async t => {
	const error = await failureOf('INSERT INTO notes_note VALUES (1, \'duplicate\')');
	const failure = classifyPgError(error);
	t.is(failure.class, 'failed');
	t.is(failure.code, '23505');
	t.is(failure.reason, 'duplicate key value violates unique constraint "notes_note_pkey" (23505)');
});

test('text with no known marker fails with the line the traceback ends on', t => {
	const log = [
		'Operations to perform:',
		'  Apply all migrations: notes',
		'Traceback (most recent call last):',
		'  File "manage.py", line 22, in <module>',
		'django.db.utils.ProgrammingError: relation "notes_tag" does not exist',
		'',
	].join('\n');
	t.deepEqual(classifyPgError(log), {class: 'failed', reason: 'django.db.utils.ProgrammingError: relation "notes_tag" does not exist'});
});
