import {spawn} from 'node:child_process';
import test from 'ava';
import type pg from 'pg';
import {childEnvironment, connect, holdReleaseLock, migrationLockKey, preflight} from '../../../source/infra/postgres/index.js';
import {makeTempDir, removeTempDir} from '../../helpers/sshd.js';
import {startPostgres, type PostgresServer} from '../../helpers/postgres.js';
import {backendPid, connectionTo, eventually, isWaitingOnLock, openSession} from './world.js';

// Each test gets its own server: preflight sees every session on it, so tests must not see each other's.
const withServer = async (body: (server: PostgresServer, client: pg.Client) => Promise<void>): Promise<void> => {
	const server = await startPostgres();
	const client = await connect(connectionTo(server), {applicationName: 'wheelhouse preflight'});
	try {
		await client.query('CREATE TABLE notes_note (id serial PRIMARY KEY, title text)');
		await client.query(`INSERT INTO notes_note (title) VALUES ('first'), ('second')`);
		await body(server, client);
	} finally {
		await client.end();
		await server.stop();
	}
};

test('a quiet database passes every check with one ok finding each', async t => {
	await withServer(async (_server, client) => {
		const report = await preflight(client, {tables: ['notes_note']});
		t.deepEqual(report.findings.filter(finding => finding.level !== 'info').map(finding => [finding.level, finding.check]), [
			['ok', 'long transactions'],
			['ok', 'blocked sessions'],
			['ok', 'table locks'],
			['ok', 'pg_dump running'],
			['ok', 'advisory locks'],
			['ok', 'connections'],
		]);
		t.deepEqual(report.sessions, []);
		t.deepEqual(report.blockers, []);
		t.deepEqual(report.dumps, []);
		t.deepEqual(report.advisoryHolders, []);
		t.true(report.connections.used >= 1);
		t.is(report.connections.max, 100);
		t.true(report.sizeBytes > 1_000_000);
		t.regex(report.serverVersion, /^\d+\.\d+/);
		t.regex(report.findings.find(finding => finding.check === 'server')?.message ?? '', /^PostgreSQL \d+\.\d+.*, database wheelhouse_test \d/);
	});
});

test('an idle-in-transaction session holding a lock on a migrated table blocks, and the session queued behind it is reported', async t => {
	await withServer(async (server, client) => {
		const idle = await openSession(server, 'django-shell');
		const waiter = await openSession(server, 'gunicorn');
		try {
			const idlePid = await backendPid(idle);
			const waiterPid = await backendPid(waiter);
			await idle.query('BEGIN');
			await idle.query(`SELECT * FROM notes_note WHERE title = 'a secret literal'`);
			const blocked = waiter.query('ALTER TABLE notes_note ADD COLUMN body text').catch(() => undefined);
			await eventually(async () => isWaitingOnLock(client, waiterPid), 'the ALTER to queue');

			const report = await preflight(client, {tables: ['notes_note']});
			const idleFinding = report.findings.find(finding => finding.check === 'idle in transaction');
			t.is(idleFinding?.level, 'block');
			t.regex(idleFinding?.message ?? '', new RegExp(`^pid ${idlePid} \\(django-shell\\) idle in transaction for \\d+s, holding AccessShareLock on notes_note`));
			t.true(idleFinding?.message.includes(`SELECT * FROM notes_note WHERE title = '…'`), 'the query is shown with its literal masked');
			t.false(idleFinding?.message.includes('a secret literal'));
			t.regex(idleFinding?.hint ?? '', new RegExp(`pg_terminate_backend\\(${idlePid}\\)`));

			const blockedFinding = report.findings.find(finding => finding.check === 'blocked sessions');
			t.is(blockedFinding?.level, 'warn');
			t.regex(blockedFinding?.message ?? '', new RegExp(`^pid ${waiterPid} \\(gunicorn\\) has waited \\d+s for pid ${idlePid} \\(Lock relation\\): ALTER TABLE notes_note ADD COLUMN body text`));
			t.deepEqual(report.blockers.map(blocker => [blocker.pid, blocker.blockedBy]), [[waiterPid, [idlePid]]]);

			const waiting = report.findings.find(finding => finding.check === 'table locks' && finding.message.includes('waits for'));
			t.regex(waiting?.message ?? '', new RegExp(`pid ${waiterPid} \\(gunicorn\\) waits for AccessExclusiveLock on notes_note`));
			t.is(report.findings[0]?.level, 'block', 'blocking findings come first');

			await idle.query('ROLLBACK');
			await blocked;
		} finally {
			await idle.end();
			await waiter.end();
		}
	});
});

test('an idle transaction not touching the migrated tables warns, and a long one is caught by age', async t => {
	await withServer(async (server, client) => {
		const idle = await openSession(server, 'report-job');
		const busy = await openSession(server, 'nightly-etl');
		try {
			await idle.query('BEGIN');
			await idle.query('SELECT 1');
			await busy.query('BEGIN');
			await busy.query('SELECT 1');
			const sleeping = busy.query('SELECT pg_sleep(3)');
			await new Promise(resolve => setTimeout(resolve, 1200));
			const report = await preflight(client, {tables: ['notes_note'], longTransactionSeconds: 1});
			const idleFinding = report.findings.find(finding => finding.message.includes('(report-job)'));
			t.like(idleFinding, {level: 'warn', check: 'idle in transaction'});
			const longFinding = report.findings.find(finding => finding.message.includes('(nightly-etl)'));
			t.like(longFinding, {level: 'warn', check: 'long transaction'});
			t.regex(longFinding?.message ?? '', /in a transaction for \d+s \(active\); last query: SELECT pg_sleep\(3\)/);
			await sleeping;
		} finally {
			await idle.end();
			await busy.end();
		}
	});
});

test('the holder of the migration advisory lock is named by its application name; the console\'s own lock can be excluded', async t => {
	await withServer(async (server, client) => {
		const conn = connectionTo(server);
		const lock = await holdReleaseLock(conn, {runId: 'r-7f3a', holder: 'alice@bastion'});
		const other = await openSession(server, 'celery worker');
		try {
			await other.query('SELECT pg_advisory_lock(42)');
			const report = await preflight(client);
			const migration = report.findings.find(finding => finding.check === 'migration lock');
			t.is(migration?.level, 'block');
			t.regex(migration?.message ?? '', new RegExp(`^The migration lock is held by pid ${lock.pid} \\(wheelhouse release r-7f3a alice@bastion\\) from 127\\.0\\.0\\.1, connected \\d+s ago\\.$`));
			t.true(report.advisoryHolders.some(row => row.key === migrationLockKey && row.pid === lock.pid));
			const others = report.findings.find(finding => finding.check === 'advisory locks');
			t.is(others?.level, 'info');
			t.regex(others?.message ?? '', /42 by pid \d+ \(celery worker\)/);

			const own = await preflight(client, {exceptPids: [lock.pid]});
			t.is(own.findings.find(finding => finding.check === 'migration lock'), undefined, 'its own release lock is not a blocker for the console');
		} finally {
			await other.end();
			await lock.release();
		}
	});
});

test('a running pg_dump blocks the migration', async t => {
	await withServer(async (server, client) => {
		const locker = await openSession(server, 'ddl-in-progress');
		const dir = await makeTempDir('dump');
		try {
			// The dump waits behind this lock, so it is still running when the preflight looks.
			await locker.query('BEGIN');
			await locker.query('LOCK TABLE notes_note IN ACCESS EXCLUSIVE MODE');
			const dump = spawn('pg_dump', ['-Fc', '-f', `${dir}/waiting.dump`], {env: childEnvironment(connectionTo(server)), stdio: 'ignore'});
			const exited = new Promise(resolve => dump.on('close', resolve));
			const dumpPid = await eventually(async () => {
				const {rows} = await client.query<{pid: number}>(`SELECT pid FROM pg_stat_activity WHERE application_name = 'pg_dump' AND wait_event_type = 'Lock'`);
				return rows[0]?.pid;
			}, 'pg_dump to wait for its lock');

			const report = await preflight(client);
			const finding = report.findings.find(candidate => candidate.check === 'pg_dump running');
			t.is(finding?.level, 'block');
			t.regex(finding?.message ?? '', new RegExp(`^pg_dump \\(pid ${dumpPid} from 127\\.0\\.0\\.1\\) has been dumping wheelhouse_test for \\d+s\\.$`));
			t.regex(finding?.hint ?? '', /^Wait for the dump to finish: a migration would queue behind it/);
			t.is(report.dumps[0]?.pid, dumpPid);

			await locker.query('ROLLBACK');
			t.is(await exited, 0, 'the dump finishes once the lock is gone');
			const after = await preflight(client);
			t.like(after.findings.find(candidate => candidate.check === 'pg_dump running'), {level: 'ok'});
		} finally {
			await locker.end();
			await removeTempDir(dir);
		}
	});
});

test('connections near max_connections warn', async t => {
	await withServer(async (server, client) => {
		const sessions = await Promise.all(Array.from({length: 92}, async (_, index) => openSession(server, `worker-${index}`)));
		try {
			const report = await preflight(client);
			const finding = report.findings.find(candidate => candidate.check === 'connections');
			t.is(finding?.level, 'warn');
			t.regex(finding?.message ?? '', /^9\d of 100 connections in use\.$/);
		} finally {
			await Promise.all(sessions.map(async session => session.end()));
		}
	});
});
