// Cutting a log line into screen columns: for wrapping, horizontal scrolling and highlighting.
// Lines are already sanitised, so the only escape sequences left are SGR colour codes.
import {charWidth, isAscii} from './text.js';

const sgrAt = /\u001B\[[\d;:]*m/y;
const reset = '\u001B[0m';

export type ColumnSpan = {
	/** Code-unit index where the span starts. */
	start: number;
	/** Code-unit index just past its end. */
	end: number;
	/** Text is left after the span. */
	more: boolean;
	/** A wide character cut by the left edge: the span starts with this many blank columns. */
	padStart: number;
};

/** Where columns [from, from + width) of a text without escape codes are. */
export function columnSpan(text: string, from: number, width: number): ColumnSpan {
	if (isAscii(text)) {
		const start = Math.min(from, text.length);
		const end = Math.min(from + width, text.length);
		return {start, end, more: text.length > from + width, padStart: 0};
	}

	const limit = from + width;
	let column = 0;
	let index = 0;
	let start = -1;
	let padStart = 0;
	for (const character of text) {
		const size = charWidth(character);
		if (start === -1 && column + size > from) {
			start = column < from ? index + character.length : index;
			padStart = column < from ? column + size - from : 0;
		}

		if (column + size > limit) {
			return {start: start === -1 ? index : start, end: index, more: true, padStart};
		}

		column += size;
		index += character.length;
	}

	return {start: start === -1 ? text.length : start, end: text.length, more: false, padStart};
}

export type ColumnSlice = {text: string; more: boolean};

/** Columns [from, from + width) of `text`, keeping its colour codes (and ending them). */
export function sliceColumns(text: string, from: number, width: number): ColumnSlice {
	if (!text.includes('\u001B')) {
		const span = columnSpan(text, from, width);
		return {text: ' '.repeat(span.padStart) + text.slice(span.start, span.end), more: span.more};
	}

	const limit = from + width;
	let column = 0;
	let index = 0;
	let before = '';
	let shown = '';
	let styled = false;
	let more = false;
	while (index < text.length) {
		sgrAt.lastIndex = index;
		const sequence = text.charCodeAt(index) === 0x1B ? sgrAt.exec(text)?.[0] : undefined;
		if (sequence) {
			// Colour set before the visible part still applies to it.
			if (column < from) {
				before += sequence;
			} else {
				shown += sequence;
			}

			styled = true;
			index += sequence.length;
			continue;
		}

		const character = String.fromCodePoint(text.codePointAt(index) ?? 32);
		const size = charWidth(character);
		if (column + size > limit) {
			more = true;
			break;
		}

		if (column >= from) {
			shown += character;
		} else if (column + size > from) {
			shown += ' '.repeat(column + size - from);
		}

		column += size;
		index += character.length;
	}

	return {text: styled ? before + shown + reset : shown, more};
}

/**
 * Where each row of a text wrapped at `columns` starts, in columns of the unwrapped text, and how
 * wide it is: a wide character that does not fit moves whole to the next row.
 */
export function wrapRows(text: string, columns: number): Array<{from: number; width: number}> {
	if (isAscii(text)) {
		const count = Math.max(1, Math.ceil(text.length / columns));
		return Array.from({length: count}, (_, row) => ({from: row * columns, width: columns}));
	}

	const rows = [{from: 0, width: columns}];
	let column = 0;
	let rowStart = 0;
	for (const character of text) {
		const size = charWidth(character);
		if (column + size - rowStart > columns) {
			const last = rows.at(-1);
			if (last) {
				last.width = column - rowStart;
			}

			rowStart = column;
			rows.push({from: column, width: columns});
		}

		column += size;
	}

	return rows;
}

/** How many rows a text wrapped at `columns` takes. */
export function wrapRowCount(text: string, columns: number): number {
	return isAscii(text) ? Math.max(1, Math.ceil(text.length / columns)) : wrapRows(text, columns).length;
}
