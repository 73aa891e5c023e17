// How one log line is laid out on screen: timestamp, source prefix (merged views), level mark and
// the text, wrapped or cut to the width, with search matches highlighted.
import {entryPlainText, entryText, type LogEntry, type LogLevel} from '../core/log-entry.js';
import {columnSpan, sliceColumns, wrapRowCount, wrapRows} from './columns.js';
import {pad, textWidth, truncate} from './text.js';

export type LogSegment = {text: string; color?: string; dim?: boolean; bold?: boolean; inverse?: boolean; underline?: boolean};

export type LogRowFormat = {
	columns: number;
	timestamps: boolean;
	wrap: boolean;
	raw: boolean;
	/** Columns scrolled sideways, without wrap. */
	hscroll: number;
	/** Short names of the sources, for merged views; absent when there is one source. */
	labels?: readonly string[];
	colour: boolean;
};

const timestampWidth = 13;
const gutterWidth = 2;
const maxLabelWidth = 16;
const minTextColumns = 8;

export const labelWidth = (format: LogRowFormat): number =>
	format.labels ? Math.min(maxLabelWidth, Math.max(...format.labels.map(label => textWidth(label)))) + 1 : 0;

/** Columns left for the text after the timestamp, prefix and level mark. */
export function textColumns(format: LogRowFormat): number {
	const used = (format.timestamps ? timestampWidth : 0) + labelWidth(format) + gutterWidth;
	return Math.max(minTextColumns, format.columns - used);
}

/** Screen rows an entry takes: one without wrap. */
export function entryRows(entry: LogEntry, format: LogRowFormat, columns = textColumns(format)): number {
	if (!format.wrap) {
		return 1;
	}

	return wrapRowCount(entryPlainText(entry, format.raw), columns);
}

const levelMarks: Record<LogLevel, LogSegment> = {
	error: {text: '✖ ', color: 'red', bold: true},
	warn: {text: '▲ ', color: 'yellow'},
	info: {text: '  '},
	debug: {text: '· ', dim: true},
};

const levelText: Record<LogLevel, Omit<LogSegment, 'text'>> = {
	error: {color: 'red'},
	warn: {color: 'yellow'},
	info: {},
	debug: {dim: true},
};

// Red is left for errors.
const sourceColours = ['cyan', 'magenta', 'blue', 'green', 'yellow', 'cyanBright', 'magentaBright', 'blueBright', 'greenBright'];

export const sourceColour = (source: number): string => sourceColours[source % sourceColours.length] ?? 'cyan';

const twoDigits = (value: number): string => String(value).padStart(2, '0');

/** `03:12:40.123`, local time. */
export function formatLogTime(timestamp: number): string {
	const date = new Date(timestamp);
	return `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** Names of merged sources without the part they all share: `notechondria-backend` → `backend`. */
export function shortLabels(labels: readonly string[]): string[] {
	if (labels.length < 2) {
		return [...labels];
	}

	let shared = labels[0] ?? '';
	for (const label of labels) {
		while (!label.startsWith(shared)) {
			shared = shared.slice(0, -1);
		}
	}

	// Cut only at a separator, and leave every name something.
	const cut = Math.max(shared.lastIndexOf('-'), shared.lastIndexOf('_'), shared.lastIndexOf('.')) + 1;
	return labels.map(label => (cut > 0 && label.length > cut ? label.slice(cut) : label));
}

export type RowHighlight = {
	pattern: RegExp;
	/** The line is the match the view is on. */
	current: boolean;
};

/** Code-unit ranges of every match of a global pattern. */
function matchRanges(text: string, pattern: RegExp): Array<[number, number]> {
	const ranges: Array<[number, number]> = [];
	pattern.lastIndex = 0;
	for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
		if (match[0] === '') {
			pattern.lastIndex++;
			continue;
		}

		ranges.push([match.index, match.index + match[0].length]);
	}

	return ranges;
}

function highlighted(text: string, start: number, end: number, ranges: Array<[number, number]>, style: Omit<LogSegment, 'text'>, current: boolean): LogSegment[] {
	const segments: LogSegment[] = [];
	let at = start;
	for (const [from, to] of ranges) {
		const low = Math.max(from, at);
		const high = Math.min(to, end);
		if (high <= low) {
			continue;
		}

		if (low > at) {
			segments.push({...style, text: text.slice(at, low)});
		}

		// Reverse video reads without colour; the current match is also underlined.
		segments.push({text: text.slice(low, high), inverse: true, bold: current, underline: current, color: current ? 'yellow' : undefined});
		at = high;
	}

	if (at < end) {
		segments.push({...style, text: text.slice(at, end)});
	}

	return segments;
}

/** The segments of screen row `row` of an entry (row 0 carries the timestamp, prefix and level mark). */
export function logRow(entry: LogEntry, row: number, format: LogRowFormat, highlight?: RowHighlight): LogSegment[] {
	const segments: LogSegment[] = [];
	const first = row === 0;
	if (format.timestamps) {
		segments.push({text: first ? `${formatLogTime(entry.timestamp)} ` : ' '.repeat(timestampWidth), dim: true});
	}

	if (format.labels) {
		const width = labelWidth(format) - 1;
		const label = first ? pad(truncate(format.labels[entry.source] ?? '', width), width) : ' '.repeat(width);
		segments.push({text: `${label} `, color: sourceColour(entry.source)});
	}

	const mark = entry.level ? levelMarks[entry.level] : levelMarks.info;
	segments.push(first ? mark : {text: '  '});

	const columns = textColumns(format);
	const plain = entryPlainText(entry, format.raw);
	const wrapped = format.wrap ? wrapRows(plain, columns)[row] : undefined;
	const from = wrapped ? wrapped.from : format.hscroll;
	const coloured = format.colour ? entryText(entry, format.raw) : plain;
	const ownColours = coloured !== plain;
	const style = entry.level && !ownColours ? levelText[entry.level] : {};
	const ranges = highlight ? matchRanges(plain, highlight.pattern) : [];
	// Without wrap, a cut line gives its last column to a `…`.
	const cut = !format.wrap && columnSpan(plain, from, columns).more;
	const width = wrapped ? wrapped.width : (cut ? columns - 1 : columns);
	if (ranges.length > 0 || !ownColours) {
		const span = columnSpan(plain, from, width);
		if (span.padStart > 0) {
			segments.push({text: ' '.repeat(span.padStart)});
		}

		segments.push(...highlighted(plain, span.start, span.end, ranges, style, highlight?.current ?? false));
	} else {
		segments.push({text: sliceColumns(coloured, from, width).text});
	}

	if (cut) {
		segments.push({text: '…', dim: true});
	}

	return segments;
}
