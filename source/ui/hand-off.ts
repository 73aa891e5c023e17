// Handing the terminal to a remote shell or command and taking it back. Node stays the only reader
// of the TTY (a child process racing Node for stdin is what freezes hand-offs): keys go from our raw
// stdin into the session, output comes back through us, and window resizes follow.
import type {Buffer} from 'node:buffer';
import type {ExecResult, ExecSession} from '../core/exec.js';
import type {TerminalStreams} from './terminal.js';

export type HandOffOptions = {
	/** Printed before the session's output, e.g. which container the shell is in. */
	banner?: string;
	/** Keys typed while the session was opening, sent before anything else. */
	typeahead?: string;
	/**
	 * A byte that ends the session at once and takes the terminal back (ctrl-] is `\x1D`), for a
	 * remote that hangs or a connection that died without closing. Never sent to the session.
	 */
	detachKey?: string;
};

/**
 * Modes a full-screen remote program may leave on when it dies mid-way (vim killed, a dropped
 * connection): colours, a scroll region (reset inside save/restore cursor, as it homes the cursor),
 * application cursor keys and keypad, mouse reports, bracketed paste, no autowrap, a hidden cursor.
 */
const resetRemoteModes = '\u001B[0m\u001B7\u001B[r\u001B8\u001B[?1l\u001B>\u001B[?1000l\u001B[?1002l\u001B[?1003l\u001B[?1006l\u001B[?2004l\u001B[?7h\u001B[?25h';

/** The result attachToTerminal gives when the user left with the detach key. */
export const detachedResult = (key: string): ExecResult => ({exitCode: 130, status: 'unknown', message: `left with ${key}`});

export const ctrlCloseBracket = '\u001D';

/**
 * Connects an interactive session to the terminal until it ends. The caller has already released
 * the terminal (Ink suspended, or no Ink at all); on return, raw mode and listeners are as they were,
 * and nothing the session sends afterwards reaches the terminal.
 */
export async function attachToTerminal(streams: TerminalStreams, session: ExecSession, options: HandOffOptions = {}): Promise<ExecResult> {
	const {stdin, stdout} = streams;
	const wasRaw = stdin.isTTY ? stdin.isRaw : false;
	let attached = true;
	let left = false;
	let leave: (result: ExecResult) => void = () => undefined;
	const detached = new Promise<ExecResult>(resolve => {
		leave = resolve;
	});

	const forwardInput = (chunk: string | Buffer) => {
		if (left) {
			return;
		}

		const at = options.detachKey === undefined ? -1 : chunk.indexOf(options.detachKey);
		if (at === -1) {
			session.write(chunk);
			return;
		}

		if (at > 0) {
			session.write(typeof chunk === 'string' ? chunk.slice(0, at) : chunk.subarray(0, at));
		}

		left = true;
		leave(detachedResult(options.detachKey === ctrlCloseBracket ? 'ctrl-]' : 'the detach key'));
	};

	const forwardResize = () => {
		session.resize(stdout.columns, stdout.rows);
	};

	// Whoever released the terminal (Ink's suspend) removed its stdin listener a moment ago, and Node
	// settles a listener change on the next tick: start reading after it, not in the middle.
	await new Promise(resolve => {
		setImmediate(resolve);
	});
	if (options.banner) {
		stdout.write(`${options.banner}\r\n`);
	}

	session.onOutput(chunk => {
		if (attached) {
			stdout.write(chunk);
		}
	});
	if (stdin.isTTY) {
		stdin.setRawMode(true);
	}

	stdin.on('data', forwardInput);
	stdin.resume();
	stdout.on('resize', forwardResize);
	forwardResize();
	if (options.typeahead) {
		session.write(options.typeahead);
	}

	try {
		const result = await Promise.race([session.result, detached]);
		if (left) {
			session.close();
		}

		return result;
	} finally {
		attached = false;
		stdin.off('data', forwardInput);
		stdout.off('resize', forwardResize);
		stdin.pause();
		if (stdout.isTTY) {
			stdout.write(resetRemoteModes);
		}

		if (stdin.isTTY) {
			stdin.setRawMode(wasRaw);
		}
	}
}

/**
 * Runs a one-shot command with the caller's streams: stdin piped in (and closed when it ends),
 * stdout and stderr kept apart. Resolves with the command's result.
 */
export async function pipeThrough(streams: TerminalStreams, session: ExecSession): Promise<ExecResult> {
	const {stdin, stdout, stderr} = streams;
	session.onOutput((chunk, stream) => {
		(stream === 'stderr' ? stderr : stdout).write(chunk);
	});
	if (stdin.isTTY) {
		// A terminal on stdin with a one-shot command: nothing to send.
		session.endInput();
	} else {
		stdin.on('data', chunk => {
			session.write(chunk as Uint8Array);
		});
		stdin.once('end', () => {
			session.endInput();
		});
	}

	try {
		return await session.result;
	} finally {
		stdin.pause();
	}
}
