// How a long document (help, details) sits in a frame: one or two columns, and how far it scrolls.
import type {Line} from './line.js';

/** Title line and bottom border. */
const frameRows = 2;
// Two columns of 59: the widest key label and description still fit whole.
const twoColumnMinWidth = 120;

export type ScrollGeometry = {
	columns: Line[][];
	visible: number;
	/** Rows of the longest column. */
	length: number;
	maxScroll: number;
};

/** Two halves split at the blank line nearest the middle, so no section is cut in two. */
function splitInTwo(lines: Line[]): Line[][] {
	const middle = Math.ceil(lines.length / 2);
	const blanks = lines.flatMap((line, index) => (line.length === 0 ? [index] : []));
	if (blanks.length === 0) {
		return [lines.slice(0, middle), lines.slice(middle)];
	}

	const split = blanks.reduce((best, index) => (Math.abs(index - middle) < Math.abs(best - middle) ? index : best));
	return [lines.slice(0, split), lines.slice(split + 1)];
}

export function scrollGeometry(lines: Line[], width: number, height: number, allowTwoColumns: boolean): ScrollGeometry {
	const visible = Math.max(0, height - frameRows);
	let columns = [lines];
	if (allowTwoColumns && lines.length > visible && width >= twoColumnMinWidth) {
		columns = splitInTwo(lines);
	}

	const length = Math.max(...columns.map(column => column.length));
	return {columns, visible, length, maxScroll: Math.max(0, length - visible)};
}
