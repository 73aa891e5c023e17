import {createHash} from 'node:crypto';
import {readdir, readFile, stat, truncate, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import test from 'ava';
import type pg from 'pg';
import {
	connect, dumpDatabase, findClientProgram, listArchive, PostgresError, readArchiveData, restoreDatabase, restoreToScratch, rowCounts, sha256File, verifyBackup,
} from '../../../source/infra/postgres/index.js';
import {makeTempDir, removeTempDir} from '../../helpers/sshd.js';
import {startPostgres, type PostgresServer} from '../../helpers/postgres.js';
import {connectionTo, openSession} from './world.js';

let server: PostgresServer;
let client: pg.Client;
let dir: string;
let dumpFile: string;
let dumpSha256: string;
let dumpCounts: Record<string, number>;
const progress: string[] = [];

test.before(async () => {
	server = await startPostgres();
	dir = await makeTempDir('archive');
	client = await connect(connectionTo(server), {applicationName: 'test setup'});
	await client.query(`
		CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255) NOT NULL, name varchar(255) NOT NULL, applied timestamptz NOT NULL DEFAULT now());
		INSERT INTO django_migrations (app, name) VALUES ('notes', '0001_initial'), ('notes', '0002_body');
		CREATE TABLE notes_note (id serial PRIMARY KEY, title text NOT NULL, body text NOT NULL);
		-- Incompressible bodies, so the data blocks are most of the archive and a cut lands in them.
		INSERT INTO notes_note (title, body) SELECT 'note ' || g, encode(sha512(g::text::bytea), 'hex') || encode(sha512((g + 1)::text::bytea), 'hex') FROM generate_series(1, 20000) g;
		CREATE SCHEMA audit;
		CREATE TABLE audit.events (id bigserial PRIMARY KEY, what text);
		INSERT INTO audit.events (what) SELECT 'event ' || g FROM generate_series(1, 123) g;
	`);
	dumpFile = join(dir, 'release.dump');
	const dump = await dumpDatabase(connectionTo(server), dumpFile, {countRows: true, onProgress: line => progress.push(line)});
	dumpSha256 = dump.sha256;
	dumpCounts = dump.rowCounts ?? {};
});

test.after.always(async () => {
	await client?.end();
	await server?.stop();
	await removeTempDir(dir);
});

test('a dump is a private custom-format file with its size, checksum, versions and row counts', async t => {
	const info = await stat(dumpFile);
	t.is(info.mode & 0o777, 0o600);
	t.true(info.size > 100_000);
	t.is(dumpSha256, createHash('sha256').update(await readFile(dumpFile)).digest('hex'));
	t.is(await sha256File(dumpFile), dumpSha256);
	t.false((await readdir(dir)).includes('release.dump.partial'), 'no partial file is left');
	t.deepEqual(dumpCounts, {notes_note: 20_000, 'audit.events': 123, django_migrations: 2});
	t.true(progress.some(line => line.includes('dumping contents of table "public.notes_note"')), 'pg_dump --verbose lines reach onProgress');
});

test('pg_restore --list reads the table of contents and names the tables', async t => {
	const listing = await listArchive(dumpFile);
	t.true(listing.ok);
	t.deepEqual(listing.tables.toSorted(), ['audit.events', 'django_migrations', 'notes_note']);
	t.true(listing.entries > 10);
	t.regex(listing.dumpedFrom ?? '', /^\d+\.\d+/);
	t.regex(listing.pgDumpVersion ?? '', /^\d+\.\d+/);
	t.deepEqual(await readArchiveData(dumpFile), {ok: true});
});

test('a scratch restore reproduces the row counts, and the scratch database is dropped afterwards', async t => {
	const restored = await restoreToScratch(connectionTo(server), dumpFile);
	t.true(restored.ok, restored.error);
	t.true(restored.dropped);
	t.regex(restored.database, /^wheelhouse_scratch_[0-9a-f]{10}$/);
	t.deepEqual(restored.rowCounts, await rowCounts(client));
	const {rows} = await client.query<{count: number}>('SELECT count(*)::int AS count FROM pg_database WHERE datname = $1', [restored.database]);
	t.is(rows[0]!.count, 0);
});

test('a restore that fails still drops its scratch database and says why', async t => {
	const foreign = join(dir, 'not-a-dump.dump');
	await writeFile(foreign, 'PGDMP this is not really an archive');
	const restored = await restoreToScratch(connectionTo(server), foreign, {scratchName: 'wheelhouse_scratch_broken'});
	t.false(restored.ok);
	t.true(restored.dropped);
	t.regex(restored.error ?? '', /^pg_restore into wheelhouse_scratch_broken failed: /);
	const {rows} = await client.query<{count: number}>(`SELECT count(*)::int AS count FROM pg_database WHERE datname = 'wheelhouse_scratch_broken'`);
	t.is(rows[0]!.count, 0);
});

test('verifyBackup climbs to verified when the restored counts match the dump\'s', async t => {
	const result = await verifyBackup(connectionTo(server), dumpFile, {restore: true, expectedCounts: dumpCounts, sha256: dumpSha256, requiredTables: ['django_migrations']});
	t.like(result, {level: 'verified', sha256: dumpSha256, tocOk: true, restoreTested: true, mismatches: []});
	t.deepEqual(result.rowCounts, dumpCounts);
	t.regex(result.message, /^Verified: restored into a scratch database in [\d.]+s, 3 table counts match the source\.$/);
});

test('without a restore the best a good archive gets is readable', async t => {
	const result = await verifyBackup(connectionTo(server), dumpFile, {restore: false});
	t.like(result, {level: 'readable', tocOk: true, restoreTested: false});
	t.regex(result.message, /^Readable: 3 tables listed, every data block reads, SHA-256 [0-9a-f]{12}…; not restored, so not verified\.$/);
});

test('counts that differ keep the backup at readable and name the table', async t => {
	const result = await verifyBackup(connectionTo(server), dumpFile, {restore: true, expectedCounts: {...dumpCounts, notes_note: 20_001}});
	t.is(result.level, 'readable');
	t.deepEqual(result.mismatches, [{table: 'notes_note', expected: 20_001, actual: 20_000}]);
	t.regex(result.message, /row counts differ: notes_note 20000 \(expected 20001\)/);
});

test('a file cut short in its header fails --list with pg_restore\'s words, and stays captured', async t => {
	const cut = join(dir, 'cut-header.dump');
	await writeFile(cut, (await readFile(dumpFile)).subarray(0, 200));
	const listing = await listArchive(cut);
	t.false(listing.ok);
	t.regex(listing.error ?? '', /could not read from input file: end of file|unexpected end of file/);
	const result = await verifyBackup(connectionTo(server), cut, {restore: true});
	t.like(result, {level: 'captured', tocOk: false, restoreTested: false});
	t.regex(result.message, /^pg_restore cannot read the archive's table of contents: /);
});

test('a file cut short in its data lists fine but is caught reading the data', async t => {
	const cut = join(dir, 'cut-data.dump');
	await writeFile(cut, await readFile(dumpFile));
	await truncate(cut, Math.floor((await stat(dumpFile)).size * 0.6));
	const result = await verifyBackup(connectionTo(server), cut, {restore: false});
	t.is(result.level, 'captured');
	t.regex(result.message, /data does not: .*(end of file|could not read)/);
});

test('a checksum other than the recorded one is not the backup', async t => {
	const result = await verifyBackup(connectionTo(server), dumpFile, {restore: false, sha256: '0'.repeat(64)});
	t.is(result.level, 'captured');
	t.regex(result.message, /not 0{64} as recorded at capture/);
});

test('an empty or missing file is captured at best', async t => {
	const empty = join(dir, 'empty.dump');
	await writeFile(empty, '');
	t.like(await verifyBackup(connectionTo(server), empty, {restore: true}), {level: 'captured', bytes: 0});
	t.deepEqual(await listArchive(join(dir, 'missing.dump')), {ok: false, tables: [], entries: 0, error: `${join(dir, 'missing.dump')} does not exist or cannot be read`});
});

test('a dump that cannot get its lock in time fails naming the cause, and leaves no file', async t => {
	const locker = await openSession(server, 'migration holding a lock');
	const file = join(dir, 'locked.dump');
	try {
		await locker.query('BEGIN');
		await locker.query('LOCK TABLE audit.events IN ACCESS EXCLUSIVE MODE');
		const error = await t.throwsAsync(dumpDatabase(connectionTo(server), file, {lockWaitTimeout: '300ms'}), {instanceOf: PostgresError});
		t.regex(error.message, new RegExp(`^pg_dump could not dump postgres@127\\.0\\.0\\.1:${server.port}/wheelhouse_test: .*Query was: LOCK TABLE audit\\.events IN ACCESS SHARE MODE$`));
		t.is(error.hint, 'Nothing was changed (pg_dump could not lock a table in time: another session holds it): find the session in the way with the preflight, then try again.');
		const left = await readdir(dir);
		t.false(left.includes('locked.dump'));
		t.false(left.includes('locked.dump.partial'));
	} finally {
		await locker.query('ROLLBACK');
		await locker.end();
	}
});

test('a lock wait timeout PostgreSQL cannot read is refused before anything runs', async t => {
	const error = await t.throwsAsync(dumpDatabase(connectionTo(server), join(dir, 'never.dump'), {lockWaitTimeout: '30s; rm -rf /'}), {instanceOf: PostgresError});
	t.regex(error.message, /is not a duration PostgreSQL reads/);
});

test('a role without CREATEDB gets a scratch restore that says so, and the backup stays readable', async t => {
	await client.query('CREATE ROLE app_only LOGIN NOCREATEDB');
	const conn = connectionTo(server, {user: 'app_only'});
	const restored = await restoreToScratch(conn, dumpFile);
	t.false(restored.ok);
	t.regex(restored.error ?? '', /^Cannot create the scratch database wheelhouse_scratch_[0-9a-f]+: the role app_only may not create databases \(it needs CREATEDB\)\.$/);
	const result = await verifyBackup(conn, dumpFile, {restore: true, expectedCounts: dumpCounts});
	t.like(result, {level: 'readable', restoreTested: true});
	t.regex(result.message, /the scratch restore failed: Cannot create the scratch database/);
});

test('a pg_dump older than the server is an error naming both versions', async t => {
	const error = await t.throwsAsync(findClientProgram('pg_dump', {minimumMajor: 99}), {instanceOf: PostgresError});
	t.is(error.kind, 'client-program');
	t.is(error.exitCode, 2);
	t.regex(error.message, /^pg_dump \d+\.\d+.* is older than the server \(major version 99\)/);
	t.regex(error.hint ?? '', /postgresql-client-99/);
});

test('restoreDatabase puts the database back as the archive has it, and refuses a file with the wrong checksum', async t => {
	// A name pg_restore would take for a connection string if it were passed bare.
	const source = 'restore target=1';
	await client.query(`CREATE DATABASE "${source}"`);
	const conn = connectionTo(server, {database: source});
	const target = await connect(conn, {applicationName: 'test'});
	try {
		await target.query(`CREATE TABLE notes_note (id serial PRIMARY KEY, title text); INSERT INTO notes_note (title) VALUES ('kept'), ('also kept')`);
		const file = join(dir, 'target.dump');
		const dump = await dumpDatabase(conn, file);
		await target.query(`DELETE FROM notes_note; CREATE TABLE added_later (x int)`);

		const refused = await t.throwsAsync(restoreDatabase(conn, file, {sha256: 'f'.repeat(64)}), {instanceOf: PostgresError});
		t.regex(refused.message, /^Refusing to restore .*target\.dump: its SHA-256 is [0-9a-f]{64}, not f{64}/);
		t.deepEqual(await rowCounts(target, ['notes_note']), {notes_note: 0}, 'nothing changed');

		await restoreDatabase(conn, file, {sha256: dump.sha256});
		t.deepEqual(await rowCounts(target, ['notes_note']), {notes_note: 2});
		t.deepEqual(await rowCounts(target, ['added_later']), {added_later: 0}, 'tables not in the archive are left alone by --clean');
	} finally {
		await target.end();
	}
});
