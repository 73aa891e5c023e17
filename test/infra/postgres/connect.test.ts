import {readFile, writeFile} from 'node:fs/promises';
import test, {type ExecutionContext} from 'ava';
import {childEnvironment, connect, describe, PostgresError} from '../../../source/infra/postgres/index.js';
import {freePort} from '../../helpers/sshd.js';
import {startPostgres, type PostgresServer} from '../../helpers/postgres.js';
import {connectionTo, openSession} from './world.js';

const password = 'Sup3r-Secret-Pa55word';
const wrongPassword = 'Wr0ng-But-Also-Secret';
let server: PostgresServer;

test.before(async () => {
	server = await startPostgres();
	// The helper's server trusts everyone; make one role need a password (SCRAM), as a platform's would.
	const admin = await openSession(server, 'test setup');
	await admin.query(`CREATE ROLE alice LOGIN PASSWORD '${password}'`);
	const {rows} = await admin.query<{hba_file: string}>('SHOW hba_file');
	const hbaFile = rows[0]!.hba_file;
	await writeFile(hbaFile, `host all alice 127.0.0.1/32 scram-sha-256\n${await readFile(hbaFile, 'utf8')}`);
	await admin.query('SELECT pg_reload_conf()');
	await admin.end();
});

test.after.always(async () => {
	await server?.stop();
});

const assertNoSecret = (t: ExecutionContext, error: PostgresError): void => {
	const everything = `${error.message}\n${error.hint ?? ''}\n${error.stack ?? ''}`;
	t.false(everything.includes(password), 'the password never appears');
	t.false(everything.includes(wrongPassword), 'the wrong password never appears');
};

test('connecting works and names itself in pg_stat_activity', async t => {
	const client = await connect(connectionTo(server), {applicationName: 'wheelhouse preflight', statementTimeoutMs: 1234});
	const {rows} = await client.query<{name: string; timeout: string}>(`SELECT application_name AS name, current_setting('statement_timeout') AS timeout FROM pg_stat_activity WHERE pid = pg_backend_pid()`);
	t.deepEqual(rows[0], {name: 'wheelhouse preflight', timeout: '1234ms'});
	await client.end();
});

test('the right password gets in, over SCRAM', async t => {
	const client = await connect(connectionTo(server, {user: 'alice', password}), {applicationName: 'wheelhouse test'});
	const {rows} = await client.query<{user: string}>('SELECT current_user AS user');
	t.is(rows[0]!.user, 'alice');
	await client.end();
});

test('a wrong password is named as such, without either password', async t => {
	const error = await t.throwsAsync(connect(connectionTo(server, {user: 'alice', password: wrongPassword}), {applicationName: 'wheelhouse test'}), {instanceOf: PostgresError});
	t.is(error.kind, 'auth');
	t.is(error.exitCode, 2);
	t.regex(error.message, /rejected the password of role "alice"/);
	t.true(error.message.includes(`alice@127.0.0.1:${server.port}/${server.database}`));
	t.regex(error.hint ?? '', /Check the password in the test server/);
	assertNoSecret(t, error);
});

test('no password where the server wants one says so', async t => {
	const error = await t.throwsAsync(connect(connectionTo(server, {user: 'alice'}), {applicationName: 'wheelhouse test'}), {instanceOf: PostgresError});
	t.is(error.kind, 'auth');
	t.regex(error.message, /asks for a password for role "alice" and none was given/);
});

test('an unreachable port names host:port, database and user, never the password', async t => {
	const port = await freePort();
	const error = await t.throwsAsync(connect(connectionTo(server, {port, user: 'alice', password}), {applicationName: 'wheelhouse test'}), {instanceOf: PostgresError});
	t.is(error.kind, 'unreachable');
	t.is(error.exitCode, 2);
	t.regex(error.message, new RegExp(`Connection refused by 127\\.0\\.0\\.1:${port}`));
	t.true(error.message.includes(`alice@127.0.0.1:${port}/${server.database}`));
	t.regex(error.hint ?? '', /host and port/);
	assertNoSecret(t, error);
});

test('a missing database is named, with the way to list the real ones', async t => {
	const error = await t.throwsAsync(connect(connectionTo(server, {database: 'no_such_db', user: 'alice', password}), {applicationName: 'wheelhouse test'}), {instanceOf: PostgresError});
	t.is(error.kind, 'no-database');
	t.is(error.exitCode, 2);
	t.is(error.message, `The database "no_such_db" does not exist on 127.0.0.1:${server.port} (connecting as alice, from the test server).`);
	t.regex(error.hint ?? '', /psql -h 127\.0\.0\.1 -p \d+ -U alice -l/);
	assertNoSecret(t, error);
});

test('a missing role is named', async t => {
	const error = await t.throwsAsync(connect(connectionTo(server, {user: 'nobody_here'}), {applicationName: 'wheelhouse test'}), {instanceOf: PostgresError});
	t.is(error.kind, 'auth');
	t.regex(error.message, /role "nobody_here" does not exist/);
});

test('a server that never answers times out with the limit in the message', async t => {
	// A listening socket that accepts but never speaks PostgreSQL.
	const {createServer} = await import('node:net');
	const silent = createServer(() => undefined);
	await new Promise<void>(resolve => {
		silent.listen(0, '127.0.0.1', resolve);
	});
	const {port} = silent.address() as {port: number};
	try {
		const error = await t.throwsAsync(connect(connectionTo(server, {port}), {applicationName: 'wheelhouse test', connectTimeoutMs: 300}), {instanceOf: PostgresError});
		t.is(error.kind, 'timeout');
		t.regex(error.message, new RegExp(`No answer from 127\\.0\\.0\\.1:${port} within 300ms`));
	} finally {
		silent.close();
	}
});

test('child processes get the target in PG* variables and the password only there', t => {
	const previous = process.env.PGSERVICE;
	process.env.PGSERVICE = 'somewhere-else';
	try {
		const environment = childEnvironment({host: 'db.internal', port: 6543, database: 'app', user: 'app_user', password, ssl: 'require', source: 'addon credentials'});
		t.like(environment, {PGHOST: 'db.internal', PGPORT: '6543', PGDATABASE: 'app', PGUSER: 'app_user', PGPASSWORD: password, PGSSLMODE: 'require', PGCONNECT_TIMEOUT: '10'});
		t.is(environment.PGSERVICE, undefined, 'the caller\'s own PG* settings do not leak in');
		t.is(environment.PATH, process.env.PATH);
	} finally {
		if (previous === undefined) {
			delete process.env.PGSERVICE;
		} else {
			process.env.PGSERVICE = previous;
		}
	}
});

test('describe names user@host:port/database', t => {
	t.is(describe({host: 'db.internal', port: 5432, database: 'app', user: 'app_user', password, source: 'x'}), 'app_user@db.internal:5432/app');
	t.is(describe({host: '::1', port: 5432, database: 'app', user: 'u', source: 'x'}), 'u@[::1]:5432/app');
});
