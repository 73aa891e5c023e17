import process from 'node:process';
import {parseInvocation, type Invocation} from './cli/args.js';
import {connect, planConnection, sshHostContext} from './cli/connect.js';
import {helpText} from './cli/help.js';
import {refuseWhenReadOnly} from './cli/read-only.js';
import {withoutFetch} from './cli/without-fetch.js';
import {WheelhouseError} from './core/errors.js';
import {processRedactor} from './infra/redact.js';

declare const WHEELHOUSE_VERSION: string | undefined;

export const version = typeof WHEELHOUSE_VERSION === 'string' ? WHEELHOUSE_VERSION : '0.0.0-dev';

async function run(invocation: Invocation): Promise<number> {
	switch (invocation.command) {
		case 'help': {
			process.stdout.write(`${helpText(invocation.topic)}\n`);
			return 0;
		}

		case 'version': {
			process.stdout.write(`${version}\n`);
			return 0;
		}

		case 'sandbox': {
			const {runSandboxCommand} = await import('./commands/sandbox.js');
			return runSandboxCommand({port: invocation.port, stateDir: invocation.stateDir, chaos: invocation.chaos, logRate: invocation.logRate, databaseUrl: invocation.databaseUrl}, {stdout: process.stdout, stderr: process.stderr});
		}

		case 'status': {
			const connection = await connect(invocation.globals);
			try {
				const {runStatusCommand} = await import('./commands/status.js');
				return await runStatusCommand(connection, {json: invocation.globals.json}, process.stdout);
			} finally {
				await connection.close();
			}
		}

		case 'logs': {
			const connection = await connect(invocation.globals);
			const stop = new AbortController();
			const onSignal = () => {
				stop.abort();
			};

			process.once('SIGINT', onSignal);
			process.once('SIGTERM', onSignal);
			// A reader that goes away (`| head`) ends the command quietly.
			process.stdout.on('error', onSignal);
			try {
				const {runLogsCommand} = await import('./commands/logs.js');
				return await runLogsCommand(connection, {target: invocation.target, follow: invocation.follow, sinceMs: invocation.sinceMs, grep: invocation.grep, json: invocation.globals.json}, process.stdout, stop.signal);
			} finally {
				process.off('SIGINT', onSignal);
				process.off('SIGTERM', onSignal);
				await connection.close();
			}
		}

		case 'exec': {
			const host = await sshHostContext(invocation.globals);
			if (host) {
				const {runHostExec, processStreams} = await import('./commands/exec.js');
				return runHostExec(host, {argv: invocation.argv}, processStreams());
			}

			const connection = await connect(invocation.globals);
			try {
				const {runExecCommand, processStreams} = await import('./commands/exec.js');
				return await runExecCommand(connection, {target: invocation.target, instance: invocation.instance, argv: invocation.argv}, processStreams());
			} finally {
				await connection.close();
			}
		}

		case 'setup': {
			const {runSetupCommand} = await import('./commands/setup.js');
			return runSetupCommand(invocation.globals);
		}

		case 'context': {
			const {runContextCommand} = await import('./commands/context.js');
			return runContextCommand(invocation.action, {json: invocation.globals.json}, {stdin: process.stdin, stdout: process.stdout});
		}

		case 'release':
		case 'rollback':
		case 'backup':
		case 'restore':
		case 'resume': {
			const connection = await connect(invocation.globals);
			try {
				const {runRunbookCommand} = await import('./commands/runbooks.js');
				return await runRunbookCommand(connection, invocation, {stdin: process.stdin, stdout: process.stdout});
			} finally {
				await connection.close();
			}
		}

		case 'backups': {
			const connection = await connect(invocation.globals);
			try {
				const {runBackupsCommand} = await import('./commands/backups.js');
				return await runBackupsCommand(connection, {addon: invocation.addon, json: invocation.globals.json}, process.stdout);
			} finally {
				await connection.close();
			}
		}

		case 'history': {
			const {runHistoryCommand} = await import('./commands/history.js');
			return runHistoryCommand({runId: invocation.runId, json: invocation.globals.json}, process.stdout);
		}

		case 'console': {
			if (!process.stdout.isTTY || !process.stdin.isTTY) {
				// No terminal to draw on: print the status once instead of a full-screen UI.
				return run({command: 'status', globals: invocation.globals});
			}

			const plan = await planConnection(invocation.globals);
			const {runConsole} = await withoutFetch(async () => import('./commands/console.js'));
			const result = await runConsole(plan);
			if (result !== 'setup') {
				return result;
			}

			// `S` on the first screen: the guided setup, which can open the console on the new context.
			const {runSetupCommand} = await import('./commands/setup.js');
			return runSetupCommand({...invocation.globals, sandbox: false, readOnly: false});
		}
	}
}

/** One line naming the problem, one naming the fix; secrets masked. */
function reportError(error: unknown): number {
	if (error instanceof WheelhouseError) {
		process.stderr.write(processRedactor.redact(`wheelhouse: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`));
		return error.exitCode;
	}

	const message = error instanceof Error ? error.message : String(error);
	process.stderr.write(processRedactor.redact(`wheelhouse: unexpected error: ${message}\n  Please report this with the command you ran.\n`));
	return 1;
}

export async function main(argv: string[]): Promise<number> {
	try {
		const invocation = parseInvocation(argv);
		await refuseWhenReadOnly(invocation);
		return await run(invocation);
	} catch (error) {
		return reportError(error);
	}
}

const exitCode = await main(process.argv.slice(2));
// Keep-alive sockets or timers must not hold the process open; flush stdout first (it may be a pipe).
process.stdout.write('', () => {
	process.exit(exitCode);
});
