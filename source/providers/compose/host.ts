import {posix} from 'node:path';
import type {ClientChannel} from 'ssh2';
import {ProviderError} from '../../core/errors.js';
import type {ExecRequest, ExecSession} from '../../core/exec.js';
import {toPlainText} from '../../infra/sanitize.js';
import {connectSsh, quoteShellCommand, sshExec, type SshConnection} from '../../infra/ssh/index.js';
import type {ComposeOptions} from './options.js';

export type CommandResult = {code: number; stdout: string; stderr: string};

export type RunOptions = {
	/** Variables set for docker itself (the image tag variable), as `env NAME=value docker …`. */
	env?: Record<string, string>;
	/** Kill the command after this long (default 60 s). */
	timeoutMs?: number;
};

const defaultTimeoutMs = 60_000;
const maxCapturedStderr = 64 * 1024;

/**
 * The Compose host over one SSH connection, opened on first use and again after it drops: runs
 * `docker compose` with the project's own flags, collected (run), as an ExecSession (session), or
 * as a raw channel for streams (channel).
 */
export class ComposeHost {
	/** Commands started on the host, for stats(). */
	commands = 0;
	private connecting: Promise<SshConnection> | undefined;

	constructor(private readonly options: ComposeOptions) {}

	get name(): string {
		return this.options.destination;
	}

	async connection(): Promise<SshConnection> {
		if (!this.connecting) {
			const attempt = connectSsh({...this.options.ssh, destination: this.options.destination});
			this.connecting = attempt;
			attempt.then(connection => {
				void connection.closed.then(() => {
					if (this.connecting === attempt) {
						this.connecting = undefined;
					}
				});
			}, () => {
				if (this.connecting === attempt) {
					this.connecting = undefined;
				}
			});
		}

		return this.connecting;
	}

	/** argv of `docker compose <project flags> <args>` (with `env NAME=value` first when given). */
	composeArgv(args: readonly string[], env: Record<string, string> = {}): string[] {
		const directory = this.options.projectDirectory;
		const resolve = (file: string): string => posix.resolve(directory, file);
		const project = [
			'--project-directory', directory,
			...(this.options.composeFiles ?? []).flatMap(file => ['-f', resolve(file)]),
			...(this.options.projectName ? ['-p', this.options.projectName] : []),
			...(this.options.envFile ? ['--env-file', resolve(this.options.envFile)] : []),
		];
		const assignments = Object.entries(env).map(([name, value]) => `${name}=${value}`);
		return [...(assignments.length > 0 ? ['env', ...assignments] : []), this.options.docker ?? 'docker', 'compose', ...project, ...args];
	}

	/** Runs `docker compose …` to completion and collects its output; never rejects for a non-zero exit. */
	async run(args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
		const channel = await this.channel(args, options);
		const stdout: Buffer[] = [];
		let stderr = '';
		channel.on('data', (chunk: Buffer) => stdout.push(chunk));
		channel.stderr.on('data', (chunk: Buffer) => {
			if (stderr.length < maxCapturedStderr) {
				stderr += chunk.toString('utf8');
			}
		});
		const code = await exitOf(channel, options.timeoutMs ?? defaultTimeoutMs, `docker compose ${args[0] ?? ''}`, this.name);
		return {code, stdout: Buffer.concat(stdout).toString('utf8'), stderr};
	}

	/** Runs `docker compose …` and returns stdout; a non-zero exit becomes a ProviderError in Compose's words. */
	async output(args: readonly string[], options: RunOptions = {}): Promise<string> {
		const result = await this.run(args, options);
		if (result.code !== 0) {
			throw composeFailure(args, result, this.name);
		}

		return result.stdout;
	}

	/** `docker compose …` as an ExecSession (a pty when asked), for exec and one-off commands. */
	async session(args: readonly string[], request: Omit<ExecRequest, 'command'>): Promise<ExecSession> {
		this.commands++;
		return sshExec(await this.connection(), {...request, command: this.composeArgv(args)});
	}

	/** A command on the host itself (not in a container), as an ExecSession. */
	async hostSession(request: ExecRequest): Promise<ExecSession> {
		this.commands++;
		return sshExec(await this.connection(), request);
	}

	/** Runs a shell script on the host itself (`sh -c`) to completion; never rejects for a non-zero exit. */
	async shell(script: string, options: {timeoutMs?: number} = {}): Promise<CommandResult> {
		const channel = await this.rawChannel(quoteShellCommand(['sh', '-c', script]));
		const stdout: Buffer[] = [];
		let stderr = '';
		channel.on('data', (chunk: Buffer) => stdout.push(chunk));
		channel.stderr.on('data', (chunk: Buffer) => {
			if (stderr.length < maxCapturedStderr) {
				stderr += chunk.toString('utf8');
			}
		});
		const code = await exitOf(channel, options.timeoutMs ?? defaultTimeoutMs, 'a shell command', this.name);
		return {code, stdout: Buffer.concat(stdout).toString('utf8'), stderr};
	}

	/** The raw SSH channel of `docker compose …`: stdout is the channel, stderr its `.stderr`; for streams with backpressure. */
	async channel(args: readonly string[], options: {env?: Record<string, string>} = {}): Promise<ClientChannel> {
		return this.rawChannel(quoteShellCommand(this.composeArgv(args, options.env)));
	}

	/**
	 * The raw SSH channel of a command line for the host's shell. A connection that dropped but is not
	 * yet known closed (ssh2 throws "Not connected") is given up and a new one opened, once.
	 */
	async rawChannel(command: string, retried = false): Promise<ClientChannel> {
		const connection = await this.connection();
		this.commands++;
		try {
			return await new Promise<ClientChannel>((resolve, reject) => {
				connection.client.exec(command, (error, channel) => {
					if (error) {
						reject(new ProviderError('unreachable', `Cannot run a command on ${this.name}: ${error.message}`, {cause: error}));
					} else {
						resolve(channel);
					}
				});
			});
		} catch (error) {
			if (error instanceof ProviderError) {
				throw error;
			}

			const current = this.connecting;
			if (current && await current.catch(() => undefined) === connection && this.connecting === current) {
				this.connecting = undefined;
			}

			connection.close();

			if (!retried) {
				return this.rawChannel(command, true);
			}

			throw new ProviderError('unreachable', `Cannot run a command on ${this.name}: ${(error as Error).message}`, {cause: error});
		}
	}

	close(): void {
		const connecting = this.connecting;
		this.connecting = undefined;
		void connecting?.then(connection => {
			connection.close();
		}, () => undefined);
	}
}

/** Resolves with the exit code once the channel closes (255 when it ended without one). */
export async function exitOf(channel: ClientChannel, timeoutMs: number, what: string, host: string): Promise<number> {
	return new Promise((resolve, reject) => {
		let code: number | undefined;
		let signal: string | undefined;
		const timer = setTimeout(() => {
			channel.signal('KILL');
			channel.close();
			reject(new ProviderError('timeout', `${what} on ${host} did not finish within ${Math.round(timeoutMs / 1000)} s.`, {hint: 'Check the host (docker compose may be stuck), then try again.'}));
		}, timeoutMs);
		channel.on('exit', (exitCode: number | null, exitSignal?: string) => {
			code = exitCode ?? undefined;
			signal = exitSignal;
		});
		channel.once('close', () => {
			clearTimeout(timer);
			resolve(code ?? (signal ? 128 + 15 : 255));
		});
	});
}

/** Compose's exit codes for its failure categories (file not found, parse, syntax, pull). */
const failureKinds: Record<number, {kind: ProviderError['kind']; hint: string}> = {
	14: {kind: 'not-found', hint: 'Check "projectDirectory" and "composeFiles" in the context: Compose finds no compose file there.'},
	15: {kind: 'bad-request', hint: 'The compose file does not parse on the host: run `docker compose config` there.'},
	16: {kind: 'protocol', hint: 'This docker compose does not understand wheelhouse\'s command: is it Compose v2 (`docker compose version`)?'},
	18: {kind: 'not-found', hint: 'Check the image tag exists in the registry and the host is logged in to it.'},
	127: {kind: 'not-found', hint: 'Install Docker with the Compose v2 plugin on the host, or set "docker" in the context to its path.'},
};

/** A failed `docker compose` command as a ProviderError carrying Compose's own last words. */
export function composeFailure(args: readonly string[], result: CommandResult, host: string): ProviderError {
	const said = lastLines(result.stderr) || lastLines(result.stdout) || `exit status ${result.code}`;
	const known = failureKinds[result.code];
	const noSuchService = /no such service: (\S+)/.exec(said);
	const kind = known?.kind ?? (noSuchService ? 'not-found' : 'server');
	const hint = noSuchService
		? `The project has no service "${noSuchService[1]}": check "appService" and "dbService" in the context against \`docker compose config --services\`.`
		: known?.hint;
	return new ProviderError(kind, `docker compose ${args[0] ?? ''} on ${host} failed (exit ${result.code}): ${said}`, {hint});
}

function lastLines(text: string): string {
	return toPlainText(text.trim().split('\n').slice(-2).join(' ')).replaceAll(/\s+/g, ' ').trim().slice(0, 400);
}
