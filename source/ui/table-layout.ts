// Fits table columns into a width: the least important columns are dropped first, then the
// flexible ones shrink (their cells end in `…`). Columns pack to the left; spare room stays blank.
import {isTimeSegment, type Line, type Segment, segmentWidth} from './line.js';
import {type Align, fit, textWidth} from './text.js';

export type Column<Row> = {
	id: string;
	header: string;
	/** 1 is kept longest; larger numbers are dropped first when space runs out. */
	priority: number;
	minWidth: number;
	maxWidth?: number;
	/** Shrinks first when space runs out, and optional columns make way for it (names, messages). */
	grow?: boolean;
	align?: Align;
	cell(row: Row): Segment;
};

export type FittedColumn<Row> = Column<Row> & {width: number};

export const columnGap = 1;

function naturalWidth<Row>(column: Column<Row>, rows: readonly Row[]): number {
	let width = textWidth(column.header);
	for (const row of rows) {
		width = Math.max(width, segmentWidth(column.cell(row)));
	}

	return Math.max(column.minWidth, Math.min(width, column.maxWidth ?? Number.POSITIVE_INFINITY));
}

const totalWidth = (widths: number[]): number =>
	widths.reduce((sum, width) => sum + width, 0) + (columnGap * Math.max(0, widths.length - 1));

/** Columns from this priority on are optional: dropped to show names whole. */
export const optionalPriority = 3;

/** Width the essential and important columns need to show every cell whole. */
export function essentialWidth<Row>(columns: ReadonlyArray<Column<Row>>, rows: readonly Row[]): number {
	return totalWidth(columns.filter(column => column.priority < optionalPriority).map(column => naturalWidth(column, rows)));
}

export function fitColumns<Row>(columns: ReadonlyArray<Column<Row>>, rows: readonly Row[], width: number): Array<FittedColumn<Row>> {
	const natural = new Map(columns.map(column => [column, naturalWidth(column, rows)]));
	let kept = [...columns];
	while (kept.length > 1) {
		const leastImportant = kept.reduce((worst, column) => (column.priority >= worst.priority ? column : worst));
		const mustDrop = totalWidth(kept.map(column => column.minWidth)) > width;
		const worthDropping = totalWidth(kept.map(column => natural.get(column) ?? 0)) > width
			&& leastImportant.priority >= optionalPriority
			&& kept.some(column => column.grow && column.priority < leastImportant.priority);
		if (!mustDrop && !worthDropping) {
			break;
		}

		kept = kept.filter(column => column !== leastImportant);
	}

	const fitted = kept.map(column => ({...column, width: natural.get(column) ?? column.minWidth}));

	let excess = totalWidth(fitted.map(column => column.width)) - width;
	const shrinkOrder = [...fitted].sort((a, b) => Number(Boolean(b.grow)) - Number(Boolean(a.grow)) || b.priority - a.priority);
	for (const column of shrinkOrder) {
		if (excess <= 0) {
			break;
		}

		const cut = Math.min(excess, column.width - column.minWidth);
		column.width -= cut;
		excess -= cut;
	}

	if (excess > 0 && fitted.length === 1 && fitted[0]) {
		fitted[0].width = Math.max(1, width);
	}

	return fitted;
}

function fitSegment(segment: Segment, width: number, align: Align | undefined): Segment {
	if (isTimeSegment(segment)) {
		return {...segment, width, align};
	}

	return {...segment, text: fit(segment.text, width, align)};
}

function joinCells(cells: Segment[]): Line {
	const line: Line = [];
	for (const [index, cell] of cells.entries()) {
		if (index > 0) {
			line.push({text: ' '.repeat(columnGap)});
		}

		line.push(cell);
	}

	return line;
}

export function headerLine<Row>(columns: ReadonlyArray<FittedColumn<Row>>): Line {
	return joinCells(columns.map(column => ({text: fit(column.header, column.width, column.align), bold: true})));
}

export function rowLine<Row>(columns: ReadonlyArray<FittedColumn<Row>>, row: Row): Line {
	return joinCells(columns.map(column => fitSegment(column.cell(row), column.width, column.align)));
}
