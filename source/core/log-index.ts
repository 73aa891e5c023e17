// Filter and search over a LogStore without copying it: an index of the matching lines' sequence
// numbers, kept up to date by scanning only what arrived (or was paged in) since the last look.
import {entryPlainText, type LogEntry} from './log-entry.js';
import type {LogStore} from './log-store.js';

/** The lines a view scrolls through, by position (0 = oldest shown). */
export type LogList = {
	readonly count: number;
	seqAt(position: number): number | undefined;
	/** Position of the first line at or after `seq`; `count` when there is none. */
	positionOf(seq: number): number;
};

/** Every line of the store. */
export function allLines(store: LogStore): LogList {
	return {
		get count() {
			return store.length;
		},
		seqAt: position => (position >= 0 && position < store.length ? store.firstSeq + position : undefined),
		positionOf: seq => Math.min(Math.max(seq - store.firstSeq, 0), store.length),
	};
}

/** The sequence numbers of the lines that match, oldest first. */
export class LogIndex implements LogList {
	private seqs: number[] = [];
	private head = 0;
	/** Lowest sequence number scanned. */
	private from: number;
	/** One past the highest sequence number scanned. */
	private to: number;

	constructor(private readonly store: LogStore, private readonly matches: (entry: LogEntry) => boolean) {
		this.from = store.firstSeq;
		this.to = store.firstSeq;
	}

	/** Catches up with the store: forgets dropped lines, scans paged-in history and new lines. */
	sync(): void {
		const first = this.store.firstSeq;
		const end = this.store.endSeq;
		if (this.to < first) {
			// Everything scanned was dropped.
			this.seqs = [];
			this.head = 0;
			this.from = first;
			this.to = first;
		}

		while (this.head < this.seqs.length && (this.seqs[this.head] ?? 0) < first) {
			this.head++;
		}

		this.from = Math.max(this.from, first);
		if (first < this.from) {
			this.seqs = [...this.scan(first, this.from), ...this.seqs.slice(this.head)];
			this.head = 0;
			this.from = first;
		}

		if (this.to < end) {
			for (const seq of this.scan(this.to, end)) {
				this.seqs.push(seq);
			}

			this.to = end;
		}

		if (this.head > 4096 && this.head > this.seqs.length / 2) {
			this.seqs = this.seqs.slice(this.head);
			this.head = 0;
		}
	}

	get count(): number {
		return this.seqs.length - this.head;
	}

	seqAt(position: number): number | undefined {
		return position >= 0 && position < this.count ? this.seqs[this.head + position] : undefined;
	}

	positionOf(seq: number): number {
		let low = this.head;
		let high = this.seqs.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if ((this.seqs[middle] ?? 0) < seq) {
				low = middle + 1;
			} else {
				high = middle;
			}
		}

		return low - this.head;
	}

	private scan(from: number, to: number): number[] {
		const found: number[] = [];
		for (let seq = from; seq < to; seq++) {
			const entry = this.store.entry(seq);
			if (entry && this.matches(entry)) {
				found.push(seq);
			}
		}

		return found;
	}
}

export type Pattern = {
	text: string;
	/** For testing a line (no global state). */
	test: RegExp;
	/** For finding every match in a line. */
	all: RegExp;
};

/**
 * A user's regular expression, case-insensitive unless it has an upper-case letter (smart case, as
 * in less -i and vim); or why it is not a valid one.
 */
export function compilePattern(text: string): {pattern: Pattern} | {error: string} {
	const caseSensitive = /[A-Z]/.test(text.replaceAll(/\\./g, ''));
	// No `u` flag: it rejects escapes people type out of habit, such as `\-` and `\:`.
	const flags = caseSensitive ? '' : 'i';
	try {
		return {pattern: {text, test: new RegExp(text, flags), all: new RegExp(text, `${flags}g`)}};
	} catch (error) {
		const message = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
		return {error: message};
	}
}

export type LogQuerySpec = {
	/** Only lines matching this (a regular expression). */
	include?: string;
	/** No lines matching this. */
	exclude?: string;
	/** Lines to highlight and jump between; they stay among the others. */
	search?: string;
	/** Match JSON lines' raw text instead of their readable rendering. */
	raw: boolean;
};

const compiled = (text: string | undefined): Pattern | undefined => {
	if (!text) {
		return undefined;
	}

	const result = compilePattern(text);
	return 'pattern' in result ? result.pattern : undefined;
};

/**
 * What a log view scrolls through for a filter and a search: `list` (every line, or the filtered
 * ones) and `matches` (the listed lines that match the search). Indexes are rebuilt only when the
 * spec changes; otherwise sync() scans only new lines.
 */
export class LogQuery {
	list: LogList;
	matches: LogIndex | undefined;
	search: Pattern | undefined;
	private key = '';

	constructor(private readonly store: LogStore, spec: LogQuerySpec = {raw: false}) {
		this.list = allLines(store);
		this.configure(spec);
	}

	get filtered(): boolean {
		return this.list instanceof LogIndex;
	}

	configure(spec: LogQuerySpec): void {
		const key = JSON.stringify([spec.include ?? '', spec.exclude ?? '', spec.search ?? '', spec.raw]);
		if (key === this.key) {
			return;
		}

		this.key = key;
		const {raw} = spec;
		const include = compiled(spec.include);
		const exclude = compiled(spec.exclude);
		const listed = include || exclude
			? (entry: LogEntry) => {
				const text = entryPlainText(entry, raw);
				return (!include || include.test.test(text)) && !exclude?.test.test(text);
			}
			: undefined;
		this.list = listed ? new LogIndex(this.store, listed) : allLines(this.store);
		this.search = compiled(spec.search);
		const search = this.search;
		this.matches = search
			? new LogIndex(this.store, entry => search.test.test(entryPlainText(entry, raw)) && (!listed || listed(entry)))
			: undefined;
	}

	/** Brings both indexes up to date with the store. Cheap when nothing arrived. */
	sync(): void {
		if (this.list instanceof LogIndex) {
			this.list.sync();
		}

		this.matches?.sync();
	}
}
