// A bare exec client for the sandbox's tests: speaks the frames of reference §5 over `ws`, so the
// tests see exactly what goes over the wire (binary or text frames, close codes).
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {setTimeout as delay} from 'node:timers/promises';
import WebSocket from 'ws';

// Frames are asserted field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Frame = {type: string; data?: any};

export type RawExec = {
	frames: Frame[];
	/** stdOut (and stdErr) text received so far. */
	stdout(): string;
	stderr(): string;
	send(frame: unknown, options?: {binary?: boolean}): void;
	/** A text frame as is, JSON or not. */
	sendText(text: string): void;
	init(context: Record<string, unknown>, token: string, options?: {binary?: boolean}): void;
	/** The first frame of this type (waiting for it). */
	next(type: string, timeoutMs?: number): Promise<Frame>;
	/** Waits until stdout matches. */
	waitForOutput(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
	closed: Promise<{code: number; reason: string}>;
	close(): void;
};

export const execPath = (kind: 'services' | 'jobs' | 'addons', id: string, team = '') => `/v1/command-exec/${team ? `teams/${team}/` : ''}projects/notechondria/${kind}/${id}`;

export async function openRawExec(baseUrl: string, path: string): Promise<RawExec> {
	const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}`);
	const frames: Frame[] = [];
	const waiters = new Set<() => void>();
	socket.on('message', data => {
		frames.push(JSON.parse(String(data)) as Frame);
		for (const waiter of waiters) {
			waiter();
		}
	});
	const closed = new Promise<{code: number; reason: string}>(resolve => {
		socket.on('close', (code, reason) => {
			resolve({code, reason: reason.toString()});
			for (const waiter of waiters) {
				waiter();
			}
		});
	});
	await new Promise<void>((resolve, reject) => {
		socket.once('open', resolve);
		socket.once('error', reject);
	});

	const text = (type: string) => frames.filter(frame => frame.type === type).map(frame => String(frame.data)).join('');
	const until = async <T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> => {
		const found = probe();
		if (found !== undefined) {
			return found;
		}

		return new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => {
				waiters.delete(check);
				reject(new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(frames).slice(-600)}`));
			}, timeoutMs);
			const check = () => {
				const value = probe();
				if (value !== undefined) {
					clearTimeout(timer);
					waiters.delete(check);
					resolve(value);
				} else if (socket.readyState === WebSocket.CLOSED) {
					clearTimeout(timer);
					waiters.delete(check);
					reject(new Error(`the socket closed while waiting for ${what}; frames: ${JSON.stringify(frames).slice(-600)}`));
				}
			};

			waiters.add(check);
		});
	};

	const send = (frame: unknown, options: {binary?: boolean} = {}) => {
		const json = JSON.stringify(frame);
		socket.send(options.binary === false ? json : Buffer.from(json), {binary: options.binary !== false});
	};

	return {
		frames,
		stdout: () => text('stdOut'),
		stderr: () => text('stdErr'),
		send,
		sendText(text) {
			socket.send(text);
		},
		init(context, token, options) {
			send({type: 'init', data: {auth: {type: 'apiToken', apiToken: token}, context}}, options);
		},
		next: async (type, timeoutMs = 10_000) => until(() => frames.find(frame => frame.type === type), `a ${type} frame`, timeoutMs),
		waitForOutput: async (pattern, timeoutMs = 10_000) => until(() => {
			const output = text('stdOut');
			return (typeof pattern === 'string' ? output.includes(pattern) : pattern.test(output)) ? output : undefined;
		}, `output ${String(pattern)}`, timeoutMs),
		closed,
		close() {
			socket.close();
		},
	};
}

/** Pids of processes whose argv is exactly `argv` (Linux /proc). */
export function pidsRunning(argv: string[]): number[] {
	const wanted = `${argv.join('\0')}\0`;
	return readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).flatMap(entry => {
		try {
			return readFileSync(`/proc/${entry}/cmdline`, 'utf8') === wanted && !isZombie(entry) ? [Number(entry)] : [];
		} catch {
			return [];
		}
	});
}

function isZombie(pid: string): boolean {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
}

export async function eventually(probe: () => boolean, timeoutMs = 5000): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (probe()) {
			return true;
		}

		await delay(25);
	}

	return probe();
}

export const gone = (directory: string) => !existsSync(directory);
