// Render's live tail, `GET /v1/logs/subscribe` upgraded to a WebSocket: the Bearer token in the
// handshake, the filters in the query string (as `/logs`), then one JSON log entry per frame as lines
// happen, from `startTime` (inclusive) when given, else from now. The client closes the socket to stop.
import type {WebSocket} from 'ws';
import type {FaultInjector} from '../fault-injector.js';
import type {SandboxPlatform} from '../platform.js';
import type {RequestStats} from '../request-stats.js';
import {atMs, compareLogTimes, isBefore, nextNanosecond, type LogTime} from '../logs/log-time.js';
import {readSelection, type LogSelection} from './logs.js';

export type SubscribeContext = {platform: SandboxPlatform; faults: FaultInjector; stats: RequestStats};

const pumpIntervalMs = 100;
const maxLinesPerPump = 20_000;
const highWaterBytes = 1024 * 1024;

export class SubscribeSession {
	private live = true;
	private dropped = false;
	private cursor: LogTime;
	private timer: NodeJS.Timeout | undefined;
	private readonly liveSince: number;
	private dropPlan: {version: number; at: number | undefined} | undefined;

	constructor(
		private readonly ws: WebSocket,
		private readonly context: SubscribeContext,
		private readonly selection: LogSelection,
		startTime: LogTime | undefined,
		onEnd: () => void,
	) {
		this.liveSince = context.platform.now();
		this.cursor = startTime ?? atMs(this.liveSince);
		context.stats.webSocketOpened();
		ws.on('error', () => undefined);
		ws.on('close', () => {
			this.live = false;
			clearTimeout(this.timer);
			context.stats.webSocketClosed(this.dropped);
			onEnd();
		});
		this.schedule(0);
	}

	/** Breaks the connection abruptly (the client sees 1006), between two frames; false if it is not live. */
	drop(): boolean {
		if (!this.live) {
			return false;
		}

		this.live = false;
		this.dropped = true;
		clearTimeout(this.timer);
		const cut = () => {
			if (this.ws.bufferedAmount > 0) {
				this.timer = setTimeout(cut, 5);
				return;
			}

			this.ws.terminate();
		};

		cut();
		return true;
	}

	terminate(): void {
		this.live = false;
		clearTimeout(this.timer);
		this.ws.terminate();
	}

	private pump(): void {
		if (!this.live) {
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

		let behind = false;
		const until = atMs(now);
		if (isBefore(this.cursor, until)) {
			let read = 0;
			let last: LogTime | undefined;
			for (const {record, entry} of readSelection(this.selection, this.cursor, until, 'forward')) {
				// Lines sharing a timestamp go out together, so resuming at the next nanosecond loses none.
				if (last && read >= maxLinesPerPump && compareLogTimes(record.time, last) !== 0) {
					behind = true;
					break;
				}

				read += 1;
				last = record.time;
				if (this.selection.matches(entry)) {
					this.ws.send(JSON.stringify(entry));
				}
			}

			this.cursor = behind && last ? nextNanosecond(last) : until;
		}

		this.schedule(behind ? 0 : pumpIntervalMs);
	}

	private dueForDrop(now: number): boolean {
		const {faults} = this.context;
		if (this.dropPlan?.version !== faults.version) {
			this.dropPlan = {version: faults.version, at: faults.webSocketDropAt(this.liveSince)};
		}

		return this.dropPlan.at !== undefined && now >= this.dropPlan.at;
	}

	private schedule(delayMs: number): void {
		this.timer = setTimeout(() => {
			this.pump();
		}, delayMs);
	}
}
