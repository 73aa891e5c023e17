import {createContext, useContext, useSyncExternalStore} from 'react';

/**
 * The time source of every relative label ("4s ago"). One timer ticks once a second for the
 * whole screen, and only the labels whose text changed re-render.
 */
export type Clock = {
	now(): number;
	subscribe(listener: () => void): () => void;
};

export function createSystemClock(intervalMs = 1000): Clock {
	const listeners = new Set<() => void>();
	let timer: NodeJS.Timeout | undefined;
	// While ticking, "now" only moves on a tick: every label in a frame agrees, and a label read
	// twice between ticks reads the same (React requires that of an external store).
	let lastTick = Date.now();

	const tick = () => {
		lastTick = Date.now();
		for (const listener of listeners) {
			listener();
		}
	};

	return {
		now: () => (timer ? lastTick : Date.now()),
		subscribe(listener) {
			listeners.add(listener);
			if (!timer) {
				lastTick = Date.now();
				timer = setInterval(tick, intervalMs);
				timer.unref();
			}

			return () => {
				listeners.delete(listener);
				if (listeners.size === 0 && timer) {
					clearInterval(timer);
					timer = undefined;
				}
			};
		},
	};
}

export const systemClock = createSystemClock();

export const ClockContext = createContext<Clock>(systemClock);

export function useClock(): Clock {
	return useContext(ClockContext);
}

/**
 * A label derived from the current time. The component re-renders only when the returned text
 * changes, so a label showing minutes costs nothing on the seconds in between.
 */
export function useTimeLabel(label: (now: number) => string): string {
	const clock = useClock();
	return useSyncExternalStore(clock.subscribe, () => label(clock.now()));
}
