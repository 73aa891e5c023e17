// One live tail over a WebSocket (reference §3): the client's init frame carries the token; then
// the backlog, then new lines in batches until the client closes, or chaos drops the connection.
import type {RawData, WebSocket} from 'ws';
import {maskSecret} from '../../infra/redact.js';
import {ApiError} from '../api-error.js';
import type {FaultInjector} from '../fault-injector.js';
import {tooManyRequests} from '../fault-injector.js';
import type {SandboxPlatform} from '../platform.js';
import type {RateLimiter} from '../rate-limiter.js';
import type {RequestStats} from '../request-stats.js';
import {LogBatcher} from './log-batcher.js';
import {toEntry} from './log-entry.js';
import {defaultTailBacklog, parseTailQuery, type TailQuery} from './log-query.js';
import {openLogs, type LogSelector} from './log-routes.js';
import {atMs, compareLogTimes, isBefore, nextNanosecond, type LogTime} from './log-time.js';
import {mergeRecords} from './merge.js';
import {readRange} from './range-query.js';

export type TailContext = {
	platform: SandboxPlatform;
	faults: FaultInjector;
	stats: RequestStats;
	limiter: RateLimiter;
	token: string;
};

/** What the upgrade request asked for: which containers (by route) and the query string. */
export type TailTarget = {selector: LogSelector; params: Record<string, string>; query: URLSearchParams; route: string; remoteAddress: string};

const initTimeoutMs = 10_000;
const pumpIntervalMs = 100;
const flushAfterMs = 1000;
const backlogWindowMs = 30 * 60 * 1000;
/** Lines read per turn of the event loop while catching up, so one flooding tail cannot starve the rest. */
const maxLinesPerPump = 20_000;
/** Stop reading ahead while this much is queued for a slow client; the lines wait in the past, unchanged. */
const highWaterBytes = 1024 * 1024;

const initUsage = 'send {"type":"init","data":{"auth":{"type":"apiToken","apiToken":"<token>"}}} first';

export class TailSession {
	private state: 'waiting' | 'live' | 'ending' = 'waiting';
	private query: TailQuery = {};
	private cursor: LogTime = atMs(0);
	private catchingUp = false;
	private liveSince = 0;
	private dropPlan: {version: number; at: number | undefined} | undefined;
	private dropped = false;
	private timer: NodeJS.Timeout | undefined;
	private readonly initTimer: NodeJS.Timeout;
	private readonly batcher: LogBatcher;

	constructor(
		private readonly ws: WebSocket,
		private readonly context: TailContext,
		private readonly target: TailTarget,
		onEnd: () => void,
	) {
		this.batcher = new LogBatcher(frame => {
			this.ws.send(frame);
		});
		ws.on('message', (data, isBinary) => {
			this.receive(data, isBinary);
		});
		// A client that resets the connection ends the session through 'close'.
		ws.on('error', () => undefined);
		ws.on('close', () => {
			this.state = 'ending';
			this.stopTimers();
			context.stats.webSocketClosed(this.dropped);
			onEnd();
		});
		this.initTimer = setTimeout(() => {
			this.fail(`No init message within ${initTimeoutMs / 1000} s: ${initUsage}`);
		}, initTimeoutMs);
	}

	/** Breaks a live connection abruptly (no close frame, the client sees 1006), between two frames; false if it is not live. */
	drop(): boolean {
		if (this.state !== 'live') {
			return false;
		}

		this.state = 'ending';
		this.dropped = true;
		this.stopTimers();
		this.batcher.discard();
		const cut = () => {
			// Frames already queued leave first, so the break never falls inside one.
			if (this.ws.bufferedAmount > 0) {
				this.timer = setTimeout(cut, 5);
				return;
			}

			this.ws.terminate();
		};

		cut();
		return true;
	}

	/** Ends the session at once (the sandbox is closing). */
	terminate(): void {
		this.state = 'ending';
		this.stopTimers();
		this.ws.terminate();
	}

	private receive(data: RawData, isBinary: boolean): void {
		// The protocol gives the client nothing to say after init; it closes the socket to stop.
		if (this.state !== 'waiting') {
			return;
		}

		this.state = 'ending';
		clearTimeout(this.initTimer);
		const token = isBinary ? undefined : initToken(data.toString());
		if (token === undefined) {
			this.fail(`The first message must be the init message: ${initUsage}`);
			return;
		}

		this.authorize(token);
	}

	private authorize(token: string): void {
		const {context, target} = this;
		const authenticated = token === context.token;
		let status = 101;
		try {
			const budget = context.limiter.take(authenticated ? token : `anonymous:${target.remoteAddress}`);
			if (!authenticated) {
				status = 401;
				this.send({type: 'init', data: {auth: 'failed', message: 'Invalid API token: it is not valid for this sandbox'}});
				this.ws.close(1008, 'invalid API token');
				return;
			}

			if (!budget.allowed) {
				throw tooManyRequests(`Rate limit of ${budget.limit} requests per window exceeded; retry in ${budget.resetSeconds} s`, Math.max(1, budget.resetSeconds));
			}

			this.query = parseTailQuery(target.query);
			// Unknown projects, services, runs or builds fail here, before the client is told it is in.
			this.open(0, 0);
		} catch (error) {
			status = error instanceof ApiError ? error.status : 500;
			this.fail(messageOf(error));
			return;
		} finally {
			context.stats.record({token: authenticated ? maskSecret(token) : 'anonymous', status, route: target.route});
		}

		this.send({type: 'init', data: {auth: 'successful'}});
		try {
			this.goLive();
		} catch (error) {
			this.fail(messageOf(error));
		}
	}

	private goLive(): void {
		const now = this.context.platform.now();
		this.state = 'live';
		this.liveSince = now;
		if (this.query.startTime) {
			// A resuming client gets every line from its last timestamp on, that one included.
			this.cursor = this.query.startTime;
			this.catchingUp = true;
		} else {
			const from = atMs(now - backlogWindowMs);
			const backlog = readRange(this.open(from.ms, now + 1), {...this.query, from, to: atMs(now), direction: 'backward', lineLimit: this.query.lineLimit ?? defaultTailBacklog}, now);
			for (const entry of backlog.data.reverse()) {
				this.batcher.add(entry);
			}

			this.batcher.flush();
			this.cursor = atMs(now);
		}

		this.schedule(0);
	}

	private pump(): void {
		this.timer = undefined;
		if (this.state !== 'live') {
			return;
		}

		const now = this.context.platform.now();
		if (this.dueForDrop(now)) {
			this.drop();
			return;
		}

		if (this.ws.bufferedAmount > highWaterBytes) {
			this.schedule(20);
			return;
		}

		let behind: boolean;
		try {
			behind = this.readUntil(atMs(now));
		} catch (error) {
			this.fail(messageOf(error));
			return;
		}

		if ((this.catchingUp && !behind) || this.batcher.age() >= flushAfterMs) {
			this.catchingUp &&= behind;
			this.batcher.flush();
		}

		this.schedule(behind ? 0 : pumpIntervalMs);
	}

	/** Batches the lines from the cursor up to `until`; true when it stopped early to let others run. */
	private readUntil(until: LogTime): boolean {
		if (!isBefore(this.cursor, until)) {
			return false;
		}

		const logs = this.open(this.cursor.ms, until.ms + 1);
		const records = mergeRecords(logs.map(log => log.forward(this.cursor, until)), 'forward');
		const {matches} = this.query;
		let read = 0;
		let last: LogTime | undefined;
		for (const record of records) {
			// Lines sharing a timestamp go together, so resuming at the next nanosecond loses none.
			if (last && read >= maxLinesPerPump && compareLogTimes(record.time, last) !== 0) {
				this.cursor = nextNanosecond(last);
				return true;
			}

			read += 1;
			last = record.time;
			if (matches === undefined || matches(record.text)) {
				this.batcher.add(toEntry(record));
			}
		}

		this.cursor = until;
		return false;
	}

	private dueForDrop(now: number): boolean {
		const {faults} = this.context;
		if (this.dropPlan?.version !== faults.version) {
			this.dropPlan = {version: faults.version, at: faults.webSocketDropAt(this.liveSince)};
		}

		return this.dropPlan.at !== undefined && now >= this.dropPlan.at;
	}

	private open(fromMs: number, toMs: number) {
		const {platform} = this.context;
		return openLogs(this.target.selector, {platform, params: this.target.params, filters: this.query}, fromMs, toMs);
	}

	private schedule(delayMs: number): void {
		this.timer = setTimeout(() => {
			this.pump();
		}, delayMs);
	}

	private fail(message: string): void {
		this.state = 'ending';
		this.stopTimers();
		this.send({type: 'error', data: {message}});
		this.ws.close(1008, 'log tail refused');
	}

	private send(message: unknown): void {
		this.ws.send(JSON.stringify(message));
	}

	private stopTimers(): void {
		clearTimeout(this.initTimer);
		clearTimeout(this.timer);
		this.timer = undefined;
	}
}

function initToken(text: string): string | undefined {
	try {
		const message = JSON.parse(text) as {type?: unknown; data?: {auth?: {type?: unknown; apiToken?: unknown}}};
		const auth = message.type === 'init' ? message.data?.auth : undefined;
		return auth?.type === 'apiToken' && typeof auth.apiToken === 'string' ? auth.apiToken : undefined;
	} catch {
		return undefined;
	}
}

function messageOf(error: unknown): string {
	return error instanceof ApiError ? error.message : `Internal sandbox error: ${(error as Error).message}`;
}
