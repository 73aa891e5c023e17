import type {LogSessionSource} from '../../source/core/log-source.js';
import type {LogLine, LogPage, LogTarget, TailState} from '../../source/core/logs.js';

export type FakeLogSource = LogSessionSource & {
	/** Delivers lines as the live tail would. */
	emit(lines: LogLine[]): void;
	/** Reports a target's stream health (the first target by default). */
	state(state: Partial<TailState>, target?: LogTarget): void;
	readonly started: boolean;
	readonly stopped: boolean;
	readonly fetches: Array<{target: LogTarget; before: Date; limit: number}>;
};

export const liveState: TailState = {status: 'live', reconnects: 0, longestGapSeconds: 0, duplicatesDropped: 0};

/**
 * An in-memory log session: tests push lines and states; `history` answers fetchOlder per target
 * name (lines oldest first), as a platform would, page by page.
 */
export function createFakeLogSource(targets: LogTarget[], history: Record<string, LogLine[]> = {}): FakeLogSource {
	let handlers: Parameters<LogSessionSource['start']>[0] | undefined;
	let started = false;
	let stopped = false;
	const fetches: FakeLogSource['fetches'] = [];
	return {
		targets,
		start(given) {
			handlers = given;
			started = true;
		},
		stop() {
			stopped = true;
			handlers = undefined;
		},
		async fetchOlder(target, before, limit): Promise<LogPage> {
			fetches.push({target, before, limit});
			const older = (history[target.name] ?? []).filter(line => line.timestamp < before.getTime());
			return {lines: older.slice(Math.max(0, older.length - limit)), hasMore: older.length > limit};
		},
		emit(lines) {
			handlers?.onLines(lines);
		},
		state(state, target = targets[0]!) {
			handlers?.onState(target, {...liveState, ...state});
		},
		get started() {
			return started;
		},
		get stopped() {
			return stopped;
		},
		fetches,
	};
}

const base = new Date(2026, 10, 22, 3, 12, 40).getTime();

/** A line from `source` at `base + ms`; the cursor is its RFC 3339 time. */
export function logLine(text: string, options: {source?: string; at?: number; container?: string} = {}): LogLine {
	const timestamp = base + (options.at ?? 0);
	return {
		source: options.source ?? 'notechondria-backend',
		container: options.container ?? 'notechondria-backend-78b4d4459d-x7k2p',
		timestamp,
		cursor: new Date(timestamp).toISOString(),
		text,
	};
}

/** `count` numbered lines: `line 0`, `line 1`, … one millisecond apart. */
export function numberedLines(count: number, options: {from?: number; source?: string; text?: (index: number) => string} = {}): LogLine[] {
	const from = options.from ?? 0;
	return Array.from({length: count}, (_, offset) => {
		const index = from + offset;
		return logLine(options.text?.(index) ?? `line ${index}`, {source: options.source, at: index});
	});
}
