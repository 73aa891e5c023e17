import test from 'ava';
import {startPostgres, type PostgresServer} from '../helpers/postgres.js';
import {freshDatabaseUrl, settledBackup, until, withClient} from './database-helpers.js';
import {addonPath, sandboxFor} from './helpers.js';

let server: PostgresServer | undefined;

test.before(async () => {
	server = await startPostgres();
});

test.after.always(async () => {
	await server?.stop();
});

test('a restore brings back rows deleted after the backup, ends other sessions, and is listed completed', async t => {
	const api = await sandboxFor(t, {database: {url: await freshDatabaseUrl(server!)}});
	const connection = await api.sandbox.databaseConnection();
	const count = async () => withClient(connection, async client => (await client.query<{count: number}>('select count(*)::int as count from notes')).rows[0]!.count);
	await withClient(connection, async client => client.query(`
		create table notes (id serial primary key, body text not null);
		insert into notes (body) select 'note ' || n from generate_series(1, 300) n;
	`));
	await api.post(`${addonPath}/backups`, {name: 'pre-release', backupType: 'dump'});
	t.is((await settledBackup(api, 'pre-release')).status, 'completed');

	await withClient(connection, async client => client.query('delete from notes where id > 100'));
	t.is(await count(), 100);

	await withClient(connection, async bystander => {
		await bystander.query('select 1');
		const restore = await api.post(`${addonPath}/backups/pre-release/restore`);
		t.is(restore.status, 200);
		const {restoreId} = restore.body.data;
		const restored = await until('the restore', async () => {
			const [latest] = (await api.get(`${addonPath}/restores`)).body.data.restores;
			return latest.status === 'in-progress' ? undefined : latest;
		});
		t.like(restored, {id: restoreId, backupId: 'pre-release', status: 'completed'});
		t.regex(restored.completedAt, /Z$/);
		t.regex(restored.restoreTimestamp, /Z$/);
		await t.throwsAsync(bystander.query('select 1'), undefined, 'a restore ends the database\'s other sessions');
	});

	t.is(await count(), 300, 'the deleted rows are back');
	const backup = (await api.get(`${addonPath}/backups/pre-release`)).body.data;
	t.like(backup.lastRestore, {status: 'completed'});
	const ofBackup = (await api.get(`${addonPath}/backups/pre-release/restores`)).body.data.restores;
	t.is(ofBackup.length, 1);
	t.is((await api.get(addonPath)).body.data.status, 'running');
});

test('while a restore runs the addon is in "restore" and takes no backup', async t => {
	const api = await sandboxFor(t, {database: {url: await freshDatabaseUrl(server!)}});
	const connection = await api.sandbox.databaseConnection();
	await withClient(connection, async client => client.query('create table big as select n, repeat(\'x\', 200) as filler from generate_series(1, 200000) n'));
	await api.post(`${addonPath}/backups`, {name: 'big'});
	await settledBackup(api, 'big');
	// A restore ends every other session first, so no lock can hold it back: 200,000 rows keep it busy
	// long enough to be seen from the first poll on.
	const restore = await api.post(`${addonPath}/backups/big/restore`);
	t.is(restore.status, 200);
	const seen = new Set<string>();
	await until('the restore', async () => {
		const [addon, restores] = await Promise.all([api.get(addonPath), api.get(`${addonPath}/restores`)]);
		seen.add(addon.body.data.status);
		if (addon.body.data.status === 'restore') {
			t.is((await api.post(`${addonPath}/backups`, {})).status, 409);
		}

		return restores.body.data.restores[0].status === 'in-progress' ? undefined : true;
	});
	t.true(seen.has('restore'), `statuses seen: ${[...seen].join(', ')}`);
	t.is((await api.get(addonPath)).body.data.status, 'running');
});

test('a restore after a migration removes what the migration made, even tables referencing restored ones', async t => {
	const api = await sandboxFor(t, {database: {url: await freshDatabaseUrl(server!)}});
	const connection = await api.sandbox.databaseConnection();
	await withClient(connection, async client => client.query('create table notes (id serial primary key, body text not null); insert into notes (body) values (\'kept\')'));
	await api.post(`${addonPath}/backups`, {name: 'before migration'});
	t.is((await settledBackup(api, 'before-migration')).status, 'completed');
	await withClient(connection, async client => client.query(`
		create table attachments (id serial primary key, note_id integer not null references notes (id));
		alter table notes add column pinned boolean not null default false;
	`));

	await api.post(`${addonPath}/backups/before-migration/restore`);
	const restored = await until('the restore', async () => {
		const [latest] = (await api.get(`${addonPath}/restores`)).body.data.restores;
		return latest.status === 'in-progress' ? undefined : latest;
	});
	t.is(restored.status, 'completed');
	const {rows} = await withClient(connection, async client => client.query<{table: string | null; columns: string}>(`
		select to_regclass('attachments')::text as "table",
		       (select string_agg(column_name, ',' order by ordinal_position) from information_schema.columns where table_name = 'notes') as columns
	`));
	t.deepEqual(rows[0], {table: null, columns: 'id,body'});
});
