// Saving what the log viewer holds (or its filtered lines) to a file: plain text without a single
// escape code, readable only by the user (0600), and never over an existing file unless asked.
import {open} from 'node:fs/promises';
import {homedir} from 'node:os';
import {resolve} from 'node:path';
import process from 'node:process';
import {entryPlainText} from '../core/log-entry.js';
import type {LogList} from '../core/log-index.js';
import type {LogStore} from '../core/log-store.js';

export type SaveOutcome =
	| {kind: 'saved'; path: string; lines: number}
	| {kind: 'exists'; path: string}
	| {kind: 'failed'; path: string; error: string};

const linesPerChunk = 10_000;

/**
 * The listed lines as text, taken now (lines arriving during the write are not in it): ISO time,
 * `[source]` in merged views, the line as shown (JSON readable or raw).
 */
export function logFileChunks(store: LogStore, list: LogList, raw: boolean): {chunks: string[]; lines: number} {
	const merged = store.sources.length > 1;
	const chunks: string[] = [];
	let chunk: string[] = [];
	let lines = 0;
	for (let position = 0; position < list.count; position++) {
		const seq = list.seqAt(position);
		const entry = seq === undefined ? undefined : store.entry(seq);
		if (!entry) {
			continue;
		}

		const source = merged ? `[${store.sources[entry.source]?.label ?? '?'}] ` : '';
		chunk.push(`${new Date(entry.timestamp).toISOString()} ${source}${entryPlainText(entry, raw)}\n`);
		lines++;
		if (chunk.length === linesPerChunk) {
			chunks.push(chunk.join(''));
			chunk = [];
		}
	}

	if (chunk.length > 0) {
		chunks.push(chunk.join(''));
	}

	return {chunks, lines};
}

/** `~/x.log` and relative paths, from the current directory. */
export function resolveSavePath(typed: string): string {
	const trimmed = typed.trim();
	const expanded = trimmed === '~' || trimmed.startsWith('~/') ? homedir() + trimmed.slice(1) : trimmed;
	return resolve(process.cwd(), expanded);
}

const errorText = (error: unknown): string => {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	const reasons: Record<string, string> = {
		EACCES: 'permission denied',
		ENOENT: 'the folder does not exist',
		EISDIR: 'that is a folder',
		ENOSPC: 'the disk is full',
		EROFS: 'the file system is read-only',
	};
	return (code && reasons[code]) ?? (error instanceof Error ? error.message : String(error));
};

export async function saveLogFile(path: string, chunks: readonly string[], lines: number, options: {overwrite: boolean}): Promise<SaveOutcome> {
	let handle;
	try {
		handle = await open(path, options.overwrite ? 'w' : 'wx', 0o600);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
			return {kind: 'exists', path};
		}

		return {kind: 'failed', path, error: errorText(error)};
	}

	try {
		// An existing file keeps its mode on open: make it private like a new one.
		await handle.chmod(0o600);
		for (const chunk of chunks) {
			await handle.write(chunk);
		}

		return {kind: 'saved', path, lines};
	} catch (error) {
		return {kind: 'failed', path, error: errorText(error)};
	} finally {
		await handle.close();
	}
}
