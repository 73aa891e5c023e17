import {stat} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import pg from 'pg';
import {ProviderError} from '../../source/core/errors.js';
import {listArchive, sha256File} from '../../source/infra/postgres/index.js';
import {ComposeProvider} from '../../source/providers/compose/index.js';
import {startComposeHost, type ComposeHostWorld} from '../helpers/compose-host.js';

let world: ComposeHostWorld;
let compose: ComposeProvider;

test.before(async () => {
	world = await startComposeHost({rows: 2000});
	compose = new ComposeProvider(world.options('bastion'));
});

test.after.always(async () => {
	await compose?.close();
	await world?.stop();
});

test.serial('a backup through the bastion is pg_dump -Fc from the db container, on local disk, listed and hashed', async t => {
	const backup = await compose.createBackup('db', {name: 'before-release'});
	t.like(backup, {status: 'completed', rawStatus: 'completed', kind: 'dump', name: 'before-release'});
	const {size, mode} = await stat(backup.file);
	t.is(backup.sizeBytes, size);
	t.is(mode & 0o777, 0o600);
	t.is(backup.sha256, await sha256File(backup.file));
	const listing = await listArchive(backup.file);
	t.true(listing.ok);
	t.true(listing.tables.includes('notes_note'));
	t.is(backup.tables, listing.tables.length);

	t.deepEqual((await compose.listBackups('db')).map(listed => listed.id), [backup.id]);
	t.like(await compose.getBackup('db', backup.id), {status: 'completed', sha256: backup.sha256});
	t.is(fileURLToPath(await compose.getBackupDownloadUrl('db', backup.id)), backup.file);
	t.deepEqual((await compose.listAddons()).map(addon => addon.status), ['running']);
});

test.serial('a failed pg_dump is recorded as a failed backup in pg_dump\'s words, and leaves no archive', async t => {
	const admin = new pg.Client({host: world.postgres.host, port: world.postgres.port, user: 'postgres', database: 'postgres'});
	await admin.connect();
	try {
		await admin.query(`alter database ${world.postgres.database} with allow_connections false`);
		const backup = await compose.createBackup('db');
		t.like(backup, {status: 'failed', rawStatus: 'failed'});
		t.regex(backup.error ?? '', /^pg_dump in the db container on compose-behind failed \(exit 1\): .*is not currently accepting connections/);
		t.is(backup.sizeBytes, undefined);
		await t.throwsAsync(stat(backup.file));
		await t.throwsAsync(stat(`${backup.file}.partial`));
		t.like(await compose.getBackup('db', backup.id), {status: 'failed'});
		await t.throwsAsync(compose.getBackupDownloadUrl('db', backup.id), {instanceOf: ProviderError, message: /no archive/});
	} finally {
		await admin.query(`alter database ${world.postgres.database} with allow_connections true`);
		await admin.end();
	}
});

test.serial('the database is reachable through an SSH tunnel with the service\'s own settings', async t => {
	const connection = await compose.getDatabaseConnection('db');
	t.like(connection, {host: '127.0.0.1', user: 'postgres', database: world.postgres.database, ssl: 'disable'});
	t.not(connection.port, world.postgres.port);
	const client = new pg.Client({host: connection.host, port: connection.port, user: connection.user, database: connection.database});
	await client.connect();
	try {
		const {rows} = await client.query<{count: string}>('select count(*) from notes_note');
		t.is(rows[0]!.count, '2000');
	} finally {
		await client.end();
	}
});

test.serial('a backup of anything but the db service is refused', async t => {
	const error = await t.throwsAsync(compose.createBackup('backend'), {instanceOf: ProviderError});
	t.is(error.kind, 'not-found');
	t.regex(error.message, /only database of this Compose context is the db service/);
});
