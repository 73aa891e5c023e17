import type {LogLine, RawTail, RawTailHandlers, TailState} from './logs.js';
import {ResendFilter} from './resend-filter.js';

export {compareCursors} from './resend-filter.js';

/** Opens one live connection from a cursor (exclusive of nothing: the platform resends lines at it). */
export type TailOpener = (from: {cursor?: string; since?: Date}, handlers: RawTailHandlers) => RawTail;

export type LogTailOptions = {
	onLines(lines: LogLine[]): void;
	onState?(state: TailState): void;
	/** Where the first connection starts; the platform's default backlog when absent. */
	since?: Date;
	initialBackoffMs?: number;
	maxBackoffMs?: number;
	/** Errors that must not be retried (a rejected token): the tail stops as failed. */
	isFatal?(error: Error): boolean;
	now?(): number;
};

/**
 * A live tail that survives dropped connections: it reconnects with backoff from the last line's
 * timestamp and drops the lines the platform sends again, so no line is lost or shown twice.
 */
export class LogTail {
	private connection: RawTail | undefined;
	private timer: ReturnType<typeof setTimeout> | undefined;
	private stopped = true;
	private attempt = 0;
	private readonly resends = new ResendFilter();
	private state: TailState = {status: 'connecting', reconnects: 0, longestGapSeconds: 0, duplicatesDropped: 0};
	private readonly now: () => number;

	constructor(private readonly open: TailOpener, private readonly options: LogTailOptions) {
		this.now = options.now ?? Date.now;
	}

	start(): void {
		if (!this.stopped) {
			return;
		}

		this.stopped = false;
		this.connect();
	}

	stop(): void {
		this.stopped = true;
		clearTimeout(this.timer);
		const connection = this.connection;
		this.connection = undefined;
		connection?.close();
		this.update({status: 'stopped', downSince: undefined});
	}

	getState(): TailState {
		return this.state;
	}

	private connect(): void {
		const cursor = this.resends.cursor;
		const from = cursor === undefined ? {since: this.options.since} : {cursor};
		this.resends.resume();
		let closed = false;
		const connection = this.open(from, {
			onOpen: () => {
				if (this.connection !== connection) {
					return;
				}

				const gap = this.state.downSince ? (this.now() - this.state.downSince.getTime()) / 1000 : 0;
				this.attempt = 0;
				this.update({status: 'live', downSince: undefined, error: undefined, longestGapSeconds: Math.max(this.state.longestGapSeconds, gap)});
			},
			onLines: lines => {
				if (this.connection !== connection) {
					return;
				}

				const fresh = this.dropRepeats(lines);
				if (fresh.length > 0) {
					this.options.onLines(fresh);
				}
			},
			onClose: error => {
				if (closed) {
					return;
				}

				closed = true;
				if (this.connection !== connection || this.stopped) {
					return;
				}

				this.connection = undefined;
				if (error && this.options.isFatal?.(error)) {
					this.stopped = true;
					this.update({status: 'failed', error: error.message});
					return;
				}

				this.scheduleReconnect(error);
			},
		});
		this.connection = connection;
	}

	private scheduleReconnect(error: Error | undefined): void {
		const initial = this.options.initialBackoffMs ?? 250;
		const max = this.options.maxBackoffMs ?? 5000;
		const delay = Math.min(max, initial * (2 ** this.attempt)) * (0.75 + (Math.random() * 0.5));
		this.attempt++;
		this.update({
			status: 'reconnecting',
			reconnects: this.state.reconnects + 1,
			downSince: this.state.downSince ?? new Date(this.now()),
			error: error?.message,
		});
		this.timer = setTimeout(() => {
			if (!this.stopped) {
				this.connect();
			}
		}, delay);
	}

	/** Lines at or before the last one delivered were sent before the reconnect: drop them. */
	private dropRepeats(lines: LogLine[]): LogLine[] {
		const {fresh, dropped} = this.resends.admit(lines);
		if (dropped > 0) {
			this.update({duplicatesDropped: this.state.duplicatesDropped + dropped});
		}

		return fresh;
	}

	private update(change: Partial<TailState>): void {
		this.state = {...this.state, ...change};
		this.options.onState?.(this.state);
	}
}
