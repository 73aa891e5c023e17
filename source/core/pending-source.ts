import type {LiveSource, LiveState} from './live-state.js';

const connecting: LiveState = {loading: true, transitioning: false, requests: 0, budget: {}};

/**
 * A LiveSource that exists before the connection does, so the console can paint its first frame
 * while it connects; once attached it forwards everything to the real source.
 */
export class PendingLiveSource implements LiveSource {
	private target: LiveSource | undefined;
	private readonly listeners = new Set<(state: LiveState) => void>();
	private started = false;
	private selectedServiceId: string | undefined;

	attach(target: LiveSource): void {
		this.target = target;
		target.subscribe(state => {
			for (const listener of this.listeners) {
				listener(state);
			}
		});
		target.selectService(this.selectedServiceId);
		if (this.started) {
			target.start();
		}
	}

	getState(): LiveState {
		return this.target?.getState() ?? connecting;
	}

	subscribe(listener: (state: LiveState) => void): () => void {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	}

	refreshNow(): void {
		this.target?.refreshNow();
	}

	selectService(serviceId: string | undefined): void {
		this.selectedServiceId = serviceId;
		this.target?.selectService(serviceId);
	}

	start(): void {
		this.started = true;
		this.target?.start();
	}

	stop(): void {
		this.started = false;
		this.target?.stop();
	}
}
