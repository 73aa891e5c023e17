// One exec session over a WebSocket (reference §5): the init message carries the token and the
// context; the sandbox picks a running container of the workload, starts a real local process for it
// in a scratch directory, streams its output as stdOut/stdErr, and ends with `completion`.
import {StringDecoder} from 'node:string_decoder';
import {WebSocket, type RawData} from 'ws';
import {maskSecret} from '../../infra/redact.js';
import {ApiError} from '../api-error.js';
import {tooManyRequests} from '../fault-injector.js';
import type {SandboxPlatform} from '../platform.js';
import type {RateLimiter} from '../rate-limiter.js';
import type {RequestStats} from '../request-stats.js';
import {initUsage, parseClientFrame, type ClientFrame, type ExecContext} from './client-frames.js';
import {chooseInstance, type RunningInstance, type WorkloadFinder} from './exec-targets.js';
import {findExecutable, launchPlan, type LaunchPlan} from './launch-plan.js';
import type {LocalProcess, ProcessExit} from './local-process.js';
import {startPlainProcess} from './plain-process.js';
import {loadNodePty, startPtyProcess} from './pty-process.js';
import {banner, createScratchDirectory, removeScratchDirectory, sandboxEnvironment} from './sandbox-shell.js';

export type ExecServerContext = {
	platform: SandboxPlatform;
	stats: RequestStats;
	limiter: RateLimiter;
	token: string;
};

/** What the upgrade request asked for: which workload (by route), for stats and the anonymous budget. */
export type ExecTarget = {finder: WorkloadFinder; params: Record<string, string>; route: string; remoteAddress: string};

type Start = {instance: RunningInstance; context: ExecContext; plan: LaunchPlan};

const initTimeoutMs = 10_000;
/** Stop reading the process's output while this much waits for a slow client; read again below the low mark. */
const highWaterBytes = 1024 * 1024;
const lowWaterBytes = 256 * 1024;
const defaultColumns = 80;
const defaultRows = 24;

export class ExecSession {
	/** Settles once the process has exited and its scratch directory is gone. */
	readonly ended: Promise<void>;
	private state: 'waiting' | 'starting' | 'running' | 'ending' = 'waiting';
	private readonly queued: ClientFrame[] = [];
	private process: LocalProcess | undefined;
	private started = false;
	private paused = false;
	private readonly initTimer: NodeJS.Timeout;
	private resumeTimer: NodeJS.Timeout | undefined;
	private markEnded: () => void = () => undefined;

	constructor(
		private readonly ws: WebSocket,
		private readonly context: ExecServerContext,
		private readonly target: ExecTarget,
	) {
		this.ended = new Promise(resolve => {
			this.markEnded = resolve;
		});
		ws.on('message', data => {
			this.receive(data);
		});
		// A client that resets the connection ends the session through 'close'.
		ws.on('error', () => undefined);
		ws.on('close', () => {
			this.closed();
		});
		this.initTimer = setTimeout(() => {
			this.fail(`No init message within ${initTimeoutMs / 1000} s: ${initUsage}`);
		}, initTimeoutMs);
	}

	/** Ends the session at once, killing its process (the sandbox is closing). */
	terminate(): void {
		this.state = 'ending';
		this.process?.kill();
		this.ws.terminate();
	}

	private receive(data: RawData): void {
		if (this.state === 'ending') {
			return;
		}

		let frame: ClientFrame;
		try {
			frame = parseClientFrame(data);
		} catch (error) {
			this.fail(messageOf(error));
			return;
		}

		if (this.state === 'waiting') {
			clearTimeout(this.initTimer);
			if (frame.type === 'init') {
				this.begin(frame.token, frame.context);
			} else {
				this.fail(`The first message must be the init message: ${initUsage}`);
			}
		} else if (frame.type === 'init') {
			this.fail('The init message was already sent; a session runs one command');
		} else if (this.state === 'starting') {
			this.queued.push(frame);
		} else {
			this.apply(frame);
		}
	}

	private begin(token: string | undefined, context: ExecContext): void {
		this.state = 'starting';
		const start = this.authorize(token, context);
		if (start) {
			this.started = true;
			this.start(start).catch((error: unknown) => {
				this.fail(messageOf(error));
				this.markEnded();
			});
		} else {
			this.markEnded();
		}
	}

	/** Token, budget, workload, container and command, in that order; each refusal ends the session before anything runs. */
	private authorize(token: string | undefined, context: ExecContext): Start | undefined {
		const {context: server, target} = this;
		const authenticated = token === server.token;
		let status = 101;
		try {
			const budget = server.limiter.take(authenticated ? token : `anonymous:${target.remoteAddress}`);
			if (!authenticated) {
				status = 401;
				this.state = 'ending';
				this.send({type: 'init', data: {auth: 'failed', message: token === undefined ? `Missing API token: ${initUsage}` : 'Invalid API token: it is not valid for this sandbox'}});
				this.ws.close(1008, 'invalid API token');
				return undefined;
			}

			if (!budget.allowed) {
				throw tooManyRequests(`Rate limit of ${budget.limit} requests per window exceeded; retry in ${budget.resetSeconds} s`, Math.max(1, budget.resetSeconds));
			}

			const instance = chooseInstance(target.finder(server.platform, target.params), context);
			const plan = launchPlan(context, process.env.PATH ?? '');
			return {instance, context, plan};
		} catch (error) {
			status = error instanceof ApiError ? error.status : 500;
			this.fail(messageOf(error));
			return undefined;
		} finally {
			server.stats.record({token: authenticated ? maskSecret(token) : 'anonymous', status, route: target.route});
		}
	}

	private async start({instance, context, plan}: Start): Promise<void> {
		const tty = context.tty === true;
		const nodePty = tty ? await loadNodePty() : undefined;
		const scratch = await createScratchDirectory();
		try {
			if (this.state === 'ending') {
				return;
			}

			this.state = 'running';
			this.send({type: 'init', data: {auth: 'successful', context: instance}});
			const env = sandboxEnvironment({instance, scratch, tty, plan});
			const decoders = {stdout: new StringDecoder(context.encoding ?? 'utf8'), stderr: new StringDecoder(context.encoding ?? 'utf8')};
			if (!findExecutable(plan.file, env.PATH!)) {
				const newline = tty ? '\r\n' : '\n';
				this.output(decoders.stderr, 'stderr', Buffer.from(`sandbox: ${plan.file}: executable file not found in $PATH${newline}`));
				this.complete({exitCode: 127}, decoders, 'executable file not found');
				return;
			}

			if (tty && plan.interactive) {
				this.output(decoders.stdout, 'stdout', Buffer.from(banner(instance)));
			}

			const launch = {file: plan.file, args: plan.args, cwd: scratch, env, columns: context.ttyColumns ?? defaultColumns, rows: context.ttyRows ?? defaultRows};
			const child = nodePty ? startPtyProcess(nodePty, launch) : startPlainProcess(launch);
			this.process = child;
			child.onOutput((chunk, stream) => {
				this.output(decoders[stream], stream, chunk);
			});
			for (const frame of this.queued.splice(0)) {
				this.apply(frame);
			}

			const exit = await child.exited;
			this.process = undefined;
			this.complete(exit, decoders);
		} finally {
			clearTimeout(this.resumeTimer);
			await removeScratchDirectory(scratch);
			this.markEnded();
		}
	}

	private apply(frame: ClientFrame): void {
		const child = this.process;
		if (!child) {
			return;
		}

		switch (frame.type) {
			case 'payload': {
				child.write(frame.data);
				break;
			}

			case 'resize': {
				child.resize(frame.columns, frame.rows);
				break;
			}

			case 'stdInEnd': {
				child.endInput();
				break;
			}

			default: {
				break;
			}
		}
	}

	private output(decoder: StringDecoder, stream: 'stdout' | 'stderr', chunk: Buffer): void {
		const text = decoder.write(chunk);
		if (text !== '') {
			this.send({type: stream === 'stdout' ? 'stdOut' : 'stdErr', data: text});
		}

		this.throttle();
	}

	/** Reports how the process ended, after the last of its output, and closes normally. */
	private complete(exit: ProcessExit, decoders: Record<'stdout' | 'stderr', StringDecoder>, message?: string): void {
		for (const stream of ['stdout', 'stderr'] as const) {
			const rest = decoders[stream].end();
			if (rest !== '') {
				this.send({type: stream === 'stdout' ? 'stdOut' : 'stdErr', data: rest});
			}
		}

		const why = message ?? (exit.signal ? `terminated by ${exit.signal}` : undefined);
		this.send({type: 'completion', data: {exitCode: exit.exitCode, status: exit.exitCode === 0 ? 'Success' : 'Failure', ...(why ? {message: why} : {})}});
		this.state = 'ending';
		this.ws.close(1000, 'command completed');
	}

	private throttle(): void {
		if (this.paused || this.ws.bufferedAmount < highWaterBytes) {
			return;
		}

		this.paused = true;
		this.process?.pause();
		const check = () => {
			if (this.ws.readyState === WebSocket.OPEN && this.ws.bufferedAmount > lowWaterBytes) {
				this.resumeTimer = setTimeout(check, 10);
				return;
			}

			this.paused = false;
			this.process?.resume();
		};

		this.resumeTimer = setTimeout(check, 10);
	}

	private closed(): void {
		clearTimeout(this.initTimer);
		this.state = 'ending';
		if (this.started) {
			this.process?.hangUp();
		} else {
			this.markEnded();
		}
	}

	private fail(message: string): void {
		clearTimeout(this.initTimer);
		this.state = 'ending';
		this.send({type: 'error', data: {message}});
		this.ws.close(1008, 'exec refused');
		this.process?.hangUp();
	}

	private send(message: unknown): void {
		if (this.ws.readyState === WebSocket.OPEN) {
			this.ws.send(JSON.stringify(message));
		}
	}
}

function messageOf(error: unknown): string {
	return error instanceof ApiError ? error.message : `Internal sandbox error: ${(error as Error).message}`;
}
