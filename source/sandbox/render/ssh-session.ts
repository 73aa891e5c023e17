// One SSH session channel of the sandbox's Render SSH gateway, answered by the same local processes as
// the Northflank exec socket (../exec/): a scratch directory, the sandbox environment, a real pty when
// the client asked for one. `exec` runs its command in sh; `shell` (or the SSH layer's login-shell
// command) opens the sandbox's labelled interactive shell.
import {constants} from 'node:os';
import type {PseudoTtyInfo, ServerChannel, Session} from 'ssh2';
import {interactiveShellCommand} from '../../infra/ssh/exec.js';
import type {RunningInstance} from '../exec/exec-targets.js';
import {findExecutable, launchPlan} from '../exec/launch-plan.js';
import type {LocalProcess} from '../exec/local-process.js';
import {startPlainProcess} from '../exec/plain-process.js';
import {loadNodePty, startPtyProcess} from '../exec/pty-process.js';
import {banner, createScratchDirectory, removeScratchDirectory, sandboxEnvironment} from '../exec/sandbox-shell.js';

/** Which running instance a session lands in; throws (with a message for the client) when there is none. */
export type InstanceChooser = () => RunningInstance;

type Pty = {columns: number; rows: number};

/** Tracks one session's requests; `ended` settles when its process is gone and its scratch directory removed. */
export function serveSshSession(session: Session, chooseInstance: InstanceChooser, track: (process: LocalProcess, ended: Promise<void>) => void): void {
	let pty: Pty | undefined;
	let running: LocalProcess | undefined;
	session.on('pty', (accept, _reject, info: PseudoTtyInfo) => {
		pty = {columns: info.cols || 80, rows: info.rows || 24};
		accept?.();
	});
	session.on('window-change', (accept, _reject, info) => {
		if (pty) {
			pty = {columns: info.cols, rows: info.rows};
		}

		running?.resize(info.cols, info.rows);
		accept?.();
	});
	session.on('signal', (accept, _reject) => {
		running?.hangUp();
		accept?.();
	});
	session.on('env', accept => {
		accept?.();
	});
	const start = (channel: ServerChannel, command: string | undefined): void => {
		const ended = run(channel, command, pty, chooseInstance, child => {
			running = child;
		});
		ended.catch((error: unknown) => {
			channel.stderr.write(`sandbox: ${(error as Error).message}\n`);
			finish(channel, 255);
		});
	};

	session.on('exec', (accept, _reject, info) => {
		start(accept(), info.command === interactiveShellCommand ? undefined : info.command);
	});
	session.on('shell', accept => {
		start(accept(), undefined);
	});

	async function run(channel: ServerChannel, command: string | undefined, terminal: Pty | undefined, choose: InstanceChooser, started: (child: LocalProcess) => void): Promise<void> {
		const newline = terminal ? '\r\n' : '\n';
		let instance: RunningInstance;
		try {
			instance = choose();
		} catch (error) {
			channel.stderr.write(`sandbox: ${(error as Error).message}${newline}`);
			finish(channel, 1);
			return;
		}

		const tty = terminal !== undefined;
		const context = command === undefined ? {tty} : {command, shell: 'sh -c', tty};
		const plan = launchPlan(context, process.env.PATH ?? '');
		const nodePty = tty ? await loadNodePty() : undefined;
		const scratch = await createScratchDirectory();
		let resolveEnded: () => void = () => undefined;
		const ended = new Promise<void>(resolve => {
			resolveEnded = resolve;
		});
		try {
			const env = sandboxEnvironment({instance, scratch, tty, plan});
			if (!findExecutable(plan.file, env.PATH!)) {
				channel.stderr.write(`sandbox: ${plan.file}: executable file not found in $PATH${newline}`);
				finish(channel, 127);
				return;
			}

			if (tty && plan.interactive) {
				channel.write(banner(instance));
			}

			const launch = {file: plan.file, args: plan.args, cwd: scratch, env, columns: terminal?.columns ?? 80, rows: terminal?.rows ?? 24};
			const child = nodePty ? startPtyProcess(nodePty, launch) : startPlainProcess(launch);
			started(child);
			track(child, ended);
			child.onOutput((chunk, stream) => {
				if (stream === 'stderr') {
					channel.stderr.write(chunk);
				} else if (!channel.write(chunk)) {
					child.pause();
					channel.once('drain', () => {
						child.resume();
					});
				}
			});
			channel.on('data', (data: Buffer) => {
				child.write(data.toString('utf8'));
			});
			channel.on('end', () => {
				child.endInput();
			});
			// The client went away: hang up on everything the session started.
			channel.on('close', () => {
				child.hangUp();
			});
			const exit = await child.exited;
			if (exit.signal) {
				finish(channel, undefined, exit.signal);
			} else {
				finish(channel, exit.exitCode);
			}
		} finally {
			await removeScratchDirectory(scratch);
			resolveEnded();
		}
	}
}

function finish(channel: ServerChannel, exitCode: number | undefined, signal?: string): void {
	if (channel.destroyed) {
		return;
	}

	if (signal === undefined) {
		channel.exit(exitCode ?? 255);
	} else {
		// ssh2 wants the name without "SIG"; an unknown one would be sent as a plain status.
		const name = signal.replace(/^SIG/, '');
		if (name in constants.signals || `SIG${name}` in constants.signals) {
			channel.exit(name, false, '');
		} else {
			channel.exit(255);
		}
	}

	channel.end();
}
