import {useSyncExternalStore} from 'react';
import type {LogSession} from '../log-session.js';
import {statusLines} from '../log-status-lines.js';
import type {LogViewState} from '../log-view-state.js';
import type {UiState} from '../ui-state.js';
import {SplitLine} from './split-line.js';

/** The log viewer's status line: prompts and messages on the left, follow or PAUSED on the right. */
export function LogStatus({session, view, ui, width}: {session: LogSession; view: LogViewState; ui: UiState; width: number}) {
	useSyncExternalStore(session.store.subscribe, session.store.getVersion);
	const {left, right} = statusLines(session, view, ui);
	return <SplitLine left={left} right={right} width={width}/>;
}
