// A process in a real pseudo-terminal, through @lydell/node-pty (node-pty with prebuilt binaries). It
// is a native addon, so it is loaded only when a terminal session starts and kept out of the bundle.
import {constants} from 'node:os';
import type * as NodePtyModule from '@lydell/node-pty';
import type {IPty} from '@lydell/node-pty';
import {hangUpSession} from './hang-up.js';
import {killSession} from './kill-session.js';
import type {LaunchOptions, LocalProcess, ProcessExit} from './local-process.js';

type NodePty = typeof NodePtyModule;

let loading: Promise<NodePty> | undefined;

/** Loads the addon once; rejects with the reason when it cannot be loaded on this machine. */
export async function loadNodePty(): Promise<NodePty> {
	loading ??= import('@lydell/node-pty').catch((error: unknown) => {
		loading = undefined;
		throw new Error(`The sandbox cannot open a pseudo-terminal: @lydell/node-pty did not load (${(error as Error).message.split('\n')[0]})`, {cause: error});
	});
	return loading;
}

export function startPtyProcess(nodePty: NodePty, options: LaunchOptions): LocalProcess {
	const terminal: IPty = nodePty.spawn(options.file, options.args, {
		name: options.env.TERM ?? 'xterm-256color',
		cols: options.columns,
		rows: options.rows,
		cwd: options.cwd,
		env: options.env,
		// Raw bytes: the session decodes them, so a character split across reads stays whole.
		encoding: null,
	});
	const exited = new Promise<ProcessExit>(resolve => {
		terminal.onExit(({exitCode, signal}) => {
			// What it left running in the background goes with it: no orphans.
			killSession(terminal.pid);
			const name = signal ? signalName(signal) : undefined;
			resolve(name ? {exitCode: 128 + signal!, signal: name} : {exitCode});
		});
	});
	return {
		pid: terminal.pid,
		exited,
		onOutput(listener) {
			terminal.onData(data => {
				listener(Buffer.isBuffer(data) ? data : Buffer.from(data), 'stdout');
			});
		},
		write(text) {
			terminal.write(text);
		},
		endInput() {
			// A terminal has no end of input; Ctrl-D (VEOF) is what a user types to say so.
			terminal.write('\u0004');
		},
		resize(columns, rows) {
			terminal.resize(columns, rows);
		},
		pause() {
			terminal.pause();
		},
		resume() {
			terminal.resume();
		},
		hangUp() {
			hangUpSession(terminal.pid, exited);
		},
		kill() {
			killSession(terminal.pid);
		},
	};
}

function signalName(signal: number): string | undefined {
	return Object.entries(constants.signals).find(([, number]) => number === signal)?.[0];
}
