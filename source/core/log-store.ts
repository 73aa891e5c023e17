// The lines of one log view, held outside React: a bounded ring of processed entries fed by a
// LogSessionSource, the streams' health, older history paged in on demand, and at most one change
// notification per frame tick however fast lines arrive.
import {type LevelMemory, type LogEntry, toEntry} from './log-entry.js';
import type {LogSessionSource} from './log-source.js';
import type {LogLine, LogTarget, TailState} from './logs.js';
import {RingBuffer} from './ring-buffer.js';

export type LogStoreOptions = {
	/** Lines held; the oldest are dropped (and counted) past it. Default 100,000. */
	capacity?: number;
	/** Subscribers hear of changes at most once per this many ms. Default 100 (10 frames a second). */
	frameMs?: number;
	/**
	 * The tick while lines flood in (more than floodLinesPerTick in one tick): nobody reads a screen
	 * that scrolls by whole pages, and each frame costs the same. Default 150.
	 */
	floodFrameMs?: number;
	/** Default 1,000 (10,000 lines a second at the normal tick). */
	floodLinesPerTick?: number;
	/** Lines asked of each target per history page. Default 500. */
	historyPageSize?: number;
};

export type LogStream = {
	/** The name lines carry in LogLine.source. */
	label: string;
	target?: LogTarget;
	state?: TailState;
};

export type HistoryState = {
	loading: boolean;
	/** Every target said there is nothing older. */
	exhausted: boolean;
	/** The buffer is full: older history cannot be held without dropping newer lines. */
	full: boolean;
	error?: string;
	/** History lines added so far. */
	loaded: number;
};

export type LoadOlderOutcome =
	| {kind: 'loaded'; added: number; full: boolean}
	| {kind: 'exhausted'}
	| {kind: 'full'}
	| {kind: 'busy'}
	| {kind: 'failed'; error: string};

export const defaultLogCapacity = 100_000;

export class LogStore {
	readonly capacity: number;
	private readonly buffer: RingBuffer<LogEntry>;
	private readonly frameMs: number;
	private readonly floodFrameMs: number;
	private readonly floodLinesPerTick: number;
	private linesThisTick = 0;
	private flooding = false;
	private readonly historyPageSize: number;
	private readonly streams: LogStream[] = [];
	private readonly streamIndex = new Map<string, number>();
	private readonly levels: LevelMemory = new Map();
	private readonly listeners = new Set<() => void>();
	private timer: ReturnType<typeof setTimeout> | undefined;
	private version = 0;
	private receivedCount = 0;
	private prepended = 0;
	private running = false;
	private historyState: HistoryState = {loading: false, exhausted: false, full: false, loaded: 0};

	constructor(private readonly session: LogSessionSource, options: LogStoreOptions = {}) {
		this.capacity = options.capacity ?? defaultLogCapacity;
		this.buffer = new RingBuffer(this.capacity);
		this.frameMs = options.frameMs ?? 100;
		this.floodFrameMs = Math.max(this.frameMs, options.floodFrameMs ?? 150);
		this.floodLinesPerTick = options.floodLinesPerTick ?? 1000;
		this.historyPageSize = options.historyPageSize ?? 500;
		for (const target of session.targets) {
			this.streamOf(target.name, target);
		}
	}

	get targets(): readonly LogTarget[] {
		return this.session.targets;
	}

	start(): void {
		if (this.running) {
			return;
		}

		this.running = true;
		this.session.start({
			onLines: lines => {
				this.ingest(lines);
			},
			onState: (target, state) => {
				this.setState(target, state);
			},
		});
	}

	stop(): void {
		if (!this.running) {
			return;
		}

		this.running = false;
		// Stopping tails report it; nobody is listening for a tick any more.
		this.session.stop();
		clearTimeout(this.timer);
		this.timer = undefined;
	}

	/** Called at most once per frame tick after something changed. */
	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	};

	/** Changes on every notification: a cheap snapshot for useSyncExternalStore. */
	getVersion = (): number => this.version;

	/** Processes lines into the buffer now; subscribers hear of them on the next tick. */
	ingest(lines: readonly LogLine[]): void {
		for (const line of lines) {
			this.buffer.push(toEntry(line, this.streamOf(line.source), this.levels));
		}

		this.receivedCount += lines.length;
		this.linesThisTick += lines.length;
		this.changed();
	}

	setState(target: LogTarget, state: TailState): void {
		const stream = this.streams[this.streamOf(target.name, target)];
		if (stream) {
			stream.state = state;
		}

		this.changed();
	}

	/** Sequence number of the oldest line held: lines keep their number while older ones are dropped. */
	get firstSeq(): number {
		return this.buffer.evicted - this.prepended;
	}

	/** One past the newest line's sequence number. */
	get endSeq(): number {
		return this.firstSeq + this.buffer.length;
	}

	get length(): number {
		return this.buffer.length;
	}

	entry(seq: number): LogEntry | undefined {
		return this.buffer.at(seq - this.firstSeq);
	}

	/** Lines that arrived from the live tails (history pages not counted). */
	get received(): number {
		return this.receivedCount;
	}

	/** Lines dropped from the top because the buffer was full. */
	get dropped(): number {
		return this.buffer.evicted;
	}

	get sources(): readonly LogStream[] {
		return this.streams;
	}

	get history(): HistoryState {
		return this.historyState;
	}

	/**
	 * Pages in the history just older than the oldest line held, for every target, merged by time.
	 * Lines are only added up to the capacity: a full buffer cannot take history without dropping newer lines.
	 */
	async loadOlder(): Promise<LoadOlderOutcome> {
		if (this.historyState.loading) {
			return {kind: 'busy'};
		}

		if (this.historyState.exhausted) {
			return {kind: 'exhausted'};
		}

		if (this.buffer.length >= this.capacity) {
			this.updateHistory({full: true});
			return {kind: 'full'};
		}

		const oldest = this.entry(this.firstSeq);
		const before = new Date(oldest?.timestamp ?? Date.now());
		const firstSeqBefore = this.firstSeq;
		this.updateHistory({loading: true, error: undefined});
		try {
			const pages = await Promise.all(this.targets.map(async target => ({target, page: await this.session.fetchOlder(target, before, this.historyPageSize)})));
			if (this.firstSeq !== firstSeqBefore) {
				// Lines were dropped while the page was on its way: what it continues is gone.
				this.updateHistory({loading: false});
				return {kind: 'loaded', added: 0, full: this.buffer.length >= this.capacity};
			}

			const lines = mergeHistoryPages(pages.map(({page}) => page));
			const room = this.capacity - this.buffer.length;
			const levels: LevelMemory = new Map();
			const entries = lines.slice(Math.max(0, lines.length - room)).map(line => toEntry(line, this.streamOf(line.source), levels));
			const added = this.buffer.prepend(entries);
			this.prepended += added;
			const exhausted = pages.every(({page}) => !page.hasMore) && added === lines.length;
			const full = this.buffer.length >= this.capacity && (added < lines.length || !exhausted);
			this.updateHistory({loading: false, exhausted, full, loaded: this.historyState.loaded + added});
			if (added === 0 && exhausted) {
				return {kind: 'exhausted'};
			}

			return {kind: 'loaded', added, full};
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			this.updateHistory({loading: false, error: message});
			return {kind: 'failed', error: message};
		}
	}

	private updateHistory(change: Partial<HistoryState>): void {
		this.historyState = {...this.historyState, ...change};
		this.changed();
	}

	private streamOf(label: string, target?: LogTarget): number {
		const known = this.streamIndex.get(label);
		if (known !== undefined) {
			return known;
		}

		this.streams.push({label, target});
		this.streamIndex.set(label, this.streams.length - 1);
		return this.streams.length - 1;
	}

	private changed(): void {
		if (this.timer !== undefined || !this.running) {
			return;
		}

		this.timer = setTimeout(() => {
			this.timer = undefined;
			this.flooding = this.linesThisTick > this.floodLinesPerTick;
			this.linesThisTick = 0;
			this.version++;
			for (const listener of this.listeners) {
				listener();
			}
		}, this.flooding ? this.floodFrameMs : this.frameMs);
	}
}

/**
 * One page per target, merged oldest first. A target with more history cuts the merge at its oldest
 * line: anything older from the others would sit above a hole, so it waits for the next page.
 */
export function mergeHistoryPages(pages: ReadonlyArray<{lines: LogLine[]; hasMore: boolean}>): LogLine[] {
	let cut = Number.NEGATIVE_INFINITY;
	for (const page of pages) {
		const first = page.lines[0];
		if (page.hasMore && first) {
			cut = Math.max(cut, first.timestamp);
		}
	}

	const merged = pages.flatMap(page => page.lines.filter(line => line.timestamp >= cut));
	// A stable sort keeps each target's own order for lines of the same millisecond.
	return merged.sort((a, b) => a.timestamp - b.timestamp);
}
