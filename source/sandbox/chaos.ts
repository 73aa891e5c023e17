// The --chaos fault specification: "latency=100-400ms,5xx=0.2,429storm=20s/60s".
import {UsageError} from '../core/errors.js';

export type ChaosSpec = {
	/** Extra delay before every API answer, drawn uniformly from [minMs, maxMs]. */
	latency?: {minMs: number; maxMs: number};
	/** Share of API requests answered 500 or 503. */
	serverErrors?: number;
	/** Share of API requests answered 429 with Retry-After. */
	tooManyRequests?: number;
	/** For the first `stormMs` of every `periodMs`, every API request is answered 429. */
	storm429?: {stormMs: number; periodMs: number};
	/** WebSocket drops, for the log and exec faces: a share of connections, or every `everyMs`. */
	dropWebSockets?: {ratio: number} | {everyMs: number};
};

export const chaosSyntax = 'comma-separated faults: latency=200ms | latency=100-400ms | 5xx=0.2 | 429=0.1 | 429storm=20s/60s | drop-ws=0.1 | drop-ws=30s ("off" or empty for none; durations in ms, s or m; ratios 0-1 or 0-100%)';

const number = String.raw`\d+(?:\.\d+)?`;
const durationPattern = new RegExp(`^(${number})(ms|s|m)$`);
const rangePattern = new RegExp(`^(${number})(ms|s|m)?-(${number})(ms|s|m)$`);
const ratioPattern = new RegExp(`^(${number})(%?)$`);
const unitMs = {ms: 1, s: 1000, m: 60_000} as const;
// Listed by hand: an object's integer-like keys ("429") would otherwise come first.
const faultNames = ['latency', '5xx', '429', '429storm', 'drop-ws'];

type Unit = keyof typeof unitMs;

const parsers: Record<string, (value: string, spec: ChaosSpec) => string | undefined> = {
	latency(value, spec) {
		const single = durationPattern.exec(value);
		if (single) {
			const ms = toMs(single[1]!, single[2] as Unit);
			spec.latency = {minMs: ms, maxMs: ms};
			return undefined;
		}

		const range = rangePattern.exec(value);
		if (!range) {
			return 'latency takes a duration such as 200ms or a range such as 100-400ms';
		}

		const maxUnit = range[4] as Unit;
		const minMs = toMs(range[1]!, (range[2] ?? maxUnit) as Unit);
		const maxMs = toMs(range[3]!, maxUnit);
		if (minMs > maxMs) {
			return 'a latency range goes from the smaller to the larger value, such as 100-400ms';
		}

		spec.latency = {minMs, maxMs};
		return undefined;
	},
	'5xx'(value, spec) {
		spec.serverErrors = parseRatio(value);
		return spec.serverErrors === undefined ? '5xx takes the share of requests to fail, from 0 to 1 (such as 0.2) or a percentage (20%)' : undefined;
	},
	'429'(value, spec) {
		spec.tooManyRequests = parseRatio(value);
		return spec.tooManyRequests === undefined ? '429 takes the share of requests to refuse, from 0 to 1 (such as 0.1) or a percentage (10%)' : undefined;
	},
	'429storm'(value, spec) {
		const [storm, period, ...rest] = value.split('/');
		const stormMs = parseDuration(storm);
		const periodMs = parseDuration(period);
		if (rest.length > 0 || stormMs === undefined || periodMs === undefined || periodMs === 0) {
			return '429storm takes STORM/PERIOD durations such as 20s/60s (20 s of 429s in every 60 s)';
		}

		if (stormMs > periodMs) {
			return '429storm\'s storm cannot be longer than its period: use STORM/PERIOD such as 20s/60s';
		}

		spec.storm429 = {stormMs, periodMs};
		return undefined;
	},
	'drop-ws'(value, spec) {
		const everyMs = parseDuration(value);
		if (everyMs !== undefined && everyMs > 0) {
			spec.dropWebSockets = {everyMs};
			return undefined;
		}

		const ratio = parseRatio(value);
		if (ratio === undefined) {
			return 'drop-ws takes a share of connections to drop (such as 0.1) or an interval (such as 30s)';
		}

		spec.dropWebSockets = {ratio};
		return undefined;
	},
};

/** Throws a UsageError naming the bad part and the accepted syntax. */
export function parseChaosSpec(text: string): ChaosSpec {
	const spec: ChaosSpec = {};
	const trimmed = text.trim();
	if (trimmed === '' || trimmed === 'off' || trimmed === 'none') {
		return spec;
	}

	const seen = new Set<string>();
	for (const rawPart of trimmed.split(',')) {
		const part = rawPart.trim();
		if (part === '') {
			throw chaosError(`empty fault in chaos spec "${text}" (a stray comma?)`);
		}

		const equals = part.indexOf('=');
		const name = equals === -1 ? part : part.slice(0, equals).trim();
		const value = equals === -1 ? '' : part.slice(equals + 1).trim();
		const parse = Object.hasOwn(parsers, name) ? parsers[name] : undefined;
		if (!parse) {
			throw chaosError(`unknown fault "${name}" in chaos spec part "${part}"; known faults are ${faultNames.join(', ')}`);
		}

		if (equals === -1 || value === '') {
			throw chaosError(`chaos spec part "${part}" has no value: write it as ${name}=VALUE`);
		}

		if (seen.has(name)) {
			throw chaosError(`chaos spec names "${name}" twice; give each fault once`);
		}

		seen.add(name);
		const problem = parse(value, spec);
		if (problem !== undefined) {
			throw chaosError(`bad chaos spec part "${part}": ${problem}`);
		}
	}

	return spec;
}

/** The spec written back in the canonical syntax ("off" when empty). */
export function formatChaosSpec(spec: ChaosSpec): string {
	const parts: string[] = [];
	if (spec.latency) {
		parts.push(spec.latency.minMs === spec.latency.maxMs ? `latency=${spec.latency.minMs}ms` : `latency=${spec.latency.minMs}-${spec.latency.maxMs}ms`);
	}

	if (spec.serverErrors !== undefined) {
		parts.push(`5xx=${spec.serverErrors}`);
	}

	if (spec.tooManyRequests !== undefined) {
		parts.push(`429=${spec.tooManyRequests}`);
	}

	if (spec.storm429) {
		parts.push(`429storm=${spec.storm429.stormMs}ms/${spec.storm429.periodMs}ms`);
	}

	if (spec.dropWebSockets) {
		parts.push('ratio' in spec.dropWebSockets ? `drop-ws=${spec.dropWebSockets.ratio}` : `drop-ws=${spec.dropWebSockets.everyMs}ms`);
	}

	return parts.length > 0 ? parts.join(',') : 'off';
}

function chaosError(message: string): UsageError {
	return new UsageError(message.charAt(0).toUpperCase() + message.slice(1), `--chaos accepts ${chaosSyntax}`);
}

function toMs(value: string, unit: Unit): number {
	return Math.round(Number(value) * unitMs[unit]);
}

function parseDuration(value: string | undefined): number | undefined {
	const match = value === undefined ? null : durationPattern.exec(value.trim());
	return match ? toMs(match[1]!, match[2] as Unit) : undefined;
}

function parseRatio(value: string): number | undefined {
	const match = ratioPattern.exec(value);
	if (!match) {
		return undefined;
	}

	const ratio = match[2] === '%' ? Number(match[1]) / 100 : Number(match[1]);
	return ratio >= 0 && ratio <= 1 ? ratio : undefined;
}
