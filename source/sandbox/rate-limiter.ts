export type RateWindow = {limit: number; remaining: number; resetSeconds: number};

/**
 * Northflank's budget: `limit` requests per key per window; a key's window starts with its first
 * request and resets one window later (1,000 per hour by default).
 */
export class RateLimiter {
	private readonly windows = new Map<string, {startedAt: number; used: number}>();

	constructor(
		private readonly limit: number,
		private readonly windowMs: number,
		private readonly now: () => number,
	) {}

	/** Spends one request if the budget allows; `allowed` false means answer 429. */
	take(key: string): RateWindow & {allowed: boolean} {
		const window = this.current(key);
		const allowed = window.used < this.limit;
		if (allowed) {
			window.used += 1;
		}

		return {allowed, ...this.describe(window)};
	}

	peek(key: string): RateWindow {
		return this.describe(this.current(key));
	}

	private current(key: string): {startedAt: number; used: number} {
		const now = this.now();
		let window = this.windows.get(key);
		if (!window || now - window.startedAt >= this.windowMs) {
			window = {startedAt: now, used: 0};
			this.windows.set(key, window);
		}

		return window;
	}

	private describe(window: {startedAt: number; used: number}): RateWindow {
		const resetMs = window.startedAt + this.windowMs - this.now();
		return {limit: this.limit, remaining: Math.max(0, this.limit - window.used), resetSeconds: Math.max(0, Math.ceil(resetMs / 1000))};
	}
}
