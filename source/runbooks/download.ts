// Fetches a backup archive from the platform's temporary link to a local file, hashing as it goes.
import {createHash} from 'node:crypto';
import {createWriteStream} from 'node:fs';
import {mkdir, open, rename, rm} from 'node:fs/promises';
import {dirname} from 'node:path';
import {Readable, Transform} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import type {ReadableStream} from 'node:stream/web';
import {fileURLToPath} from 'node:url';
import {WheelhouseError} from '../core/errors.js';

export async function downloadArchive(url: string, file: string, signal?: AbortSignal): Promise<{bytes: number; sha256: string}> {
	await mkdir(dirname(file), {recursive: true, mode: 0o700});
	if (url.startsWith('file:')) {
		// Compose backups are already on this machine: a copy, hashed the same way.
		return copyArchive(fileURLToPath(url), file);
	}

	let response: Response;
	try {
		response = await fetch(url, {signal});
	} catch (error) {
		throw new WheelhouseError(`Could not download the backup (${(error as {cause?: {code?: string}}).cause?.code ?? (error as Error).message}).`, {hint: 'Check the connection to the platform and try again.'});
	}

	if (!response.ok || !response.body) {
		throw new WheelhouseError(`Could not download the backup: the link answered ${response.status}.`, {hint: 'The link may have expired; the step asks for a new one when retried.'});
	}

	return writeHashed(Readable.fromWeb(response.body as ReadableStream), file);
}

async function copyArchive(source: string, file: string): Promise<{bytes: number; sha256: string}> {
	let input: Readable;
	try {
		input = await openReadable(source);
	} catch (error) {
		throw new WheelhouseError(`Could not read the backup archive ${source} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, {hint: 'The file may have been moved or removed; take a new backup.'});
	}

	return writeHashed(input, file);
}

async function openReadable(path: string): Promise<Readable> {
	const handle = await open(path, 'r');
	return handle.createReadStream();
}

/** Writes `input` to `file` through a .partial file, counting and hashing the bytes. */
async function writeHashed(input: Readable, file: string): Promise<{bytes: number; sha256: string}> {
	const hash = createHash('sha256');
	let bytes = 0;
	const counter = new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			hash.update(chunk);
			bytes += chunk.length;
			callback(null, chunk);
		},
	});
	const partial = `${file}.partial`;
	try {
		await pipeline(input, counter, createWriteStream(partial, {mode: 0o600}));
		await rename(partial, file);
	} catch (error) {
		await rm(partial, {force: true});
		throw error;
	}

	return {bytes, sha256: hash.digest('hex')};
}
