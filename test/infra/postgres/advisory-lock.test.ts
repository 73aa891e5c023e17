import {createHash} from 'node:crypto';
import test from 'ava';
import type pg from 'pg';
import {advisoryLockHolders, connect, holdReleaseLock, migrationLockKey, PostgresError, releaseAdvisoryLock, tryAdvisoryLock} from '../../../source/infra/postgres/index.js';
import {startPostgres, type PostgresServer} from '../../helpers/postgres.js';
import {connectionTo, openSession} from './world.js';

let server: PostgresServer;
let observer: pg.Client;
let keyCounter = 1000n;
// Every test takes its own key, so tests running at once do not meet on the same lock.
const nextKey = (): bigint => keyCounter++;

test.before(async () => {
	server = await startPostgres();
	observer = await openSession(server, 'test observer');
});

test.after.always(async () => {
	await observer?.end();
	await server?.stop();
});

test('the migration lock key is the documented hash of "wheelhouse-migrate"', t => {
	t.is(migrationLockKey, createHash('sha256').update('wheelhouse-migrate').digest().readBigInt64BE(0));
	t.is(migrationLockKey, -9_139_971_603_140_607_286n);
});

test('a second holder fails fast, naming the first by its run, operator and address', async t => {
	const key = nextKey();
	const conn = connectionTo(server);
	const first = await holdReleaseLock(conn, {runId: 'r-7f3a', holder: 'alice@bastion', key});
	try {
		t.is(first.applicationName, 'wheelhouse release r-7f3a alice@bastion');
		t.true(first.held());
		const started = Date.now();
		const error = await t.throwsAsync(holdReleaseLock(conn, {runId: 'r-8b2c', holder: 'bob@laptop', key}), {instanceOf: PostgresError});
		t.true(Date.now() - started < 2000, 'no waiting for the lock');
		t.is(error.kind, 'lock-held');
		t.regex(error.message, new RegExp(`^The release lock on postgres@127\\.0\\.0\\.1:${server.port}/wheelhouse_test is held by pid ${first.pid} "wheelhouse release r-7f3a alice@bastion" \\(postgres from 127\\.0\\.0\\.1\\) for \\d+s\\.$`));
		t.regex(error.hint ?? '', /wait for it to finish/);
		const {rows} = await observer.query<{count: number}>(`SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name LIKE 'wheelhouse release r-8b2c%'`);
		t.is(rows[0]!.count, 0, 'the refused connection is closed');
	} finally {
		await first.release();
	}
});

test('releasing lets the next holder in, and the connection closes', async t => {
	const key = nextKey();
	const conn = connectionTo(server);
	const first = await holdReleaseLock(conn, {runId: 'r-1', holder: 'alice@bastion', key});
	await first.release();
	t.deepEqual(await first.closed, {released: true});
	t.false(first.held());
	await first.release();
	const second = await holdReleaseLock(conn, {runId: 'r-2', holder: 'bob@laptop', key});
	t.deepEqual((await second.holders()).map(holder => holder.applicationName), ['wheelhouse release r-2 bob@laptop']);
	await second.release();
	t.deepEqual(await advisoryLockHolders(observer, key), []);
});

test('killing the holder\'s connection frees the lock, and the holder learns it lost it', async t => {
	const key = nextKey();
	const conn = connectionTo(server);
	const first = await holdReleaseLock(conn, {runId: 'r-killed', holder: 'alice@bastion', key});
	await observer.query('SELECT pg_terminate_backend($1)', [first.pid]);
	const closed = await first.closed;
	t.false(closed.released);
	t.regex(closed.reason ?? '', /terminat/i);
	t.false(first.held());
	const second = await holdReleaseLock(conn, {runId: 'r-next', holder: 'bob@laptop', key});
	t.pass();
	await second.release();
	await first.release();
});

test('tryAdvisoryLock polls until the holder lets go within the deadline, and gives up after it', async t => {
	const key = nextKey();
	const holder = await openSession(server, 'other migrator');
	const client = await connect(connectionTo(server), {applicationName: 'wheelhouse migrate'});
	try {
		await holder.query('SELECT pg_advisory_lock($1::bigint)', [key.toString()]);
		const holders = await advisoryLockHolders(client, key);
		t.deepEqual(holders.map(row => row.applicationName), ['other migrator']);
		t.is(holders[0]!.clientAddr, '127.0.0.1');
		t.true(holders[0]!.backendStart instanceof Date);

		const started = Date.now();
		t.false(await tryAdvisoryLock(client, key, {deadlineMs: 400, pollMs: 100}));
		t.true(Date.now() - started >= 400);

		setTimeout(() => {
			void holder.query('SELECT pg_advisory_unlock($1::bigint)', [key.toString()]);
		}, 300);
		t.true(await tryAdvisoryLock(client, key, {deadlineMs: 5000, pollMs: 50}));
		t.deepEqual((await advisoryLockHolders(observer, key)).map(row => row.applicationName), ['wheelhouse migrate']);
		t.true(await releaseAdvisoryLock(client, key));
		t.false(await releaseAdvisoryLock(client, key), 'releasing a lock not held says so');
	} finally {
		await holder.end();
		await client.end();
	}
});

test('the holder\'s name is cut to the 63 bytes PostgreSQL keeps, non-ASCII replaced', async t => {
	const key = nextKey();
	const lock = await holdReleaseLock(connectionTo(server), {runId: '2026-11-22T10:04:12Z-7f3a', holder: 'zoë@a-very-long-bastion-host-name.example.com', key});
	try {
		t.is(lock.applicationName.length, 63);
		t.true(lock.applicationName.startsWith('wheelhouse release 2026-11-22T10:04:12Z-7f3a zo?@a-very-long'));
		const [holder] = await advisoryLockHolders(observer, key);
		t.is(holder?.applicationName, lock.applicationName, 'what other sessions see is exactly what the console reports');
	} finally {
		await lock.release();
	}
});
