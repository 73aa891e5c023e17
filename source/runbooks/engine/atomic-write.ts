import {open, rename, rm} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';

let temporaryCounter = 0;

/**
 * Replaces `path` with `text` so that a reader (or a process restarted after kill -9) sees either the
 * old file or the new one, never a mix: temp file in the same directory, fsync, rename, fsync the directory.
 */
export async function writeFileAtomic(path: string, text: string, mode = 0o600): Promise<void> {
	const directory = dirname(path);
	const temporary = join(directory, `.${basename(path)}.${process.pid}.${++temporaryCounter}.tmp`);
	const file = await open(temporary, 'wx', mode);
	try {
		await file.writeFile(text, 'utf8');
		await file.sync();
	} catch (error) {
		await file.close();
		await rm(temporary, {force: true});
		throw error;
	}

	await file.close();
	try {
		await rename(temporary, path);
	} catch (error) {
		await rm(temporary, {force: true});
		throw error;
	}

	await syncDirectory(directory);
}

/** Makes a rename or a new name durable: without it a power cut can bring the old directory entry back. */
export async function syncDirectory(directory: string): Promise<void> {
	const handle = await open(directory, 'r');
	try {
		await handle.sync();
	} catch {
		// Some file systems refuse fsync on a directory; the rename itself is still atomic there.
	} finally {
		await handle.close();
	}
}
