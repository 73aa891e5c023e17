// The verification ladder of release-safety §3.2, run on one archive: 'captured' (a file exists),
// 'readable' (checksum, table of contents with tables, every data block reads), 'verified' (restored
// into a scratch database and the row counts match). Only 'verified' may be called verified.
import {stat} from 'node:fs/promises';
import type {DatabaseConnection} from '../../core/database.js';
import {listArchive, readArchiveData, sha256File} from './archive-files.js';
import {restoreToScratch} from './scratch-restore.js';

export type BackupLevel = 'captured' | 'readable' | 'verified';

export type CountMismatch = {table: string; expected: number; actual: number | undefined};

export type BackupVerification = {
	level: BackupLevel;
	sha256: string;
	bytes: number;
	/** The table of contents lists and names tables (and every required one). */
	tocOk: boolean;
	tables: string[];
	restoreTested: boolean;
	rowCounts: Record<string, number>;
	/** Tables whose restored count differs from expectedCounts (actual undefined: table missing). */
	mismatches: CountMismatch[];
	/** One line for the operator: the level reached and, below 'verified', why not higher. */
	message: string;
};

export type VerifyOptions = {
	/** Run rung 4: restore into a scratch database (needs CREATEDB). */
	restore: boolean;
	/** Row counts of the source (from dumpDatabase's countRows) the restore must reproduce. */
	expectedCounts?: Record<string, number>;
	/** The SHA-256 recorded at capture: a different file is not the backup. */
	sha256?: string;
	/** Tables the table of contents must name, e.g. ['django_migrations']. */
	requiredTables?: string[];
	signal?: AbortSignal;
};

export async function verifyBackup(conn: DatabaseConnection, file: string, options: VerifyOptions): Promise<BackupVerification> {
	const bytes = await stat(file).then(info => info.size, () => 0);
	const base = {sha256: '', bytes, tocOk: false, tables: [] as string[], restoreTested: false, rowCounts: {}, mismatches: [] as CountMismatch[]};
	if (bytes === 0) {
		return {...base, level: 'captured', message: `${file} is missing or empty: there is no backup to read.`};
	}

	const sha256 = await sha256File(file);
	if (options.sha256 && options.sha256 !== sha256) {
		return {...base, sha256, level: 'captured', message: `The SHA-256 of ${file} is ${sha256}, not ${options.sha256} as recorded at capture: it is not the backup that was taken.`};
	}

	const listing = await listArchive(file);
	const missing = (options.requiredTables ?? []).filter(table => !listing.tables.includes(table));
	const tocOk = listing.ok && listing.tables.length > 0 && missing.length === 0;
	const listed = {...base, sha256, tocOk, tables: listing.tables};
	if (!listing.ok) {
		return {...listed, level: 'captured', message: `pg_restore cannot read the archive's table of contents: ${listing.error ?? 'unknown error'}`};
	}

	if (!tocOk) {
		const what = listing.tables.length === 0 ? 'no tables at all' : `no ${missing.join(', ')}`;
		return {...listed, level: 'captured', message: `The archive lists ${listing.entries} entries but ${what}: it is not a backup of the application's database.`};
	}

	const data = await readArchiveData(file);
	if (!data.ok) {
		return {...listed, level: 'captured', message: `The table of contents reads, but the data does not: ${data.error ?? 'unknown error'}`};
	}

	const readable = `readable: ${listing.tables.length} tables listed, every data block reads, SHA-256 ${sha256.slice(0, 12)}…`;
	if (!options.restore) {
		return {...listed, level: 'readable', message: `${capitalise(readable)}; not restored, so not verified.`};
	}

	const expected = options.expectedCounts;
	const scratch = await restoreToScratch(conn, file, {tables: expected ? Object.keys(expected) : undefined, signal: options.signal});
	const restored = {...listed, restoreTested: true, rowCounts: scratch.rowCounts};
	if (!scratch.ok) {
		return {...restored, level: 'readable', message: `${capitalise(readable)}; the scratch restore failed: ${scratch.error ?? 'unknown error'}`};
	}

	const mismatches = Object.entries(expected ?? {})
		.filter(([table, count]) => scratch.rowCounts[table] !== count)
		.map(([table, count]) => ({table, expected: count, actual: scratch.rowCounts[table]}));
	if (mismatches.length > 0) {
		const list = mismatches.map(mismatch => `${mismatch.table} ${mismatch.actual ?? 'missing'} (expected ${mismatch.expected})`).join(', ');
		return {...restored, mismatches, level: 'readable', message: `${capitalise(readable)}; restored, but row counts differ: ${list}.`};
	}

	const counted = Object.keys(scratch.rowCounts).length;
	const leftOver = scratch.dropped ? '' : ` (${scratch.error ?? 'the scratch database was left behind'})`;
	return {...restored, level: 'verified', message: `Verified: restored into a scratch database in ${Math.round(scratch.ms / 100) / 10}s, ${counted} table counts ${expected ? 'match the source' : 'taken'}${leftOver}.`};
}

function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
