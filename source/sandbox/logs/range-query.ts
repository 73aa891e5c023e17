// The REST range query: the lines of the selected containers in a window, oldest or newest first,
// cut at `lineLimit` with a cursor to continue from.
import type {Pagination} from '../northflank/pagination.js';
import type {LogRecord} from './container-log.js';
import {toEntry, type LogEntry} from './log-entry.js';
import type {RangeQuery} from './log-query.js';
import {compareLogTimes, earliest, formatLogTime, isBefore, atMs} from './log-time.js';
import {mergeRecords} from './merge.js';
import type {LogReader} from './recorded-log.js';

/** A filter that matches almost nothing still answers quickly: the query stops after this many lines and says where. */
export const maxScannedLines = 500_000;

/**
 * Pages never split lines that share a timestamp (two containers can write in the same nanosecond),
 * so `endTime=<cursor>` (exclusive) continues a backward walk without a gap, and `startTime=<cursor>`
 * (inclusive) continues a forward one, repeating the lines at the cursor.
 */
export function readRange(logs: LogReader[], query: RangeQuery, now: number): {data: LogEntry[]; pagination: Pagination} {
	const to = earliest(query.to, atMs(now));
	const data: LogEntry[] = [];
	if (!isBefore(query.from, to)) {
		return {data, pagination: {hasNextPage: false, count: 0}};
	}

	const records = mergeRecords(logs.map(log => query.direction === 'forward' ? log.forward(query.from, to) : log.backward(query.from, to)), query.direction);
	let scanned = 0;
	let last: LogRecord | undefined;
	for (const record of records) {
		if (last && compareLogTimes(record.time, last.time) !== 0 && (data.length >= query.lineLimit || scanned >= maxScannedLines)) {
			return {data, pagination: {hasNextPage: true, cursor: formatLogTime(last.time), count: data.length}};
		}

		scanned += 1;
		last = record;
		if (query.matches === undefined || query.matches(record.text)) {
			data.push(toEntry(record));
		}
	}

	return {data, pagination: {hasNextPage: false, count: data.length}};
}
