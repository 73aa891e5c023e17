import WebSocket from 'ws';
import {lineSequence} from '../../source/sandbox/index.js';
import type {Json} from './helpers.js';

export type Entry = {containerId: string; log: string; ts: string};

/** The RFC 3339 timestamp with nine fractional digits the sandbox writes. */
export const nanoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;

export const logPath = (entity: string) => `/v1/projects/notechondria/${entity}`;

export function seqOf(entry: Entry): number {
	const seq = lineSequence(entry.log);
	if (seq === undefined) {
		throw new Error(`no sequence number in ${JSON.stringify(entry.log)}`);
	}

	return seq;
}

/** The line itself: what follows "<ts> <stream> F ". */
export function textOf(entry: Entry): string {
	return entry.log.slice(entry.log.indexOf(' F ') + 3);
}

export function streamOf(entry: Entry): string {
	return entry.log.split(' ', 2)[1]!;
}

export type Tail = {
	ws: WebSocket;
	/** Every parsed message, in order. */
	messages: Json[];
	/** Every line of every log-lines frame, in order. */
	lines: Entry[];
	/** Frames of type log-lines, in order. */
	frames: Entry[][];
	closed: Promise<{code: number}>;
	waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
	close(): Promise<void>;
};

/** Opens a raw live tail on `path` (with its query) and sends the init frame (unless `init` is false). */
export async function openTail(baseUrl: string, path: string, options: {token?: string; init?: boolean | string} = {}): Promise<Tail> {
	const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}`);
	const messages: Json[] = [];
	const lines: Entry[] = [];
	const frames: Entry[][] = [];
	const waiters = new Set<() => void>();
	const notify = () => {
		for (const waiter of waiters) {
			waiter();
		}
	};

	const closed = new Promise<{code: number}>(resolve => {
		ws.on('close', code => {
			resolve({code});
			notify();
		});
	});
	ws.on('message', data => {
		const message = JSON.parse(data.toString()) as Json;
		messages.push(message);
		if (message.type === 'log-lines') {
			frames.push(message.data as Entry[]);
			lines.push(...(message.data as Entry[]));
		}

		notify();
	});
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('error', reject);
	});
	if (options.init !== false) {
		ws.send(typeof options.init === 'string' ? options.init : JSON.stringify({type: 'init', data: {auth: {type: 'apiToken', apiToken: options.token}}}));
	}

	return {
		ws,
		messages,
		lines,
		frames,
		closed,
		async waitFor(predicate, timeoutMs = 10_000) {
			if (predicate()) {
				return;
			}

			await new Promise<void>((resolve, reject) => {
				const timer = setTimeout(() => {
					waiters.delete(check);
					reject(new Error(`timed out after ${timeoutMs} ms (${lines.length} lines, ${messages.length} messages)`));
				}, timeoutMs);
				const check = () => {
					if (predicate()) {
						clearTimeout(timer);
						waiters.delete(check);
						resolve();
					}
				};

				waiters.add(check);
			});
		},
		async close() {
			if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) {
				ws.close();
			}

			await closed;
		},
	};
}

/** Drops repeated lines, keyed like a resuming client would: (containerId, ts, log). */
export function withoutDuplicates(entries: Entry[]): Entry[] {
	const seen = new Set<string>();
	return entries.filter(entry => {
		const key = `${entry.containerId}\u0000${entry.ts}\u0000${entry.log}`;
		if (seen.has(key)) {
			return false;
		}

		seen.add(key);
		return true;
	});
}

/** Throws unless the sequence numbers run on by one. */
export function assertContiguous(seqs: number[]): void {
	for (let index = 1; index < seqs.length; index++) {
		if (seqs[index] !== seqs[index - 1]! + 1) {
			throw new Error(`sequence jumps from ${seqs[index - 1]} to ${seqs[index]} at index ${index}`);
		}
	}
}
