import type {Clock} from '../../source/ui/clock.js';

export type ManualClock = Clock & {
	/** Moves time forward and lets every label re-check itself, like one tick of the real clock. */
	advance(ms: number): void;
	set(epochMs: number): void;
};

/** A clock that only moves when told to, so "4s ago" is the same on every run. */
export function createManualClock(start: number): ManualClock {
	let now = start;
	const listeners = new Set<() => void>();
	const notify = () => {
		for (const listener of listeners) {
			listener();
		}
	};

	return {
		now: () => now,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		advance(ms) {
			now += ms;
			notify();
		},
		set(epochMs) {
			now = epochMs;
			notify();
		},
	};
}
