// Everything one frame of the log viewer needs, computed from the store, the view state and the
// size: the row format, the visible rows and where the window is. The key handler computes the
// same frame to move from what is on screen.
import {entryRows, type LogRowFormat, shortLabels, textColumns} from './log-rows.js';
import type {LogSession} from './log-session.js';
import type {LogViewState} from './log-view-state.js';
import {anchoredTop, bottomTop, type Position, type WindowLines, type WindowRow, windowRows} from './log-window.js';

export type LogFrame = {
	format: LogRowFormat;
	lines: WindowLines;
	/** Rows of log lines on screen. */
	height: number;
	top: Position;
	bottom: Position;
	rows: WindowRow[];
};

export function logFrame(session: LogSession, view: LogViewState, size: {columns: number; height: number; colour: boolean}): LogFrame {
	const {store, query} = session;
	query.configure({include: view.include, exclude: view.exclude, search: view.search, raw: view.raw});
	query.sync();
	const sources = store.sources;
	const format: LogRowFormat = {
		columns: size.columns,
		timestamps: view.timestamps,
		wrap: view.wrap,
		raw: view.raw,
		hscroll: view.hscroll,
		labels: sources.length > 1 ? shortLabels(sources.map(source => source.label)) : undefined,
		colour: size.colour,
	};
	const columns = textColumns(format);
	const lines: WindowLines = {
		list: query.list,
		entry: seq => store.entry(seq),
		rowsOf: entry => entryRows(entry, format, columns),
	};
	const height = Math.max(1, size.height);
	const bottom = bottomTop(lines, height);
	const top = view.follow ? bottom : anchoredTop(lines, view.top, height);
	return {format, lines, height, top, bottom, rows: windowRows(lines, top, height)};
}
