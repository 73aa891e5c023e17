// Log timestamps with nanosecond precision, as RFC 3339 strings ("2026-11-22T03:12:40.123456789Z").
// Epoch nanoseconds do not fit a double exactly, so an instant is epoch milliseconds plus the
// nanoseconds within that millisecond.

export type LogTime = {ms: number; ns: number};

export const nanosPerMs = 1_000_000;

export function compareLogTimes(a: LogTime, b: LogTime): number {
	return (a.ms - b.ms) || (a.ns - b.ns);
}

export function isBefore(a: LogTime, b: LogTime): boolean {
	return a.ms < b.ms || (a.ms === b.ms && a.ns < b.ns);
}

export function atMs(ms: number): LogTime {
	return {ms, ns: 0};
}

export function nextNanosecond(time: LogTime): LogTime {
	return time.ns === nanosPerMs - 1 ? {ms: time.ms + 1, ns: 0} : {ms: time.ms, ns: time.ns + 1};
}

export function earliest(a: LogTime, b: LogTime): LogTime {
	return isBefore(b, a) ? b : a;
}

// Lines come in time order, so consecutive calls mostly share their second.
let cachedSecond = Number.NaN;
let cachedPrefix = '';

export function formatLogTime(time: LogTime): string {
	const second = Math.floor(time.ms / 1000);
	if (second !== cachedSecond) {
		cachedSecond = second;
		cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
	}

	const nanos = ((time.ms - (second * 1000)) * nanosPerMs) + time.ns;
	return `${cachedPrefix}${String(nanos).padStart(9, '0')}Z`;
}

const rfc3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;

/** Parses an RFC 3339 time with up to nine fractional digits; undefined when it is not one. */
export function parseLogTime(text: string): LogTime | undefined {
	const match = rfc3339.exec(text.trim());
	if (!match) {
		return undefined;
	}

	const seconds = Date.parse(`${match[1]!}${match[3]!.toUpperCase()}`);
	if (Number.isNaN(seconds)) {
		return undefined;
	}

	const fraction = Number((match[2] ?? '').padEnd(9, '0'));
	return {ms: seconds + Math.floor(fraction / nanosPerMs), ns: fraction % nanosPerMs};
}
