import type {LiveSource, LiveState} from '../../source/core/live-state.js';

export type FakeLiveSource = LiveSource & {
	/** Publishes a new state (merged into the current one) to subscribers. */
	update(patch: Partial<LiveState>): void;
	readonly calls: {start: number; stop: number; refreshNow: number; selectService: Array<string | undefined>};
	readonly listenerCount: number;
};

/** An in-memory LiveSource: tests decide what the platform "reports" and see what the UI asked for. */
export function createFakeLiveSource(initial: Partial<LiveState> = {}): FakeLiveSource {
	let state: LiveState = {loading: true, transitioning: false, requests: 0, budget: {}, ...initial};
	const listeners = new Set<(state: LiveState) => void>();
	const calls = {start: 0, stop: 0, refreshNow: 0, selectService: [] as Array<string | undefined>};
	return {
		getState: () => state,
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		refreshNow() {
			calls.refreshNow++;
		},
		selectService(serviceId) {
			calls.selectService.push(serviceId);
		},
		start() {
			calls.start++;
		},
		stop() {
			calls.stop++;
		},
		update(patch) {
			state = {...state, ...patch};
			for (const listener of listeners) {
				listener(state);
			}
		},
		calls,
		get listenerCount() {
			return listeners.size;
		},
	};
}
