// A process with plain pipes: stdout and stderr stay apart, stdin can be closed.
import {spawn} from 'node:child_process';
import {constants} from 'node:os';
import {hangUpSession} from './hang-up.js';
import {killSession} from './kill-session.js';
import type {LaunchOptions, LocalProcess, ProcessExit} from './local-process.js';

export function startPlainProcess(options: LaunchOptions): LocalProcess {
	const child = spawn(options.file, options.args, {
		cwd: options.cwd,
		env: options.env,
		stdio: 'pipe',
		// Its own session, so hanging up reaches everything it starts.
		detached: true,
	});
	// A client that stops reading stdin early must not bring the sandbox down (EPIPE).
	child.stdin.on('error', () => undefined);
	const exited = new Promise<ProcessExit>(resolve => {
		child.on('error', () => {
			resolve({exitCode: 127});
		});
		child.on('exit', () => {
			// Background children would hold the pipes open and keep 'close' from ever coming.
			killSession(child.pid!);
		});
		child.on('close', (code, signal) => {
			resolve(signal ? {exitCode: 128 + (constants.signals[signal] ?? 0), signal} : {exitCode: code ?? 0});
		});
	});
	return {
		pid: child.pid!,
		exited,
		onOutput(listener) {
			child.stdout.on('data', (chunk: Buffer) => {
				listener(chunk, 'stdout');
			});
			child.stderr.on('data', (chunk: Buffer) => {
				listener(chunk, 'stderr');
			});
		},
		write(text) {
			if (child.stdin.writable) {
				child.stdin.write(text);
			}
		},
		endInput() {
			child.stdin.end();
		},
		resize() {
			// No terminal, nothing to resize.
		},
		pause() {
			child.stdout.pause();
			child.stderr.pause();
		},
		resume() {
			child.stdout.resume();
			child.stderr.resume();
		},
		hangUp() {
			hangUpSession(child.pid!, exited);
		},
		kill() {
			killSession(child.pid!);
		},
	};
}
