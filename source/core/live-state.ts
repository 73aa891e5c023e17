import type {RateBudget} from './provider.js';
import type {DashboardSnapshot} from './types.js';

/** What the dashboard renders: the latest snapshot and how fresh it is. */
export type LiveState = {
	snapshot?: DashboardSnapshot;
	/** When the last complete refresh succeeded. */
	updatedAt?: Date;
	/** Set while refreshes fail after an earlier success; cleared on recovery. */
	staleSince?: Date;
	/** The last refresh error, already free of secrets. */
	error?: {message: string; hint?: string};
	/** True until the first snapshot arrives. */
	loading: boolean;
	/** Something is building, deploying, backing up or running: refreshes are quick. */
	transitioning: boolean;
	nextRefreshAt?: Date;
	requests: number;
	budget: RateBudget;
};

/** A source of LiveState the UI can subscribe to. Implemented by LiveStatus (core/live-status.ts). */
export type LiveSource = {
	getState(): LiveState;
	subscribe(listener: (state: LiveState) => void): () => void;
	/** Refresh everything now (the `r` key). */
	refreshNow(): void;
	/** The dashboard's selected service: its builds are fetched with priority. */
	selectService(serviceId: string | undefined): void;
	start(): void;
	stop(): void;
};
