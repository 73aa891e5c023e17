import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {startPostgres, type PostgresServer} from '../helpers/postgres.js';
import {downloadBackup, freshDatabaseUrl, listArchive, OffsetClock, settledBackup, until, withClient} from './database-helpers.js';
import {addonPath, sandboxFor} from './helpers.js';

let server: PostgresServer | undefined;

test.before(async () => {
	server = await startPostgres();
});

test.after.always(async () => {
	await server?.stop();
});

async function sandboxOnServer(t: ExecutionContext, clock?: OffsetClock) {
	const url = await freshDatabaseUrl(server!);
	const api = await sandboxFor(t, {database: {url}, ...(clock ? {now: clock.now} : {})});
	const connection = await api.sandbox.databaseConnection();
	await withClient(connection, async client => client.query(`
		create table notes (id serial primary key, body text not null);
		create table tags (id serial primary key, name text not null);
		insert into notes (body) select 'note ' || n from generate_series(1, 500) n;
	`));
	const directory = await mkdtemp(join(tmpdir(), 'wheelhouse-downloads-'));
	t.teardown(async () => rm(directory, {recursive: true, force: true}));
	return {api, connection, directory};
}

test('a backup is a real pg_dump: completed with the archive\'s size, and its download lists the tables', async t => {
	const {api, directory} = await sandboxOnServer(t);
	const created = await api.post(`${addonPath}/backups`, {name: 'before release', backupType: 'dump'});
	t.is(created.status, 200);
	t.like(created.body.data, {id: 'before-release', status: 'in-progress'});

	const backup = await settledBackup(api, 'before-release');
	t.is(backup.status, 'completed');
	t.regex(backup.completedAt, /Z$/);
	const size = Number(backup.config.size);
	t.true(size > 0);

	const download = await downloadBackup(api, 'before-release', directory);
	t.true(download.link.startsWith(`${api.sandbox.url}/_sandbox/downloads/`));
	t.is(download.bytes, size, 'the listed size is the archive\'s');
	const listing = await listArchive(download.file);
	t.true(listing.ok);
	if (listing.ok) {
		t.regex(listing.toc, /TABLE public notes /);
		t.regex(listing.toc, /TABLE public tags /);
		t.regex(listing.toc, /TABLE DATA public notes /);
	}
});

test('a download link works without the API token and expires after an hour', async t => {
	const clock = new OffsetClock();
	const {api} = await sandboxOnServer(t, clock);
	await api.post(`${addonPath}/backups`, {name: 'for download'});
	await settledBackup(api, 'for-download');
	const {body} = await api.get(`${addonPath}/backups/for-download/download-link`);
	const link = body.data.downloadLink as string;

	const fresh = await fetch(link);
	t.is(fresh.status, 200);
	t.is(fresh.headers.get('content-type'), 'application/octet-stream');
	await fresh.arrayBuffer();

	clock.advance(59 * 60 * 1000);
	const late = await fetch(link);
	t.is(late.status, 200, 'still valid just before the hour');
	await late.arrayBuffer();

	clock.advance(2 * 60 * 1000);
	const expired = await fetch(link);
	t.is(expired.status, 403);
	t.regex((await expired.json() as {error: {message: string}}).error.message, /expired/);

	const unknown = await fetch(`${api.sandbox.url}/_sandbox/downloads/no-such-token`);
	t.is(unknown.status, 404);
	await unknown.arrayBuffer();
	const anotherLink = await api.get(`${addonPath}/backups/for-download/download-link`);
	t.not(anotherLink.body.data.downloadLink, link, 'every request makes a new link');
});

test('while pg_dump waits for a lock the backup is in progress and the addon busy', async t => {
	const {api, connection} = await sandboxOnServer(t);
	await withClient(connection, async locker => {
		await locker.query('begin');
		await locker.query('lock table notes in access exclusive mode');
		await api.post(`${addonPath}/backups`, {name: 'blocked'});
		// Another session: inside the locker's transaction, pg_stat_activity would not change.
		await until('pg_dump waiting for the lock', async () => withClient(connection, async watcher => {
			const {rows} = await watcher.query('select 1 from pg_stat_activity where application_name = \'pg_dump\' and wait_event_type = \'Lock\'');
			return rows.length > 0 ? true : undefined;
		}));
		t.is((await api.get(`${addonPath}/backups/blocked`)).body.data.status, 'in-progress');
		t.is((await api.get(addonPath)).body.data.status, 'backup');
		t.is((await api.post(`${addonPath}/backups`, {})).status, 409, 'one backup at a time');
		const link = await api.get(`${addonPath}/backups/blocked/download-link`);
		t.is(link.status, 409);
		t.regex(link.body.error.message, /in-progress.+only a completed backup can be downloaded/);
		await locker.query('commit');
	});
	t.is((await settledBackup(api, 'blocked')).status, 'completed');
	t.is((await api.get(addonPath)).body.data.status, 'running');
});

test('fail-next backup: pg_dump fails, and the failed backup can be neither downloaded nor restored', async t => {
	const {api} = await sandboxOnServer(t);
	t.is((await api.post('/_sandbox/fail-next', {kind: 'backup'})).status, 200);
	await api.post(`${addonPath}/backups`, {name: 'doomed'});
	const backup = await settledBackup(api, 'doomed');
	t.is(backup.status, 'failed');
	t.is(backup.config.size, '0');
	t.is((await api.get(`${addonPath}/backups/doomed/download-link`)).status, 409);
	t.is((await api.post(`${addonPath}/backups/doomed/restore`)).status, 409);

	await api.post(`${addonPath}/backups`, {name: 'next one'});
	t.is((await settledBackup(api, 'next-one')).status, 'completed', 'only the next backup fails');
});

test('fail-next backup-corrupt: the backup completes with a size, but its archive cannot be read', async t => {
	const {api, connection, directory} = await sandboxOnServer(t);
	api.sandbox.failNext('backup-corrupt');
	await api.post(`${addonPath}/backups`, {name: 'broken'});
	const backup = await settledBackup(api, 'broken');
	t.is(backup.status, 'completed');
	t.true(Number(backup.config.size) > 0);

	const download = await downloadBackup(api, 'broken', directory);
	t.is(download.bytes, Number(backup.config.size));
	const listing = await listArchive(download.file);
	t.false(listing.ok, 'pg_restore --list fails');

	const restore = await api.post(`${addonPath}/backups/broken/restore`);
	t.is(restore.status, 200);
	const settled = await until('the restore', async () => {
		const [latest] = (await api.get(`${addonPath}/restores`)).body.data.restores;
		return latest.status === 'in-progress' ? undefined : latest;
	});
	t.is(settled.status, 'failed');
	const {rows} = await withClient(connection, async client => client.query('select count(*)::int as count from notes'));
	t.is(rows[0].count, 500, 'a failed restore of an unreadable archive leaves the data');
});

test('seeded history backups have no archive: download and restore say so', async t => {
	const {api} = await sandboxOnServer(t);
	const {backups} = (await api.get(`${addonPath}/backups`)).body.data;
	const seeded = backups.find((backup: {id: string}) => backup.id.startsWith('pre-release-'));
	t.truthy(seeded);
	for (const reply of [await api.get(`${addonPath}/backups/${seeded.id as string}/download-link`), await api.post(`${addonPath}/backups/${seeded.id as string}/restore`)]) {
		t.is(reply.status, 409);
		t.regex(reply.body.error.message, /simulated .+no archive; take a new backup/);
	}
});
