// How the runbook screen shares the terminal: header, plan + preview, the lower pane, status line and
// key hints, exactly as tall as the terminal (taller, Ink would clear the screen on every frame).

/** Rows around the body: the header, the status line and the key hints. */
export const chromeRows = 3;

/** Rows a framed pane spends on its title line and bottom border. */
export const frameRows = 2;

/** From this width the preview sits beside the plan instead of under it. */
export const sideBySideColumns = 100;

export type Box = {width: number; height: number};

export type RunbookLayout = {
	body: number;
	plan: Box;
	/** Beside the plan when `sideBySide`, else under it; height 0 when there is no room. */
	preview: Box;
	sideBySide: boolean;
	bottom: Box;
};

const clamp = (value: number, low: number, high: number): number => Math.max(low, Math.min(value, high));

export function runbookLayout(columns: number, rows: number, planLength: number, previewLength: number): RunbookLayout {
	const body = Math.max(0, rows - chromeRows);
	const sideBySide = columns >= sideBySideColumns;
	// The lower pane keeps at least this much: its title, a few lines, its border.
	const bottomMinimum = Math.min(body, Math.max(frameRows + 3, Math.floor(body * 0.3)));
	if (sideBySide) {
		const top = clamp(Math.max(planLength, previewLength) + frameRows, Math.min(body, frameRows + 3), Math.max(0, Math.min(Math.floor(body * 0.55), body - bottomMinimum)));
		const planWidth = Math.floor(columns * 0.5);
		return {
			body,
			plan: {width: planWidth, height: top},
			preview: {width: columns - planWidth, height: top},
			sideBySide,
			bottom: {width: columns, height: body - top},
		};
	}

	const room = Math.max(0, body - bottomMinimum);
	const plan = Math.min(room, clamp(planLength + frameRows, frameRows + 1, Math.max(frameRows + 1, Math.floor(body * 0.45))));
	const previewRoom = room - plan;
	const preview = previewRoom >= frameRows + 1 ? Math.min(previewRoom, clamp(previewLength, 1, 4) + frameRows) : 0;
	return {
		body,
		plan: {width: columns, height: plan},
		preview: {width: columns, height: preview},
		sideBySide,
		bottom: {width: columns, height: body - plan - preview},
	};
}
