// Platform-neutral log model: what a log line is, where it comes from, and how a tail reports its health.

/** What a log stream is attached to. */
export type LogTarget =
	| {kind: 'service'; id: string; name: string}
	| {kind: 'job'; id: string; name: string; runId?: string}
	| {kind: 'build'; id: string; name: string; serviceId: string}
	| {kind: 'addon'; id: string; name: string};

export type LogLine = {
	/** Label of the stream the line came from (the target's name), for merged views. */
	source: string;
	/** Container (pod) that wrote it. */
	container: string;
	/** When the platform says it was written, in ms since the epoch. */
	timestamp: number;
	/** Nanosecond-precision timestamp as the platform sent it, used to resume exactly. */
	cursor: string;
	/** The line's text, exactly as the platform sent it (not yet sanitised). */
	text: string;
};

export type LogQuery = {
	since?: Date;
	until?: Date;
	limit?: number;
	direction?: 'forward' | 'backward';
	/** One text filter, applied by the platform. */
	filter?: {pattern: string; regex: boolean; exclude: boolean};
};

export type LogPage = {
	lines: LogLine[];
	/** The platform cut the answer at the limit: there is more in that direction. */
	hasMore: boolean;
};

export type TailStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped' | 'failed';

export type TailState = {
	status: TailStatus;
	/** Times the stream was lost and resumed. */
	reconnects: number;
	/** Longest time without a connection, in seconds (the gap the view had). */
	longestGapSeconds: number;
	/** Since when the stream is down, while reconnecting. */
	downSince?: Date;
	/** Lines the platform sent again after a reconnect and that were dropped. */
	duplicatesDropped: number;
	error?: string;
};

/** One live connection's events, as a provider delivers them. */
export type RawTailHandlers = {
	onOpen(): void;
	onLines(lines: LogLine[]): void;
	/** The connection ended; `error` when it broke rather than being closed by us. */
	onClose(error?: Error): void;
};

export type RawTail = {close(): void};
