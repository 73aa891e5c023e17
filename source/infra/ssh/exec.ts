import {constants} from 'node:os';
import type {ClientChannel, PseudoTtyOptions} from 'ssh2';
import type {ExecRequest, ExecResult, ExecSession} from '../../core/exec.js';
import type {SshConnection} from './connect.js';
import {SshError} from './errors.js';
import {describePeer} from './peer.js';
import {quoteShellCommand} from './shell-quote.js';

export type SshExecOptions = {
	/** TERM for the remote pty; default $TERM, else xterm-256color. */
	term?: string;
};

/** A login shell: bash where there is one, else sh. */
export const interactiveShellCommand = 'command -v bash >/dev/null 2>&1 && exec bash -l || exec sh -l';

const closeGraceMs = 2000;

type Output = {chunk: Uint8Array; stream: 'stdout' | 'stderr'};

/**
 * Runs a command (argv, quoted for the remote shell) or an interactive shell on the connected host,
 * as an ExecSession: stdin, stdout and stderr apart (merged by the pty when there is one), resize,
 * and the exit status — a signal becomes 128 + its number, with a message.
 */
export async function sshExec(connection: SshConnection, request: ExecRequest, options: SshExecOptions = {}): Promise<ExecSession> {
	const command = request.command && request.command.length > 0 ? quoteShellCommand(request.command) : interactiveShellCommand;
	const pty: PseudoTtyOptions | undefined = request.tty
		? {term: options.term ?? process.env.TERM ?? 'xterm-256color', cols: request.columns ?? 80, rows: request.rows ?? 24, width: 0, height: 0}
		: undefined;
	return new Promise<ExecSession>((resolve, reject) => {
		connection.client.exec(command, pty ? {pty} : {}, (error, opened) => {
			if (error) {
				reject(new SshError('channel', `Cannot start ${request.command ? 'the command' : 'a shell'} on ${describePeer(connection.target)}: ${error.message}`, {cause: error}));
			} else {
				// Listen at once: a command that ends immediately reports its exit status in the same
				// packet as the channel's opening, before a promise callback would run.
				resolve(sessionOver(opened, connection));
			}
		});
	});
}

function sessionOver(channel: ClientChannel, connection: SshConnection): ExecSession {
	const listeners: Array<(chunk: Uint8Array, stream: 'stdout' | 'stderr') => void> = [];
	// Output that arrives before anyone listens is kept for the first listener.
	const early: Output[] = [];
	const deliver = (stream: 'stdout' | 'stderr') => (chunk: Buffer): void => {
		if (listeners.length === 0) {
			early.push({chunk, stream});
		}

		for (const listener of listeners) {
			listener(chunk, stream);
		}
	};

	channel.on('data', deliver('stdout'));
	channel.stderr.on('data', deliver('stderr'));
	const stderrEnded = new Promise<void>(resolve => {
		channel.stderr.once('close', resolve);
		channel.stderr.once('end', resolve);
	});
	let exit: {code: number | null; signal?: string; coreDumped?: boolean; description?: string} | undefined;
	channel.on('exit', (code: number | null, signal?: string, coreDumped?: boolean, description?: string) => {
		exit = {code, signal, coreDumped, description};
	});
	let closedHere = false;
	let finish: (result: ExecResult) => void = () => undefined;
	const result = new Promise<ExecResult>(resolve => {
		finish = resolve;
	});
	channel.once('close', () => {
		void stderrEnded.then(() => {
			finish(resultOf(exit, closedHere, connection));
		});
	});

	return {
		where: {host: connection.target.name},
		write(data) {
			if (channel.writable) {
				channel.write(typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
			}
		},
		endInput() {
			if (channel.writable) {
				channel.end();
			}
		},
		resize(columns, rows) {
			channel.setWindow(rows, columns, 0, 0);
		},
		onOutput(listener) {
			listeners.push(listener);
			if (listeners.length === 1) {
				for (const {chunk, stream} of early.splice(0)) {
					listener(chunk, stream);
				}
			}
		},
		result,
		close() {
			if (closedHere) {
				return;
			}

			closedHere = true;
			// sshd lets a command without a pty run on after its channel closes: ask it to stop too.
			channel.signal('TERM');
			channel.close();
			setTimeout(() => {
				finish({exitCode: 255, status: 'unknown', message: 'The session was closed before the command ended.'});
			}, closeGraceMs).unref();
		},
	};
}

function resultOf(exit: {code: number | null; signal?: string; coreDumped?: boolean; description?: string} | undefined, closedHere: boolean, connection: SshConnection): ExecResult {
	if (exit?.code !== undefined && exit.code !== null) {
		return {exitCode: exit.code, status: exit.code === 0 ? 'success' : 'failure'};
	}

	if (exit?.signal) {
		const number = constants.signals[exit.signal as keyof typeof constants.signals] as number | undefined;
		const details = [exit.coreDumped ? 'core dumped' : '', exit.description ?? ''].filter(Boolean).join(', ');
		const killed = `Killed by signal ${exit.signal}${details ? ` (${details})` : ''}.`;
		return {exitCode: number === undefined ? 255 : 128 + number, status: 'failure', message: closedHere ? `The session was closed: ${killed}` : killed};
	}

	return {
		exitCode: 255,
		status: 'unknown',
		message: closedHere ? 'The session was closed before the command ended.' : `The session on ${describePeer(connection.target)} ended without an exit status.`,
	};
}
