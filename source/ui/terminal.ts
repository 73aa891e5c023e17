// The single owner of the terminal: whether the full-screen console can run here, the options it
// is rendered with, colour, the clipboard (OSC 52), and putting the terminal back if something goes
// wrong. Handing the TTY to a shell and taking it back is hand-off.ts.
import {Buffer} from 'node:buffer';
import process from 'node:process';
import type {RenderOptions} from 'ink';
import {UsageError} from '../core/errors.js';

export type TerminalStreams = {
	stdin: NodeJS.ReadStream;
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
};

const showCursor = '\u001B[?25h';
const leaveAlternateScreen = '\u001B[?1049l';
const endSynchronizedOutput = '\u001B[?2026l';
const disableBracketedPaste = '\u001B[?2004l';

/** Why the full-screen console cannot run on these streams, or undefined when it can. */
export function fullScreenProblem(streams: Pick<TerminalStreams, 'stdin' | 'stdout'>): string | undefined {
	if (!streams.stdout.isTTY) {
		return 'standard output is not a terminal';
	}

	if (!streams.stdin.isTTY || typeof streams.stdin.setRawMode !== 'function') {
		return 'standard input is not a terminal that can read single key presses';
	}

	return undefined;
}

export function assertFullScreenTerminal(streams: Pick<TerminalStreams, 'stdin' | 'stdout'>): void {
	const problem = fullScreenProblem(streams);
	if (problem) {
		throw new UsageError(
			`The full-screen console needs an interactive terminal: ${problem}.`,
			'Run `wheelhouse status` (add --json for scripts) instead, or start wheelhouse from a terminal.',
		);
	}
}

/**
 * Ink options for the console: the alternate screen (the shell's scrollback is left alone and
 * restored on exit), incremental rendering (only changed lines are rewritten, which keeps an idle
 * dashboard to a few bytes a second over SSH), and ctrl-c handled by the console itself.
 */
export function fullScreenRenderOptions(streams: TerminalStreams): RenderOptions {
	return {
		stdin: streams.stdin,
		stdout: streams.stdout,
		stderr: streams.stderr,
		alternateScreen: true,
		incrementalRendering: true,
		exitOnCtrlC: false,
		// Console output would be painted into the middle of the full-screen frame.
		patchConsole: false,
		// Already checked to be a terminal; CI-like environment variables must not turn the console into a log.
		interactive: true,
	};
}

/** Whether colour is wanted: the entry point turns NO_COLOR into FORCE_COLOR=0 before Ink loads. */
export function colourEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
	const force = env.FORCE_COLOR;
	if (force === '0' || force === 'false') {
		return false;
	}

	return force !== undefined || (!env.NO_COLOR && env.TERM !== 'dumb');
}

// Terminals cap what they take from OSC 52 (xterm ~100 KB of base64); a log line is far below it.
const clipboardLimit = 64 * 1024;

/**
 * Puts text on the user's clipboard with OSC 52, which works through SSH: the sequence travels to
 * the user's own terminal. It is written straight to the terminal between frames; it moves no
 * cursor, so Ink's picture of the screen stays right. Returns the characters copied.
 */
export function writeClipboard(stdout: {write(data: string): unknown}, text: string): number {
	const copied = text.length > clipboardLimit ? text.slice(0, clipboardLimit) : text;
	stdout.write(`\u001B]52;c;${Buffer.from(copied, 'utf8').toString('base64')}\u0007`);
	return copied.length;
}

/** Last-resort restore after a crash: cursor visible, primary screen back, line editing back. */
export function restoreTerminal(streams: Pick<TerminalStreams, 'stdin' | 'stdout'>): void {
	try {
		streams.stdout.write(endSynchronizedOutput + disableBracketedPaste + leaveAlternateScreen + showCursor);
	} catch {
		// Best effort: the terminal may already be gone.
	}

	try {
		if (streams.stdin.isTTY && streams.stdin.isRaw) {
			streams.stdin.setRawMode(false);
		}
	} catch {
		// Best effort: the terminal may already be gone.
	}
}
