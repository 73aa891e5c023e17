// Several containers' lines as one stream in time order (ties broken by container id, so the order
// is total and the same every time).
import type {LogRecord} from './container-log.js';
import {compareLogTimes} from './log-time.js';

export function* mergeRecords(sources: Array<Iterator<LogRecord>>, direction: 'forward' | 'backward'): Generator<LogRecord> {
	const sign = direction === 'forward' ? 1 : -1;
	const heads: Array<{record: LogRecord; source: Iterator<LogRecord>}> = [];
	for (const source of sources) {
		const next = source.next();
		if (!next.done) {
			heads.push({record: next.value, source});
		}
	}

	// Few containers take part, so a linear scan beats a heap.
	while (heads.length > 0) {
		let best = 0;
		for (let index = 1; index < heads.length; index++) {
			if (sign * compareRecords(heads[index]!.record, heads[best]!.record) < 0) {
				best = index;
			}
		}

		const head = heads[best]!;
		yield head.record;
		const next = head.source.next();
		if (next.done) {
			heads.splice(best, 1);
		} else {
			head.record = next.value;
		}
	}
}

export function compareRecords(a: LogRecord, b: LogRecord): number {
	return compareLogTimes(a.time, b.time) || (a.containerId < b.containerId ? -1 : (a.containerId > b.containerId ? 1 : 0));
}
