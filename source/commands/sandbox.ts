// `wheelhouse sandbox`: runs the sandbox platform in the foreground until SIGINT or SIGTERM.
import path from 'node:path';
import {UsageError, WheelhouseError} from '../core/errors.js';
import {startSandbox, type SandboxHandle} from '../sandbox/index.js';
import {stateFileName} from '../sandbox/persistence.js';

export const defaultSandboxPort = 4780;

export type SandboxCommandOptions = {port?: number; stateDir?: string; chaos?: string; logRate?: number; databaseUrl?: string};

export type SandboxCommandIo = {
	stdout: NodeJS.WritableStream;
	stderr: NodeJS.WritableStream;
	/** Stops the sandbox like a signal would (for tests and embedding). */
	signal?: AbortSignal;
};

export async function runSandboxCommand(options: SandboxCommandOptions, io: SandboxCommandIo): Promise<number> {
	const port = options.port ?? defaultSandboxPort;
	if (!Number.isInteger(port) || port < 0 || port > 65_535) {
		throw new UsageError(`--port must be a whole number from 0 to 65535, got ${port}`, 'Use e.g. --port 4780, or --port 0 for any free port.');
	}

	const sandbox = await start(port, options);
	const {url, token} = sandbox;
	io.stdout.write([
		`wheelhouse sandbox listening on ${url} (token ${token})`,
		`  point the console at it:  wheelhouse --sandbox-url ${url}`,
		`  Render's API too: key ${sandbox.renderToken}, e.g. wheelhouse context add demo --platform render --url ${url}`,
		`    (shells: SSH on 127.0.0.1:${sandbox.renderSshPort} for keys added with POST ${url}/_sandbox/render/ssh-keys)`,
		options.stateDir === undefined
			? '  state: in memory (use --state DIR to keep it across restarts)'
			: `  state: ${path.join(options.stateDir, stateFileName)}`,
		...(options.chaos === undefined ? [] : [`  chaos: ${options.chaos}`]),
		...(options.logRate === undefined ? [] : [`  log rate: ${options.logRate} lines/s per container`]),
		...(sandbox.database ? [`  database: ${sandbox.database.describe()}${sandbox.database.kind === 'managed' ? ' (starting in the background)' : ''}`] : []),
		`  controls (same token): GET ${url}/_sandbox/stats, POST ${url}/_sandbox/chaos, POST ${url}/_sandbox/fail-next, POST ${url}/_sandbox/log-rate, POST ${url}/_sandbox/drop-ws`,
		'Press Ctrl+C to stop.',
		'',
	].join('\n'));

	const reason = await untilStopped(io.signal);
	await sandbox.close();
	io.stdout.write(`wheelhouse sandbox stopped (${reason})${options.stateDir === undefined ? '' : `; state saved in ${options.stateDir}`}\n`);
	return 0;
}

async function start(port: number, options: SandboxCommandOptions): Promise<SandboxHandle> {
	try {
		return await startSandbox({port, stateDir: options.stateDir, chaos: options.chaos, logRate: options.logRate, ...(options.databaseUrl === undefined ? {} : {database: {url: options.databaseUrl}})});
	} catch (error) {
		if (error instanceof WheelhouseError) {
			throw error;
		}

		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EADDRINUSE') {
			throw new UsageError(`Port ${port} on 127.0.0.1 is already in use`, 'Stop whatever is using it, or choose another port with --port N (--port 0 picks a free one).');
		}

		if (code === 'EACCES') {
			throw new UsageError(`Not allowed to listen on port ${port}`, 'Choose a port above 1023 with --port N.');
		}

		throw error;
	}
}

function untilStopped(signal: AbortSignal | undefined): Promise<string> {
	return new Promise(resolve => {
		const stop = (reason: string) => {
			process.off('SIGINT', onInterrupt);
			process.off('SIGTERM', onTerminate);
			signal?.removeEventListener('abort', onAbort);
			resolve(reason);
		};

		const onInterrupt = () => stop('SIGINT');
		const onTerminate = () => stop('SIGTERM');
		const onAbort = () => stop('aborted');
		process.once('SIGINT', onInterrupt);
		process.once('SIGTERM', onTerminate);
		if (signal?.aborted) {
			onAbort();
			return;
		}

		signal?.addEventListener('abort', onAbort, {once: true});
	});
}
