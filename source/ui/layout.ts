// Splits the screen between the panes. The whole frame is exactly as tall as the terminal (a frame
// taller than the terminal makes Ink clear and redraw everything on every update).
import type {PaneId} from './ui-state.js';

export const headerRows = 1;
export const statusRows = 1;
export const footerRows = 1;

/** Rows a pane spends on its title line, column headers and bottom border. */
export const paneChromeRows = 3;

/** Below this width Addons and Jobs are stacked instead of side by side. */
export const sideBySideMinColumns = 72;

export type PaneBox = {pane: PaneId; width: number; height: number};

/** Rows of panes, top to bottom; panes in a row sit side by side. */
export type PaneGrid = PaneBox[][];

export function bodyHeight(rows: number): number {
	return Math.max(0, rows - headerRows - statusRows - footerRows);
}

/** Visible data rows of a pane box. */
export const dataRows = (box: PaneBox): number => Math.max(0, box.height - paneChromeRows);

export function layoutPanes(options: {
	columns: number;
	height: number;
	/** Rows each pane would like to show. */
	wanted: Record<PaneId, number>;
	focus: PaneId;
	/** Columns each pane needs to show its important cells whole; splits side-by-side rows. */
	needs?: Partial<Record<PaneId, number>>;
}): PaneGrid {
	const {columns, height, wanted, focus, needs = {}} = options;
	const stacks: PaneId[][] = columns >= sideBySideMinColumns
		? [['services'], ['builds'], ['addons', 'jobs']]
		: [['services'], ['builds'], ['addons'], ['jobs']];

	const available = height - (paneChromeRows * stacks.length);
	if (available < stacks.length) {
		// Too short for every pane: show the focused one alone.
		return [[{pane: focus, width: columns, height}]];
	}

	const want = stacks.map(stack => Math.max(...stack.map(pane => Math.max(1, wanted[pane]))));
	const given = stacks.map(() => 1);
	let remaining = available - stacks.length;
	while (remaining > 0) {
		let neediest = -1;
		for (const [index, rows] of given.entries()) {
			const unmet = (want[index] ?? 0) - rows;
			if (unmet > 0 && (neediest === -1 || unmet > (want[neediest] ?? 0) - (given[neediest] ?? 0))) {
				neediest = index;
			}
		}

		if (neediest === -1) {
			break;
		}

		given[neediest] = (given[neediest] ?? 0) + 1;
		remaining--;
	}

	// Spare rows go to the build history, which is the list that grows.
	given[1] = (given[1] ?? 0) + remaining;

	return stacks.map((stack, index) => {
		const paneHeight = (given[index] ?? 1) + paneChromeRows;
		const [first, second] = stack;
		if (!first || !second) {
			return stack.map(pane => ({pane, width: columns, height: paneHeight}));
		}

		const left = splitWidth(columns, needs[first], needs[second]);
		return [{pane: first, width: left, height: paneHeight}, {pane: second, width: columns - left, height: paneHeight}];
	});
}

/** Rows, borders and gutter around a table. */
const paneChromeColumns = 3;

/** Width of the left of two side-by-side panes: each gets what it needs when possible. */
function splitWidth(columns: number, leftNeeds: number | undefined, rightNeeds: number | undefined): number {
	if (leftNeeds === undefined || rightNeeds === undefined) {
		return Math.floor(columns / 2);
	}

	const left = leftNeeds + paneChromeColumns;
	const right = rightNeeds + paneChromeColumns;
	const ideal = left + right <= columns
		? left + Math.floor((columns - left - right) / 2)
		: Math.round(columns * left / (left + right));
	return Math.min(Math.max(ideal, Math.ceil(columns * 0.3)), Math.floor(columns * 0.7));
}

export function findBox(grid: PaneGrid, pane: PaneId): PaneBox | undefined {
	return grid.flat().find(box => box.pane === pane);
}
