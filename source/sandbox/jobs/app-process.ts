// A job run's command in real app mode: `/bin/sh -c <command>` in the build's directory, in a process
// group of its own, as the container's main process. When it exits, whatever it left behind goes with
// it (the container stops); an abort sends SIGTERM to the group, then SIGKILL after a grace period.
import {spawn} from 'node:child_process';
import type {LogStream} from '../logs/container-log.js';
import {eachLine} from './output-lines.js';

export type AppCommand = {
	command: string;
	directory: string;
	environment: Record<string, string>;
	output(stream: LogStream, line: string): void;
	signal: AbortSignal;
	/** From SIGTERM to SIGKILL on abort (Northflank and Kubernetes give 30 s; the sandbox 5 s). */
	killGraceMs: number;
};

export type CommandExit = {code: number; signal?: NodeJS.Signals};

/** Abort with this reason to kill at once (the sandbox is closing), without the SIGTERM grace period. */
export const killNow = 'kill now';

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = {SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15};

export async function runAppCommand(options: AppCommand): Promise<CommandExit> {
	const child = spawn('/bin/sh', ['-c', options.command], {
		cwd: options.directory,
		env: options.environment,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const killGroup = (signal: NodeJS.Signals) => {
		try {
			process.kill(-child.pid!, signal);
		} catch {
			// The group is gone already.
		}
	};

	let killTimer: NodeJS.Timeout | undefined;
	const abort = () => {
		if (options.signal.reason === killNow) {
			killGroup('SIGKILL');
			return;
		}

		killGroup('SIGTERM');
		killTimer = setTimeout(() => {
			killGroup('SIGKILL');
		}, options.killGraceMs);
	};

	options.signal.addEventListener('abort', abort, {once: true});
	const outputs = Promise.all([
		eachLine(child.stdout, line => {
			options.output('stdout', line);
		}),
		eachLine(child.stderr, line => {
			options.output('stderr', line);
		}),
	]);
	try {
		const exit = await new Promise<CommandExit>((resolve, reject) => {
			child.once('error', reject);
			child.once('exit', (code, signal) => {
				// The container stops with its main process: nothing it started outlives it.
				killGroup('SIGKILL');
				resolve(signal ? {code: 128 + (signalNumbers[signal] ?? 0), signal} : {code: code ?? 1});
			});
		});
		await outputs;
		return exit;
	} finally {
		clearTimeout(killTimer);
		options.signal.removeEventListener('abort', abort);
	}
}
