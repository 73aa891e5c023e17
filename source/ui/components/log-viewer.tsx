import {Box, Text} from 'ink';
import {useSyncExternalStore} from 'react';
import {logFrame} from '../log-frame.js';
import {logRow} from '../log-rows.js';
import type {LogSession} from '../log-session.js';
import {titleLines} from '../log-status-lines.js';
import type {LogViewState} from '../log-view-state.js';
import {LogRowText} from './log-row-text.js';
import {SplitLine} from './split-line.js';

function emptyText(session: LogSession, view: LogViewState): string {
	if (session.store.length === 0) {
		return session.store.history.loading ? 'loading older lines…' : 'waiting for lines…';
	}

	return view.include || view.exclude ? 'no line passes the filter (& and ! change it; empty clears)' : '';
}

/**
 * The log lines of a session: a title line, then only the rows that fit. It re-renders when the
 * store ticks (at most once a frame), never per line.
 */
export function LogViewer({session, view, width, height, colour}: {
	session: LogSession;
	view: LogViewState;
	width: number;
	/** Rows for the title and the lines. */
	height: number;
	colour: boolean;
}) {
	useSyncExternalStore(session.store.subscribe, session.store.getVersion);
	const frame = logFrame(session, view, {columns: width, height: height - 1, colour});
	const {search} = session.query;
	const title = titleLines(session, view, width);
	const empty = frame.rows.length === 0 ? emptyText(session, view) : '';
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<SplitLine left={title.left} right={title.right} width={width}/>
			{frame.rows.map((row, index) => (
				<LogRowText
					key={index}
					segments={logRow(row.entry, row.row, frame.format, search && {pattern: search.all, current: row.seq === view.current})}
				/>
			))}
			{empty && <Text dimColor>{`  ${empty}`}</Text>}
		</Box>
	);
}
