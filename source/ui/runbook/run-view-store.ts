// The run's view for React, at a frame rate: the engine may publish on every log line, the screen
// draws at most once a frame with the newest view.
import type {RunView} from '../../runbooks/types.js';
import type {RunSource} from './run-source.js';

export type RunSnapshot = {
	view: RunView;
	/**
	 * Counts the questions asked: it changes whenever a question appears or is replaced, so a
	 * dialog's state (the typed text, the highlighted button) belongs to one question, and a
	 * question asked again after an answer is a new one.
	 */
	questionId: number;
};

export type RunViewStore = {
	subscribe(listener: () => void): () => void;
	getSnapshot(): RunSnapshot;
};

/** 10 frames a second at most. */
export const defaultFrameMs = 100;

const questionKey = (view: RunView): string | undefined => (view.pending ? JSON.stringify(view.pending) : undefined);

/**
 * Follows `source` while React subscribes. A change arriving a frame or more after the last one
 * shows at once; changes closer together wait for the next frame and show as one.
 */
export function createRunViewStore(source: RunSource, frameMs = defaultFrameMs): RunViewStore {
	let latest = source.view();
	let lastKey = questionKey(latest);
	let questionId = lastKey === undefined ? 0 : 1;
	let snapshot: RunSnapshot = {view: latest, questionId};
	let publishedAt = 0;
	let timer: NodeJS.Timeout | undefined;
	const listeners = new Set<() => void>();
	let unsubscribeSource: (() => void) | undefined;

	const publish = () => {
		timer = undefined;
		publishedAt = performance.now();
		snapshot = {view: latest, questionId};
		for (const listener of listeners) {
			listener();
		}
	};

	const receive = (view: RunView) => {
		latest = view;
		// Every view is looked at, not only the drawn ones, so no question is missed between frames.
		const key = questionKey(view);
		if (key !== lastKey && key !== undefined) {
			questionId++;
		}

		lastKey = key;
		if (timer) {
			return;
		}

		const wait = frameMs - (performance.now() - publishedAt);
		if (wait <= 0) {
			publish();
		} else {
			timer = setTimeout(publish, wait);
			timer.unref();
		}
	};

	return {
		subscribe(listener) {
			listeners.add(listener);
			if (!unsubscribeSource) {
				unsubscribeSource = source.subscribe(receive);
				// What changed before React subscribed.
				receive(source.view());
			}

			return () => {
				listeners.delete(listener);
				if (listeners.size === 0) {
					unsubscribeSource?.();
					unsubscribeSource = undefined;
					clearTimeout(timer);
					timer = undefined;
				}
			};
		},
		getSnapshot: () => snapshot,
	};
}
