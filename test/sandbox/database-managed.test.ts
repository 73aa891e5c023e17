import {existsSync} from 'node:fs';
import {chmod, mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import test from 'ava';
import {startSandbox} from '../../source/sandbox/index.js';
import {until, withClient} from './database-helpers.js';
import {addonPath, sandboxFor} from './helpers.js';

test('the credentials endpoint hands out the managed cluster\'s working connection details', async t => {
	const api = await sandboxFor(t, {database: 'managed'});
	const started = Date.now();
	const reply = await api.get(`${addonPath}/credentials`);
	t.is(reply.status, 200, JSON.stringify(reply.body));
	t.log(`credentials after ${Date.now() - started} ms (the cluster starts in the background)`);
	const {secrets, envs} = reply.body.data;
	t.like(envs, {HOST: '127.0.0.1', DATABASE: 'notechondria', TLS_ENABLED: 'false'});
	t.regex(envs.PORT, /^\d+$/);
	t.is(secrets.username, 'notechondria');
	t.true(secrets.password.length >= 24);

	const connection = {host: envs.HOST as string, port: Number(envs.PORT), user: secrets.username as string, password: secrets.password as string, database: envs.DATABASE as string};
	const {rows} = await withClient(connection, async client => client.query('select current_user as "user", current_database() as database'));
	t.deepEqual(rows[0], {user: 'notechondria', database: 'notechondria'});
	await t.throwsAsync(withClient({...connection, password: 'wrong-password'}, async client => client.query('select 1')), {message: /password authentication failed/});

	const scoped = await api.get(`/v1/teams/sandbox-team${addonPath.slice('/v1'.length)}/credentials`);
	t.is(scoped.status, 200);
	t.is((await api.get(`${addonPath}/credentials`, {token: null})).status, 401);
	const info = await api.get('/_sandbox/info');
	t.like(info.body.data.database, {kind: 'managed'});
	t.false(JSON.stringify(info.body).includes(secrets.password as string), 'the password is the addon\'s secret');
});

test('without a state dir: the newest backup soon is a real one, and close removes the cluster', async t => {
	const api = await sandboxFor(t, {database: 'managed'});
	const baseline = await until('the baseline backup', async () => {
		const [newest] = (await api.get(`${addonPath}/backups`)).body.data.backups;
		return newest.id.startsWith('sandbox-baseline-') ? newest : undefined;
	});
	t.is(baseline.status, 'completed');
	t.true(Number(baseline.config.size) > 0);
	t.is((await api.get(`${addonPath}/backups/${baseline.id as string}/download-link`)).status, 200);

	const root = dirname(api.sandbox.database!.backupsDirectory());
	t.true(existsSync(join(root, 'data', 'PG_VERSION')));
	await api.sandbox.close();
	t.false(existsSync(root), 'the temp cluster is gone');
});

test('with a state dir the cluster and its data survive a restart; a dump cut by the restart is failed', async t => {
	const stateDir = await mkdtemp(join(tmpdir(), 'wheelhouse-db-state-'));
	t.teardown(async () => rm(stateDir, {recursive: true, force: true}));
	// As root the server runs as the postgres user, who must be able to enter the state dir.
	await chmod(stateDir, 0o755);
	const first = await startSandbox({port: 0, stateDir, database: 'managed'});
	t.teardown(async () => first.close());
	const before = await first.databaseConnection();
	t.true(first.database!.backupsDirectory().startsWith(join(stateDir, 'postgres')));
	await withClient(before, async client => client.query(`
		create table notes (id serial primary key, body text not null);
		insert into notes (body) select 'note ' || n from generate_series(1, 250) n;
	`));

	const api = async (sandbox: typeof first, method: string, path: string) => {
		const response = await fetch(`${sandbox.url}${path}`, {method, headers: {authorization: `Bearer ${sandbox.token}`, 'content-type': 'application/json'}, body: method === 'POST' ? JSON.stringify({name: 'cut short'}) : undefined});
		return {status: response.status, body: await response.json() as {data: {status: string}}};
	};

	await withClient(before, async locker => {
		await locker.query('begin');
		await locker.query('lock table notes in access exclusive mode');
		t.is((await api(first, 'POST', `${addonPath}/backups`)).status, 200);
		await until('pg_dump waiting for the lock', async () => withClient(before, async watcher => {
			const {rows} = await watcher.query('select 1 from pg_stat_activity where application_name = \'pg_dump\'');
			return rows.length > 0 ? true : undefined;
		}));
		await first.close();
	}).catch(() => undefined);

	const second = await startSandbox({port: 0, stateDir, database: 'managed'});
	t.teardown(async () => second.close());
	const after = await second.databaseConnection();
	t.is(after.password, before.password, 'the addon keeps its password');
	const {rows} = await withClient(after, async client => client.query('select count(*)::int as count from notes'));
	t.is(rows[0].count, 250, 'the rows survived the restart');
	const cut = await api(second, 'GET', `${addonPath}/backups/cut-short`);
	t.is(cut.body.data.status, 'failed');
});
