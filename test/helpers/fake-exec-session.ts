import type {ExecResult, ExecSession, ExecTarget} from '../../source/core/exec.js';

export type FakeExecSession = ExecSession & {
	readonly target: ExecTarget;
	/** Everything written to the session, in order, as text. */
	readonly input: string;
	readonly resizes: Array<[columns: number, rows: number]>;
	readonly closed: boolean;
	/** Output from the "remote" side. */
	emit(text: string, stream?: 'stdout' | 'stderr'): void;
	/** The shell ends with this exit code (status success for 0, failure otherwise, unless given). */
	exit(exitCode: number, status?: ExecResult['status'], message?: string): void;
};

const encoder = new TextEncoder();

/**
 * An interactive session like a shell on a terminal with echo on: what is written comes back as
 * output (Enter as a new line). It ends when the test says so, or when closed (status unknown).
 */
export function createFakeExecSession(target: ExecTarget, where: ExecSession['where'] = {instance: target.kind === 'host' ? undefined : (target.instance ?? `${target.name}-0`)}): FakeExecSession {
	const listeners: Array<(chunk: Uint8Array, stream: 'stdout' | 'stderr') => void> = [];
	const resizes: Array<[number, number]> = [];
	let input = '';
	let closed = false;
	let finish: (result: ExecResult) => void = () => undefined;
	const result = new Promise<ExecResult>(resolve => {
		finish = resolve;
	});
	let ended = false;
	const end = (outcome: ExecResult) => {
		if (!ended) {
			ended = true;
			finish(outcome);
		}
	};

	const session: FakeExecSession = {
		target,
		where,
		write(data) {
			const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
			input += text;
			if (!ended) {
				session.emit(text.replaceAll('\r', '\r\n'));
			}
		},
		endInput() {
			// An interactive shell ignores it, as a shell on a pty would until it reads EOF.
		},
		resize(columns, rows) {
			resizes.push([columns, rows]);
		},
		onOutput(listener) {
			listeners.push(listener);
		},
		result,
		close() {
			closed = true;
			end({exitCode: 255, status: 'unknown', message: 'closed'});
		},
		emit(text, stream = 'stdout') {
			for (const listener of listeners) {
				listener(encoder.encode(text), stream);
			}
		},
		exit(exitCode, status = exitCode === 0 ? 'success' : 'failure', message) {
			end({exitCode, status, message});
		},
		get input() {
			return input;
		},
		resizes,
		get closed() {
			return closed;
		},
	};
	return session;
}
