// One container's log as a pure function of time: its phases (booting, serving, a build step, ...)
// say how many lines each second holds and what they say. Line n exists at a computable instant, so
// any window of history can be read, forwards or backwards, and always reads the same.
import type {LogRateSegment} from '../state.js';
import {flowBuckets, lineOffset, scriptBuckets, type Buckets} from './buckets.js';
import {mix} from './dice.js';
import {isBefore, nanosPerMs, type LogTime} from './log-time.js';
import {withSequence} from './sequence.js';

export type LogStream = 'stdout' | 'stderr';

/** Northflank's log types; the sandbox's lines are runtime, build, backup or restore lines. */
export type LogType = 'runtime' | 'build' | 'backup' | 'restore';

export type LineText = {text: string; stream: LogStream};

export type LineContext = {
	/** The container's dice seed. */
	seed: number;
	/** 1 for the container's first line. */
	seq: number;
	/** 1 for the phase's first line. */
	seqInPhase: number;
	time: LogTime;
};

export type Phase = {
	from: number;
	/** A steady flow at the sandbox's log rate times `factor`, or a script of `count` lines spread until `plannedTo`. */
	lines: {kind: 'flow'; factor: number} | {kind: 'script'; count: number; plannedTo: number};
	render(line: LineContext): LineText;
};

/**
 * A phase ends where a later one begins (or the container ends). Every time in it must be fixed
 * before the clock reaches it, so that no line already written ever changes.
 */
export type ContainerSpec = {id: string; type: LogType; seed: number; phases: Phase[]; end?: number};

/** A written line; `text` carries the sequence number (see sequence.ts). */
export type LogRecord = {containerId: string; time: LogTime; seq: number; stream: LogStream; text: string};

type Segment = {phase: Phase; seed: number; from: number; to: number; buckets: Buckets};

const bucketMs = 1000;

export class ContainerLog {
	readonly id: string;
	readonly type: LogType;
	private readonly seed: number;
	private readonly segments: Segment[] = [];
	private readonly segmentStarts: number[] = [0];

	constructor(spec: ContainerSpec, rates: readonly LogRateSegment[]) {
		this.id = spec.id;
		this.type = spec.type;
		this.seed = spec.seed;
		const end = spec.end ?? Number.POSITIVE_INFINITY;
		for (const [index, phase] of spec.phases.entries()) {
			const to = Math.min(end, ...spec.phases.slice(index + 1).map(later => later.from));
			if (phase.from >= to) {
				continue;
			}

			const seed = mix(spec.seed, index, 0x9e_37);
			const buckets = phase.lines.kind === 'flow'
				? flowBuckets(seed, phase.from, phase.lines.factor, rates)
				: scriptBuckets(phase.lines.count, phase.lines.plannedTo - phase.from);
			this.segments.push({phase, seed, from: phase.from, to, buckets});
		}
	}

	get start(): number {
		return this.segments[0]?.from ?? Number.POSITIVE_INFINITY;
	}

	get end(): number {
		return this.segments.at(-1)?.to ?? Number.NEGATIVE_INFINITY;
	}

	overlaps(fromMs: number, toMs: number): boolean {
		return this.start < toMs && this.end > fromMs;
	}

	/** Lines with `from` ≤ time < `to`, oldest first. */
	* forward(from: LogTime, to: LogTime): Generator<LogRecord> {
		for (const [index, segment] of this.segments.entries()) {
			if (segment.to <= from.ms || !isBefore({ms: segment.from, ns: 0}, to)) {
				continue;
			}

			const {buckets} = segment;
			const start = isBefore(from, {ms: segment.from, ns: 0}) ? {ms: segment.from, ns: 0} : from;
			let bucket = Math.floor((start.ms - segment.from) / bucketMs);
			let line = this.linesBefore(bucket, segment, start);
			let base = this.segmentStart(index) + buckets.before(bucket);
			for (; bucket < buckets.limit; bucket++) {
				const bucketStart = segment.from + (bucket * bucketMs);
				if (bucketStart >= segment.to || !isBefore({ms: bucketStart, ns: 0}, to)) {
					break;
				}

				const count = buckets.count(bucket);
				for (; line < count; line++) {
					const time = this.timeOf(segment, bucket, line, count);
					if (time.ms >= segment.to) {
						break;
					}

					if (!isBefore(time, to)) {
						return;
					}

					yield this.record(segment, index, base + line + 1, time);
				}

				base += count;
				line = 0;
			}
		}
	}

	/** Lines with `from` ≤ time < `to`, newest first. */
	* backward(from: LogTime, to: LogTime): Generator<LogRecord> {
		for (let index = this.segments.length - 1; index >= 0; index--) {
			const segment = this.segments[index]!;
			if (segment.to <= from.ms || !isBefore({ms: segment.from, ns: 0}, to)) {
				continue;
			}

			const {buckets} = segment;
			const end = isBefore(to, {ms: segment.to, ns: 0}) ? to : {ms: segment.to, ns: 0};
			let bucket = Math.min(Math.floor((end.ms - segment.from) / bucketMs), buckets.limit - 1);
			let line = this.linesBefore(bucket, segment, end);
			let base = this.segmentStart(index) + buckets.before(bucket);
			for (; bucket >= 0; bucket--) {
				const count = buckets.count(bucket);
				if (line > count) {
					line = count;
				}

				while (line > 0) {
					line--;
					const time = this.timeOf(segment, bucket, line, count);
					if (isBefore(time, from)) {
						return;
					}

					yield this.record(segment, index, base + line + 1, time);
				}

				if (bucket > 0) {
					base -= buckets.count(bucket - 1);
					line = Number.POSITIVE_INFINITY;
				}
			}
		}
	}

	private record(segment: Segment, index: number, seq: number, time: LogTime): LogRecord {
		const {text, stream} = segment.phase.render({seed: this.seed, seq, seqInPhase: seq - this.segmentStart(index), time});
		return {containerId: this.id, time, seq, stream, text: withSequence(text, seq)};
	}

	private timeOf(segment: Segment, bucket: number, line: number, count: number): LogTime {
		const offset = lineOffset(segment.seed, bucket, line, count, segment.buckets.spanNs);
		const ms = segment.from + (bucket * bucketMs) + Math.floor(offset / nanosPerMs);
		return {ms, ns: offset % nanosPerMs};
	}

	/** How many lines of `bucket` lie before `time` (the bucket's index of the first line at or after it). */
	private linesBefore(bucket: number, segment: Segment, time: LogTime): number {
		const count = bucket < segment.buckets.limit ? segment.buckets.count(bucket) : 0;
		const into = ((time.ms - segment.from - (bucket * bucketMs)) * nanosPerMs) + time.ns;
		if (count === 0 || into <= 0) {
			return 0;
		}

		if (into >= segment.buckets.spanNs) {
			return count;
		}

		let low = 0;
		let high = count;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (lineOffset(segment.seed, bucket, middle, count, segment.buckets.spanNs) < into) {
				low = middle + 1;
			} else {
				high = middle;
			}
		}

		return low;
	}

	/** Lines written before segment `index` began. */
	private segmentStart(index: number): number {
		for (let next = this.segmentStarts.length; next <= index; next++) {
			const segment = this.segments[next - 1]!;
			const bucket = Math.floor((segment.to - segment.from) / bucketMs);
			const whole = Math.min(bucket, segment.buckets.limit);
			const partial = bucket < segment.buckets.limit ? this.linesBefore(bucket, segment, {ms: segment.to, ns: 0}) : 0;
			this.segmentStarts.push(this.segmentStarts[next - 1]! + segment.buckets.before(whole) + partial);
		}

		return this.segmentStarts[index]!;
	}
}
