import process from 'node:process';
import type {Connection} from '../cli/connect.js';
import {UsageError} from '../core/errors.js';
import type {ExecResult, ExecTarget} from '../core/exec.js';
import {resolveWorkload} from '../core/workloads.js';
import {attachToTerminal, ctrlCloseBracket, pipeThrough} from '../ui/hand-off.js';
import type {TerminalStreams} from '../ui/terminal.js';

export type ExecCommandOptions = {
	target?: string;
	instance?: string;
	/** The remote command; an interactive shell when absent. */
	argv?: string[];
};

/**
 * `wheelhouse exec TARGET [-- COMMAND …]`: an interactive shell in a running container, or a one-shot
 * command whose output streams back and whose exit status becomes ours.
 */
export async function runExecCommand(connection: Connection, options: ExecCommandOptions, streams: TerminalStreams): Promise<number> {
	if (options.target === undefined) {
		throw new UsageError('wheelhouse exec needs a TARGET: a service, job or addon name or id.', 'Run `wheelhouse status` to see them, then `wheelhouse exec notechondria-backend`.');
	}

	const interactive = options.argv === undefined;
	if (interactive && (!streams.stdin.isTTY || !streams.stdout.isTTY)) {
		throw new UsageError('An interactive shell needs a terminal on stdin and stdout.', 'Give a command to run instead: `wheelhouse exec TARGET -- COMMAND …`.');
	}

	const workload = await resolveWorkload(connection.provider, options.target);
	const target: ExecTarget = {...workload, instance: options.instance};
	const session = await connection.provider.openExec(target, {
		command: options.argv,
		tty: interactive,
		columns: streams.stdout.columns,
		rows: streams.stdout.rows,
	});
	let result: ExecResult;
	if (interactive) {
		const where = session.where.instance ?? session.where.host ?? workload.name;
		const label = connection.context.sandbox ? ' (sandbox: a local shell standing in for the container)' : '';
		result = await attachToTerminal(streams, session, {banner: `wheelhouse: shell in ${where}${label}; exit to return, ctrl-] leaves at once`, detachKey: ctrlCloseBracket});
		streams.stderr.write(`\r\nwheelhouse: shell in ${where} ended (exit ${result.exitCode})\n`);
	} else {
		result = await pipeThrough(streams, session);
	}

	if (result.status === 'unknown' && result.message) {
		streams.stderr.write(`wheelhouse: ${result.message}\n`);
	}

	return result.exitCode;
}

/** `wheelhouse exec` on a context that is an SSH host: a shell or a command there, host keys checked. */
export async function runHostExec(host: {name: string; destination: string}, options: ExecCommandOptions, streams: TerminalStreams): Promise<number> {
	const interactive = options.argv === undefined;
	if (interactive && (!streams.stdin.isTTY || !streams.stdout.isTTY)) {
		throw new UsageError('An interactive shell needs a terminal on stdin and stdout.', 'Give a command to run instead: `wheelhouse exec -- COMMAND …`.');
	}

	const {connectSsh, sshExec} = await import('../infra/ssh/index.js');
	const {sshPrompts} = await import('../infra/ssh/prompts.js');
	const connection = await connectSsh({destination: host.destination, ...sshPrompts(streams)});
	try {
		const session = await sshExec(connection, {command: options.argv, tty: interactive, columns: streams.stdout.columns, rows: streams.stdout.rows});
		const result = interactive
			? await attachToTerminal(streams, session, {banner: `wheelhouse: shell on ${host.destination} (context ${host.name}); exit to return, ctrl-] leaves at once`, detachKey: ctrlCloseBracket})
			: await pipeThrough(streams, session);
		if (result.status === 'unknown' && result.message) {
			streams.stderr.write(`wheelhouse: ${result.message}\n`);
		}

		return result.exitCode;
	} finally {
		connection.close();
	}
}

export const processStreams = (): TerminalStreams => ({stdin: process.stdin, stdout: process.stdout, stderr: process.stderr});
