export type SandboxStats = {
	startedAt: string;
	uptimeSeconds: number;
	/** API (/v1) requests since start, or since the last reset. */
	total: number;
	/** Keyed by masked token ("nf-…0000"), or "anonymous" for requests without a valid token. */
	byToken: Record<string, number>;
	byStatus: Record<string, number>;
	/** Keyed by "METHOD /pattern", e.g. "GET /projects/:projectId/services". */
	byRoute: Record<string, number>;
	/** Live-tail WebSockets: upgraded since start (or the last reset), open now, dropped by chaos or by /_sandbox/drop-ws. */
	webSockets: {opened: number; open: number; dropped: number};
	countingSince: string;
};

/** Counts API requests, so tests and benchmarks can check the console's request budget. */
export class RequestStats {
	private readonly startedAt: number;
	private countingSince: number;
	private total = 0;
	private byToken = new Map<string, number>();
	private byStatus = new Map<string, number>();
	private byRoute = new Map<string, number>();
	private webSockets = {opened: 0, open: 0, dropped: 0};

	constructor(private readonly now: () => number) {
		this.startedAt = now();
		this.countingSince = this.startedAt;
	}

	record(request: {token: string; status: number; route?: string}): void {
		this.total += 1;
		increment(this.byToken, request.token);
		increment(this.byStatus, String(request.status));
		if (request.route !== undefined) {
			increment(this.byRoute, request.route);
		}
	}

	webSocketOpened(): void {
		this.webSockets.opened += 1;
		this.webSockets.open += 1;
	}

	webSocketClosed(dropped: boolean): void {
		this.webSockets.open -= 1;
		if (dropped) {
			this.webSockets.dropped += 1;
		}
	}

	reset(): void {
		this.total = 0;
		this.byToken = new Map();
		this.byStatus = new Map();
		this.byRoute = new Map();
		this.webSockets = {opened: 0, open: this.webSockets.open, dropped: 0};
		this.countingSince = this.now();
	}

	snapshot(): SandboxStats {
		return {
			startedAt: new Date(this.startedAt).toISOString(),
			uptimeSeconds: Math.round((this.now() - this.startedAt) / 1000),
			total: this.total,
			byToken: Object.fromEntries(this.byToken),
			byStatus: Object.fromEntries(this.byStatus),
			byRoute: Object.fromEntries(this.byRoute),
			webSockets: {...this.webSockets},
			countingSince: new Date(this.countingSince).toISOString(),
		};
	}
}

function increment(counts: Map<string, number>, key: string): void {
	counts.set(key, (counts.get(key) ?? 0) + 1);
}
