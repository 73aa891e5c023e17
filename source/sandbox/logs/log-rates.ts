// The log rate over time. A change applies from the moment it is made, so lines already written
// keep their timestamps and sequence numbers; the segments are saved with the state.
import {badRequest} from '../api-error.js';
import type {LogRateSegment, SandboxState} from '../state.js';

/** Lines per second per service container: a quiet backend with the odd burst. */
export const defaultLogRate = 3;
export const maxLogRate = 100_000;

export function logRateSegments(state: SandboxState): readonly LogRateSegment[] {
	return state.logRates ?? [{from: 0, linesPerSecond: defaultLogRate}];
}

export function logRateAt(segments: readonly LogRateSegment[], t: number): number {
	let rate = segments[0]?.linesPerSecond ?? defaultLogRate;
	for (const segment of segments) {
		if (segment.from > t) {
			break;
		}

		rate = segment.linesPerSecond;
	}

	return rate;
}

/** Throws a 400 naming the accepted range. */
export function checkLogRate(value: unknown): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > maxLogRate) {
		throw badRequest(`"linesPerSecond" must be a number above 0 and at most ${maxLogRate}, got ${JSON.stringify(value)}`);
	}

	return value;
}

/** Makes `linesPerSecond` the rate from `at` on; true when that changed anything. */
export function changeLogRate(state: SandboxState, at: number, linesPerSecond: number): boolean {
	const before = logRateSegments(state);
	// A change made in the same millisecond as the previous one replaces it: no line lies between them.
	const segments = before.filter((segment, index) => index === 0 || segment.from < at);
	if (logRateAt(segments, at) !== linesPerSecond) {
		segments.push({from: at, linesPerSecond});
	}

	const changed = segments.length !== before.length || segments.at(-1) !== before.at(-1);
	if (changed) {
		state.logRates = segments;
	}

	return changed;
}
