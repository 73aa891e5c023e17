// Northflank exec over its WebSocket (reference §5): no auth header; the first frame carries the token
// and the context; stdin, resizes and the end of stdin go up as `payload`, `resize` and `stdInEnd`;
// output comes back as `stdOut`/`stdErr` and the end as `completion`. Frames are binary UTF-8 JSON,
// as js-client sends them.
import {ProviderError} from '../../core/errors.js';
import type {ExecRequest, ExecResult, ExecSession} from '../../core/exec.js';

export type ExecSocketOptions = {
	/** wss://…/v1/command-exec/[teams/{t}/]projects/{p}/{services|jobs|addons}/{id} */
	url: string;
	token: string;
	context: Record<string, unknown>;
	platformName: string;
	/** "service notechondria-backend", for messages. */
	what: string;
	initTimeoutMs?: number;
};

type ServerFrame =
	| {type: 'init'; data?: {auth?: string; message?: string; context?: {instanceName?: string; containerName?: string}}}
	| {type: 'stdOut' | 'stdErr'; data?: string}
	| {type: 'completion'; data?: {exitCode?: number; status?: string; message?: string}}
	| {type: 'error'; data?: {message?: string}};

/** js-client waits as long for the server to accept a session. */
const defaultInitTimeoutMs = 30_000;
/** What the session ends with when the platform never said how the command ended (OpenSSH uses 255 alike). */
export const unknownExitCode = 255;

/** The init context for a target and a request: interactive sessions ask for a tty, one-shot commands run their argv without a shell. */
export function execContext(where: {instance?: string; container?: string}, request: ExecRequest): Record<string, unknown> {
	return {
		...(where.instance === undefined ? {} : {instanceName: where.instance}),
		...(where.container === undefined ? {} : {containerName: where.container}),
		...(request.command === undefined ? {} : {command: request.command, shell: 'none'}),
		...(request.tty ? {tty: true, ...(request.columns ? {ttyColumns: request.columns} : {}), ...(request.rows ? {ttyRows: request.rows} : {})} : {}),
	};
}

/**
 * Opens a session; resolves once the platform has accepted the token and chosen a container, rejects
 * with a ProviderError otherwise. The session's `result` never rejects: a lost connection, an error
 * frame or a local close() before `completion` give exit code 255 with status "unknown" and a message.
 */
export async function openExecSocket(options: ExecSocketOptions): Promise<ExecSession> {
	const {platformName, what} = options;
	const socket = new WebSocket(options.url);
	socket.binaryType = 'arraybuffer';
	const encoder = new TextEncoder();
	const stdinDecoder = new TextDecoder();
	const output = new OutputListeners();
	let phase: 'connecting' | 'open' | 'done' = 'connecting';
	let settle: (result: ExecResult) => void = () => undefined;
	const result = new Promise<ExecResult>(resolve => {
		settle = resolve;
	});

	const send = (frame: unknown) => {
		if (phase === 'open' && socket.readyState === WebSocket.OPEN) {
			socket.send(encoder.encode(JSON.stringify(frame)));
		}
	};

	const finish = (ending: ExecResult) => {
		if (phase === 'open') {
			phase = 'done';
			settle(ending);
		}
	};

	return new Promise<ExecSession>((resolve, reject) => {
		const refuse = (error: ProviderError) => {
			if (phase === 'connecting') {
				phase = 'done';
				clearTimeout(timer);
				reject(error);
				socket.close();
			}
		};

		const timer = setTimeout(() => {
			refuse(new ProviderError('timeout', `${platformName} did not accept the exec session for ${what} within ${(options.initTimeoutMs ?? defaultInitTimeoutMs) / 1000} s.`));
		}, options.initTimeoutMs ?? defaultInitTimeoutMs);

		socket.addEventListener('open', () => {
			socket.send(encoder.encode(JSON.stringify({type: 'init', data: {auth: {type: 'apiToken', apiToken: options.token}, context: options.context}})));
		});
		socket.addEventListener('message', event => {
			const frame = parseFrame(event.data);
			if (phase === 'connecting') {
				if (frame?.type === 'init' && frame.data?.auth === 'successful') {
					phase = 'open';
					clearTimeout(timer);
					const chosen = frame.data.context ?? {};
					resolve(session({instance: chosen.instanceName, container: chosen.containerName}));
				} else if (frame?.type === 'init') {
					refuse(new ProviderError('auth', `${platformName} refused the exec session: ${frame.data?.message ?? frame.data?.auth ?? 'authentication failed'}.`, {hint: 'Check the API token of this context.'}));
				} else if (frame?.type === 'error') {
					refuse(refusal(frame.data?.message ?? 'unknown error', options));
				} else {
					refuse(new ProviderError('protocol', `${platformName} sent an unexpected exec message before accepting the session.`));
				}

				return;
			}

			if (phase !== 'open') {
				return;
			}

			switch (frame?.type) {
				case 'stdOut':
				case 'stdErr': {
					output.emit(encoder.encode(frame.data ?? ''), frame.type === 'stdOut' ? 'stdout' : 'stderr');
					break;
				}

				case 'completion': {
					finish(toResult(frame.data));
					socket.close(1000);
					break;
				}

				case 'error': {
					finish({exitCode: unknownExitCode, status: 'unknown', message: `${platformName} ended the session with an error: ${frame.data?.message ?? 'unknown error'}`});
					socket.close();
					break;
				}

				default: {
					finish({exitCode: unknownExitCode, status: 'unknown', message: `${platformName} sent an exec message wheelhouse does not understand; the session was ended.`});
					socket.close();
				}
			}
		});
		// An 'error' event is always followed by 'close', which says what happened.
		socket.addEventListener('error', () => undefined);
		socket.addEventListener('close', event => {
			refuse(new ProviderError('unreachable', `Cannot open an exec session on ${platformName} for ${what}: the connection closed (${event.code}${event.reason ? ` ${event.reason}` : ''}).`, {hint: `Check that ${platformName} is reachable at the context's host.`}));
			finish({exitCode: unknownExitCode, status: 'unknown', message: `The connection to ${platformName} closed (${event.code}) before the command reported its exit status.`});
		});

		const session = (where: ExecSession['where']): ExecSession => ({
			where,
			result,
			write(data) {
				// js-client sends stdin as strings; bytes are sent as the UTF-8 text they hold.
				const text = typeof data === 'string' ? data : stdinDecoder.decode(data, {stream: true});
				if (text !== '') {
					send({type: 'payload', data: text});
				}
			},
			endInput() {
				send({type: 'stdInEnd'});
			},
			resize(columns, rows) {
				send({type: 'resize', data: {ttyRows: rows, ttyColumns: columns}});
			},
			onOutput(listener) {
				output.add(listener);
			},
			close() {
				finish({exitCode: unknownExitCode, status: 'unknown', message: 'The session was closed before the command finished.'});
				socket.close(1000);
			},
		});
	});
}

/** Output frames can arrive before the caller has attached a listener; they wait for the first one. */
class OutputListeners {
	private readonly listeners: Array<(chunk: Uint8Array, stream: 'stdout' | 'stderr') => void> = [];
	private waiting: Array<[Uint8Array, 'stdout' | 'stderr']> | undefined = [];

	add(listener: (chunk: Uint8Array, stream: 'stdout' | 'stderr') => void): void {
		this.listeners.push(listener);
		const waiting = this.waiting ?? [];
		this.waiting = undefined;
		for (const [chunk, stream] of waiting) {
			listener(chunk, stream);
		}
	}

	emit(chunk: Uint8Array, stream: 'stdout' | 'stderr'): void {
		if (this.waiting) {
			this.waiting.push([chunk, stream]);
			return;
		}

		for (const listener of this.listeners) {
			listener(chunk, stream);
		}
	}
}

function parseFrame(data: unknown): ServerFrame | undefined {
	try {
		const text = typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer).toString('utf8');
		const frame = JSON.parse(text) as unknown;
		return typeof frame === 'object' && frame !== null && typeof (frame as {type?: unknown}).type === 'string' ? frame as ServerFrame : undefined;
	} catch {
		return undefined;
	}
}

function toResult(data: {exitCode?: number; status?: string; message?: string} | undefined): ExecResult {
	const status = data?.status === 'Success' ? 'success' : (data?.status === 'Failure' ? 'failure' : 'unknown');
	return {
		exitCode: typeof data?.exitCode === 'number' ? data.exitCode : unknownExitCode,
		status,
		...(data?.message ? {message: data.message} : {}),
	};
}

/** An error frame instead of the session: says why, and what to do, as far as the platform's words tell. */
function refusal(message: string, {platformName, what}: ExecSocketOptions): ProviderError {
	const text = `${platformName} refused the exec session for ${what}: ${message}`;
	if (/not running/i.test(message)) {
		return new ProviderError('bad-request', text, {hint: 'Exec needs a running container: check the status, then deploy the service or start a job run.'});
	}

	if (/rate limit/i.test(message)) {
		return new ProviderError('rate-limited', text, {hint: 'Wait for the API budget to reset, then try again.'});
	}

	if (/instance|container/i.test(message) && /not found|not a running|unknown/i.test(message)) {
		return new ProviderError('not-found', text, {hint: 'Leave the instance out to get a running one, or pick one from the list of containers.'});
	}

	if (/not found/i.test(message)) {
		return new ProviderError('not-found', text, {hint: 'Check the project and the target in this context.'});
	}

	return new ProviderError('server', text);
}
