// The Compose backup path (pg_dump -Fc in the db container, streamed over SSH to a local file, then
// listed and hashed) against a direct `pg_dump -Fc` of the same database from this machine
// (dumpDatabase, which hashes too). BENCH_BACKUP_ROWS sizes the database (2,000,000 rows ≈ 400 MB),
// BENCH_BACKUP_ROUTE=bastion goes through the bastion. Run by bench/run.mjs through tsx; prints JSON.
import {rm} from 'node:fs/promises';
import {join} from 'node:path';
import {dumpDatabase} from '../source/infra/postgres/index.js';
import {ComposeProvider} from '../source/providers/compose/index.js';
import {startComposeHost} from '../test/helpers/compose-host.js';

const rows = Number(process.env.BENCH_BACKUP_ROWS ?? 2_000_000);
const rounds = Number(process.env.BENCH_BACKUP_ROUNDS ?? 2);

const world = await startComposeHost({rows});
const route = process.env.BENCH_BACKUP_ROUTE === 'bastion' ? 'bastion' : 'direct';
const compose = new ComposeProvider(world.options(route));
try {
	const {postgres} = world;
	const direct = {host: postgres.host, port: postgres.port, user: postgres.user, database: postgres.database, ssl: 'disable' as const, source: 'the benchmark'};
	const databaseBytes = await sizeOf(direct);
	const directMs: number[] = [];
	const composeMs: number[] = [];
	let archiveBytes = 0;
	for (let round = 0; round < rounds; round++) {
		const file = join(world.backupDirectory, `direct-${round}.dump`);
		let started = performance.now();
		await dumpDatabase(direct, file);
		directMs.push(performance.now() - started);
		await rm(file);

		started = performance.now();
		const backup = await compose.createBackup('db');
		composeMs.push(performance.now() - started);
		if (backup.status !== 'completed') {
			throw new Error(`the Compose backup failed: ${backup.error ?? backup.rawStatus}`);
		}

		archiveBytes = backup.sizeBytes ?? 0;
		await rm(backup.file);
	}

	const best = (values: number[]): number => Math.min(...values);
	console.log(JSON.stringify({route, rows, databaseBytes, archiveBytes, directMs: best(directMs), composeMs: best(composeMs), ratio: best(directMs) / best(composeMs)}));
} finally {
	await compose.close();
	await world.stop();
}

async function sizeOf(connection: {host: string; port: number; user: string; database: string}): Promise<number> {
	const {default: pg} = await import('pg');
	const client = new pg.Client({host: connection.host, port: connection.port, user: connection.user, database: connection.database});
	await client.connect();
	try {
		const {rows: [row]} = await client.query<{bytes: string}>('select pg_database_size(current_database()) as bytes');
		return Number(row!.bytes);
	} finally {
		await client.end();
	}
}
