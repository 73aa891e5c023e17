import {ApiError} from './api-error.js';
import {formatChaosSpec, parseChaosSpec, type ChaosSpec} from './chaos.js';
import {IdSource} from './ids.js';

/** Applies a chaos spec to API requests. Its dice are seeded, so a seeded run fails the same requests. */
export class FaultInjector {
	private spec: ChaosSpec = {};
	private appliedAt = 0;
	private changes = 0;
	private readonly dice: IdSource;

	constructor(
		private readonly now: () => number,
		seed: number,
	) {
		this.dice = new IdSource({seed: seed + 1, sequence: 0});
	}

	/** Replaces the active faults; throws a UsageError for a bad spec and keeps the old one. */
	set(text: string): ChaosSpec {
		this.spec = parseChaosSpec(text);
		this.appliedAt = this.now();
		this.changes += 1;
		return this.spec;
	}

	/** Changes whenever the spec is set, so plans made from the old one can be redone. */
	get version(): number {
		return this.changes;
	}

	describe(): string {
		return formatChaosSpec(this.spec);
	}

	current(): ChaosSpec {
		return this.spec;
	}

	latencyMs(): number {
		const {latency} = this.spec;
		if (!latency) {
			return 0;
		}

		return Math.round(latency.minMs + ((latency.maxMs - latency.minMs) * this.dice.fraction()));
	}

	/** The error a request gets before it is served, if any; storms come first, since a storm refuses everything. */
	stormError(): ApiError | undefined {
		const {storm429} = this.spec;
		if (!storm429) {
			return undefined;
		}

		const phase = (this.now() - this.appliedAt) % storm429.periodMs;
		if (phase >= storm429.stormMs) {
			return undefined;
		}

		const retryAfter = Math.max(1, Math.ceil((storm429.stormMs - phase) / 1000));
		return tooManyRequests('Too many requests (sandbox chaos: 429 storm)', retryAfter);
	}

	/**
	 * When (sandbox time) to drop a live WebSocket that went live at `liveSince`, or undefined to keep
	 * it: `drop-ws=30s` drops every live socket at each 30 s tick after the spec was set; `drop-ws=0.1`
	 * picks a tenth of sockets and drops each within its first 5 s.
	 */
	webSocketDropAt(liveSince: number): number | undefined {
		const drop = this.spec.dropWebSockets;
		if (!drop) {
			return undefined;
		}

		if ('everyMs' in drop) {
			const since = Math.max(liveSince, this.appliedAt);
			return this.appliedAt + ((Math.floor((since - this.appliedAt) / drop.everyMs) + 1) * drop.everyMs);
		}

		return this.dice.fraction() < drop.ratio ? Math.max(liveSince, this.now()) + 200 + Math.round(this.dice.fraction() * 4800) : undefined;
	}

	/** Random refusals and server errors, drawn after the request counted against the budget. */
	randomError(): ApiError | undefined {
		const {tooManyRequests: refusals, serverErrors} = this.spec;
		if (refusals !== undefined && this.dice.fraction() < refusals) {
			return tooManyRequests('Too many requests (sandbox chaos)', 2);
		}

		if (serverErrors !== undefined && this.dice.fraction() < serverErrors) {
			return this.dice.fraction() < 0.5
				? new ApiError(503, 'Service temporarily unavailable (sandbox chaos)')
				: new ApiError(500, 'Internal server error (sandbox chaos)');
		}

		return undefined;
	}
}

export function tooManyRequests(message: string, retryAfterSeconds: number): ApiError {
	return new ApiError(429, message, undefined, {'retry-after': String(retryAfterSeconds)});
}
