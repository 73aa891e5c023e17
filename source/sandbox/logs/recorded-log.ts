// A container's log made of lines that really happened (a job run's stdout and stderr), kept in memory
// in time order, newest `limit` only. It reads like a generated ContainerLog, so the range query and
// the live tail serve it the same way. Each line gets its time when it is recorded, never earlier than
// the clock, so a tail that has read up to "now" misses none of the lines that come after.
import type {LogRecord, LogStream, LogType} from './container-log.js';
import {compareLogTimes, isBefore, nanosPerMs, nextNanosecond, type LogTime} from './log-time.js';

/** The reading side every log source offers (generated ContainerLog or recorded). */
export type LogReader = {
	readonly id: string;
	readonly type: LogType;
	overlaps(fromMs: number, toMs: number): boolean;
	forward(from: LogTime, to: LogTime): Iterator<LogRecord>;
	backward(from: LogTime, to: LogTime): Iterator<LogRecord>;
};

export const recordedLineLimit = 10_000;

export class RecordedLog implements LogReader {
	readonly type: LogType = 'runtime';
	private records: LogRecord[] = [];
	private nextSeq = 1;

	/** `span`: when the container started, and when it ended (undefined while it runs). */
	constructor(
		readonly id: string,
		private readonly span: () => {start: number; end: number | undefined},
		private readonly limit = recordedLineLimit,
	) {}

	get lineCount(): number {
		return this.records.length;
	}

	/** Records a line at `ms` (or just after the previous line, so times strictly increase). */
	append(stream: LogStream, text: string, ms: number): LogRecord {
		const last = this.records.at(-1)?.time;
		const subMs = Number(process.hrtime.bigint() % BigInt(nanosPerMs));
		let time: LogTime = {ms, ns: subMs};
		if (last && !isBefore(last, time)) {
			time = nextNanosecond(last);
		}

		const seq = this.nextSeq++;
		// Real output stays as the process wrote it: no ` seq=N` marker, unlike generated lines.
		const record: LogRecord = {containerId: this.id, time, seq, stream, text};
		this.records.push(record);
		if (this.records.length > this.limit * 1.1) {
			this.records = this.records.slice(-this.limit);
		}

		return record;
	}

	/** Lines read back from disk, oldest first, as they were recorded. */
	restore(records: LogRecord[]): void {
		this.records = records.slice(-this.limit);
		this.nextSeq = (records.at(-1)?.seq ?? 0) + 1;
	}

	/** The newest `limit` lines, oldest first. */
	lines(): readonly LogRecord[] {
		return this.records.length > this.limit ? this.records.slice(-this.limit) : this.records;
	}

	overlaps(fromMs: number, toMs: number): boolean {
		const {start, end} = this.span();
		const lastMs = this.records.at(-1)?.time.ms;
		const until = end === undefined ? Number.POSITIVE_INFINITY : Math.max(end, lastMs === undefined ? end : lastMs + 1);
		return start < toMs && until > fromMs;
	}

	* forward(from: LogTime, to: LogTime): Generator<LogRecord> {
		const lines = this.lines();
		for (let index = this.firstAtOrAfter(lines, from); index < lines.length; index++) {
			const record = lines[index]!;
			if (!isBefore(record.time, to)) {
				return;
			}

			yield record;
		}
	}

	* backward(from: LogTime, to: LogTime): Generator<LogRecord> {
		const lines = this.lines();
		for (let index = this.firstAtOrAfter(lines, to) - 1; index >= 0; index--) {
			const record = lines[index]!;
			if (isBefore(record.time, from)) {
				return;
			}

			yield record;
		}
	}

	private firstAtOrAfter(lines: readonly LogRecord[], time: LogTime): number {
		let low = 0;
		let high = lines.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (compareLogTimes(lines[middle]!.time, time) < 0) {
				low = middle + 1;
			} else {
				high = middle;
			}
		}

		return low;
	}
}
