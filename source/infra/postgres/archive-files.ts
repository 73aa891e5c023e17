// Reading a pg_dump custom-format archive without a database: the cheap rungs of the verification
// ladder (release-safety §3.2) — checksum, table of contents, every data block readable.
import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {stat} from 'node:fs/promises';
import {devNull} from 'node:os';
import {findClientProgram, programMessage, runProgram} from './client-programs.js';

/** The SHA-256 of a file, hex: recorded at capture, checked again before any restore or copy. */
export async function sha256File(file: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(file)) {
		hash.update(chunk as Buffer);
	}

	return hash.digest('hex');
}

export type ArchiveListing = {
	ok: boolean;
	/** Tables in the archive's table of contents: bare in public, else "schema.table". */
	tables: string[];
	/** Entries in the table of contents. */
	entries: number;
	/** "15.18 (Debian 15.18-0+deb12u1)", from the archive header. */
	dumpedFrom?: string;
	pgDumpVersion?: string;
	/** pg_restore's own words when the archive cannot be read. */
	error?: string;
};

/** `pg_restore --list`: the archive's table of contents is readable and names these tables. Needs no database. */
export async function listArchive(file: string): Promise<ArchiveListing> {
	const missing = await unreadableFile(file);
	if (missing) {
		return {ok: false, tables: [], entries: 0, error: missing};
	}

	const pgRestore = await findClientProgram('pg_restore');
	const result = await runProgram(pgRestore.path, ['--list', file], {env: localEnvironment(), keepStdout: true});
	if (result.code !== 0) {
		return {ok: false, tables: [], entries: 0, error: programMessage('pg_restore', result)};
	}

	const tables: string[] = [];
	let entries = 0;
	for (const line of result.stdout.split('\n')) {
		if (/^\d+;/.test(line)) {
			entries++;
		}

		// "218; 1259 16395 TABLE public notes_note postgres": schema, name (may hold spaces), owner (may be empty).
		const table = /^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (.+) (\S*)$/.exec(line);
		if (table) {
			tables.push(table[1] === 'public' ? table[2]! : `${table[1]}.${table[2]}`);
		}
	}

	const dumpedFrom = /^;\s+Dumped from database version: (.+)$/m.exec(result.stdout)?.[1]?.trim();
	const pgDumpVersion = /^;\s+Dumped by pg_dump version: (.+)$/m.exec(result.stdout)?.[1]?.trim();
	return {ok: true, tables, entries, ...(dumpedFrom ? {dumpedFrom} : {}), ...(pgDumpVersion ? {pgDumpVersion} : {})};
}

/**
 * Reads every data block of the archive, restoring it to nowhere (`pg_restore -f /dev/null`): a file
 * cut short after its table of contents lists fine but fails here. Needs no database.
 */
export async function readArchiveData(file: string): Promise<{ok: boolean; error?: string}> {
	const missing = await unreadableFile(file);
	if (missing) {
		return {ok: false, error: missing};
	}

	const pgRestore = await findClientProgram('pg_restore');
	const result = await runProgram(pgRestore.path, [`--file=${devNull}`, file], {env: localEnvironment()});
	return result.code === 0 ? {ok: true} : {ok: false, error: programMessage('pg_restore', result)};
}

async function unreadableFile(file: string): Promise<string | undefined> {
	try {
		const info = await stat(file);
		return info.size === 0 ? `${file} is empty` : undefined;
	} catch {
		return `${file} does not exist or cannot be read`;
	}
}

/** For pg_restore on a file alone: no server settings of the caller's leak in, English messages. */
function localEnvironment(): Record<string, string> {
	return Object.fromEntries([...Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('PG')), ['LC_MESSAGES', 'C']]);
}
