// Which screen rows of the listed log lines are visible, and how the window moves: by screen rows,
// so a wrapped line scrolls row by row as in less. Only the lines near the window are looked at.
import type {LogEntry} from '../core/log-entry.js';
import type {LogList} from '../core/log-index.js';
import type {LogAnchor} from './log-view-state.js';

export type WindowLines = {
	list: LogList;
	entry(seq: number): LogEntry | undefined;
	/** Screen rows of an entry at the current width and toggles. */
	rowsOf(entry: LogEntry): number;
};

/** A listed line by position, and a screen row within it. */
export type Position = {position: number; row: number};

export type WindowRow = {seq: number; entry: LogEntry; row: number};

function rowsAt(lines: WindowLines, position: number): number {
	const seq = lines.list.seqAt(position);
	const entry = seq === undefined ? undefined : lines.entry(seq);
	return entry ? lines.rowsOf(entry) : 1;
}

export const comparePositions = (a: Position, b: Position): number => (a.position - b.position) || (a.row - b.row);

/** The top of a window whose last row is the newest line's last row (or the very top, if all fits). */
export function bottomTop(lines: WindowLines, height: number): Position {
	let remaining = height;
	for (let position = lines.list.count - 1; position >= 0; position--) {
		const rows = rowsAt(lines, position);
		if (rows >= remaining) {
			return {position, row: rows - remaining};
		}

		remaining -= rows;
	}

	return {position: 0, row: 0};
}

/** A paused window's top, from its anchor; never below the bottom-most window. */
export function anchoredTop(lines: WindowLines, anchor: LogAnchor, height: number): Position {
	const position = Math.min(lines.list.positionOf(anchor.seq), Math.max(0, lines.list.count - 1));
	const exact = lines.list.seqAt(position) === anchor.seq;
	const top = {position, row: exact ? Math.min(anchor.row, rowsAt(lines, position) - 1) : 0};
	const bottom = bottomTop(lines, height);
	return comparePositions(top, bottom) > 0 ? bottom : top;
}

/** The window's top moved by `delta` screen rows, kept between the very top and the bottom-most window. */
export function moveBy(lines: WindowLines, from: Position, delta: number, height: number): Position {
	let {position, row} = from;
	if (delta > 0) {
		const bottom = bottomTop(lines, height);
		for (let step = 0; step < delta && comparePositions({position, row}, bottom) < 0; step++) {
			if (row + 1 < rowsAt(lines, position)) {
				row++;
			} else {
				position++;
				row = 0;
			}
		}

		return comparePositions({position, row}, bottom) > 0 ? bottom : {position, row};
	}

	for (let step = 0; step < -delta; step++) {
		if (row > 0) {
			row--;
		} else if (position > 0) {
			position--;
			row = rowsAt(lines, position) - 1;
		} else {
			break;
		}
	}

	return {position, row};
}

export function anchorOf(lines: WindowLines, top: Position): LogAnchor {
	return {seq: lines.list.seqAt(top.position) ?? 0, row: top.row};
}

/** The rows shown from `top` down, at most `height`. */
export function windowRows(lines: WindowLines, top: Position, height: number): WindowRow[] {
	const rows: WindowRow[] = [];
	let {row} = top;
	for (let position = top.position; position < lines.list.count && rows.length < height; position++) {
		const seq = lines.list.seqAt(position);
		const entry = seq === undefined ? undefined : lines.entry(seq);
		if (seq === undefined || !entry) {
			continue;
		}

		const count = lines.rowsOf(entry);
		for (; row < count && rows.length < height; row++) {
			rows.push({seq, entry, row});
		}

		row = 0;
	}

	return rows;
}
