import {useCallback, useSyncExternalStore} from 'react';
import type {LiveSource, LiveState} from '../core/live-state.js';

/** The source's current state; re-renders when the source publishes a new one. */
export function useLiveState(source: LiveSource): LiveState {
	const subscribe = useCallback((listener: () => void) => source.subscribe(listener), [source]);
	const getState = useCallback(() => source.getState(), [source]);
	return useSyncExternalStore(subscribe, getState);
}
