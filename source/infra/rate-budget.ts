import type {RateBudget} from '../core/provider.js';

/**
 * Tracks the platform's request budget from response headers: Northflank's `x-ratelimit-*`
 * (reset in seconds from now) and the IETF `RateLimit-*` family Render uses.
 */
export class RateBudgetTracker {
	private budget: RateBudget = {};
	private requestCount = 0;

	constructor(private readonly now: () => number = Date.now) {}

	countRequest(): void {
		this.requestCount++;
	}

	observe(headers: Headers): void {
		const limit = readNumber(headers, 'x-ratelimit-limit') ?? readNumber(headers, 'ratelimit-limit');
		const remaining = readNumber(headers, 'x-ratelimit-remaining') ?? readNumber(headers, 'ratelimit-remaining');
		const reset = readNumber(headers, 'x-ratelimit-reset') ?? readNumber(headers, 'ratelimit-reset');
		if (limit === undefined && remaining === undefined && reset === undefined) {
			return;
		}

		this.budget = {
			limit: limit ?? this.budget.limit,
			remaining: remaining ?? this.budget.remaining,
			resetAt: reset === undefined ? this.budget.resetAt : new Date(this.now() + (toSecondsFromNow(reset, this.now()) * 1000)),
		};
	}

	get requests(): number {
		return this.requestCount;
	}

	snapshot(): RateBudget {
		return {...this.budget};
	}
}

function readNumber(headers: Headers, name: string): number | undefined {
	const value = headers.get(name);
	if (value === null || value.trim() === '') {
		return undefined;
	}

	const number = Number(value);
	return Number.isFinite(number) ? number : undefined;
}

/** A reset value larger than a day is a Unix timestamp, not a delay. */
function toSecondsFromNow(reset: number, nowMs: number): number {
	if (reset > 86_400 * 2) {
		return Math.max(0, reset - (nowMs / 1000));
	}

	return reset;
}

/** Seconds to wait according to Retry-After (delay seconds or HTTP date), or the rate-limit reset. */
export function retryAfterSeconds(headers: Headers, nowMs: number = Date.now()): number | undefined {
	const retryAfter = headers.get('retry-after');
	if (retryAfter !== null) {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) {
			return Math.max(0, seconds);
		}

		const date = Date.parse(retryAfter);
		if (Number.isFinite(date)) {
			return Math.max(0, (date - nowMs) / 1000);
		}
	}

	const reset = readNumber(headers, 'x-ratelimit-reset') ?? readNumber(headers, 'ratelimit-reset');
	return reset === undefined ? undefined : toSecondsFromNow(reset, nowMs);
}
