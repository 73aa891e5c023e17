// How many lines a phase of a container writes in each second, and where in that second they fall.
// A phase's seconds ("buckets") count from the phase's start. Counts are pure functions of the seed,
// the bucket and the rate, and their running sums have a closed form, so the sequence number of any
// line at any time is found without replaying history, however long the container has lived.
import type {LogRateSegment} from '../state.js';
import {mix, unit} from './dice.js';
import {nanosPerMs} from './log-time.js';

export type Buckets = {
	/** Lines spread over the first `spanNs` of each bucket. */
	readonly spanNs: number;
	/** Buckets from this index on are empty (Infinity while the phase has no planned end). */
	readonly limit: number;
	count(bucket: number): number;
	/** Lines in buckets [0, bucket). */
	before(bucket: number): number;
};

const bucketMs = 1000;

/** The offset in ns of line `index` of `count` in a bucket: increasing, jittered, within the span. */
export function lineOffset(seed: number, bucket: number, index: number, count: number, spanNs: number): number {
	return Math.floor((index + (0.9 * unit(mix(seed, bucket, index)))) * spanNs / count);
}

/** A script of `lines` lines spread evenly over a planned duration (at least one bucket). */
export function scriptBuckets(lines: number, plannedMs: number): Buckets {
	const duration = Math.max(1, plannedMs);
	const limit = Math.max(1, Math.floor(duration / bucketMs));
	const before = (bucket: number) => Math.floor(Math.min(Math.max(bucket, 0), limit) * lines / limit);
	return {
		spanNs: Math.min(bucketMs, duration) * nanosPerMs,
		limit,
		count: bucket => before(bucket + 1) - before(bucket),
		before,
	};
}

/** A steady flow at the sandbox's log rate times `factor`, with bursts, following rate changes. */
export function flowBuckets(seed: number, phaseStart: number, factor: number, rates: readonly LogRateSegment[]): Buckets {
	// A rate change takes effect at the phase's next bucket, so no bucket is ever half one rate.
	const pieces: Array<{first: number; table: BurstTable}> = [];
	for (const segment of rates) {
		const first = pieces.length === 0 ? 0 : Math.max(0, Math.ceil((segment.from - phaseStart) / bucketMs));
		while (pieces.length > 0 && pieces.at(-1)!.first >= first) {
			pieces.pop();
		}

		pieces.push({first, table: burstTable(seed, segment.linesPerSecond * factor)});
	}

	const pieceAt = (bucket: number) => {
		let index = pieces.length - 1;
		while (index > 0 && pieces[index]!.first > bucket) {
			index--;
		}

		return pieces[index]!;
	};

	return {
		spanNs: bucketMs * nanosPerMs,
		limit: Number.POSITIVE_INFINITY,
		count: bucket => pieceAt(bucket).table.counts[bucket % period]!,
		before(bucket) {
			let sum = 0;
			for (const [index, piece] of pieces.entries()) {
				if (piece.first >= bucket) {
					break;
				}

				const end = Math.min(bucket, pieces[index + 1]?.first ?? bucket);
				sum += sumTo(piece.table, end) - sumTo(piece.table, piece.first);
			}

			return sum;
		},
	};
}

// Counts repeat every hour: long enough that nobody sees the pattern, short enough to tabulate.
const period = 3600;

type BurstTable = {counts: Uint32Array; prefix: Float64Array};

const tables = new Map<string, BurstTable>();
const maxTables = 128;

function burstTable(seed: number, rate: number): BurstTable {
	const key = `${seed}:${rate}`;
	let table = tables.get(key);
	if (!table) {
		table = tabulate(seed, rate);
		if (tables.size >= maxTables) {
			tables.delete(tables.keys().next().value!);
		}

		tables.set(key, table);
	}

	return table;
}

function tabulate(seed: number, rate: number): BurstTable {
	const counts = new Uint32Array(period);
	const prefix = new Float64Array(period + 1);
	for (let bucket = 0; bucket < period; bucket++) {
		counts[bucket] = Math.floor((rate * burstWeight(unit(mix(seed, bucket, 1)), rate)) + unit(mix(seed, bucket, 2)));
		prefix[bucket + 1] = prefix[bucket]! + counts[bucket]!;
	}

	return {counts, prefix};
}

/** Mostly a bit under the rate, one second in twelve a burst of a few times it; a flood stays even. */
function burstWeight(dice: number, rate: number): number {
	if (rate >= 200) {
		return 0.85 + (0.3 * dice);
	}

	const burstShare = 0.08;
	return dice < burstShare ? 2.5 + (4 * dice / burstShare) : 0.2 + (1.1 * (dice - burstShare) / (1 - burstShare));
}

function sumTo(table: BurstTable, buckets: number): number {
	const periods = Math.floor(buckets / period);
	return (periods * table.prefix[period]!) + table.prefix[buckets - (periods * period)]!;
}
