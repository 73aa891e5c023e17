import {useApp} from 'ink';
import {type ReactNode, useMemo, useRef, useState} from 'react';
import {HistoryScreen} from '../history/history-screen.js';
import type {ListRuns, OpenRunbook, RunSource, ScreenLinks} from './run-source.js';
import {RunbookScreen} from './runbook-screen.js';
import {type KeyHandler, ScreenKeysContext, useScreenKeysListener} from './screen-keys-slot.js';

type Screen = {kind: 'dashboard'} | {kind: 'runbook'; source: RunSource} | {kind: 'history'};

export type ScreensProps = {
	openRunbook?: OpenRunbook;
	listRuns?: ListRuns;
	/** Least time between two frames of the runbook screen. */
	runbookFrameMs?: number;
	onQuit?: () => void;
	/** The dashboard, given the links to the other screens and whether it is hidden behind one. */
	dashboard(links: ScreenLinks, hidden: boolean): ReactNode;
};

/**
 * Which screen the console shows: the dashboard, a runbook run, or the run history. The dashboard
 * stays mounted (hidden) behind the others, so going back finds it as it was left.
 */
export function Screens({openRunbook, listRuns, runbookFrameMs, onQuit, dashboard}: ScreensProps) {
	const {exit} = useApp();
	const [screen, setScreen] = useState<Screen>({kind: 'dashboard'});
	// A run left while it goes on: any runbook command brings it back rather than starting another.
	const [lastRun, setLastRun] = useState<RunSource>();
	const keys = useRef<KeyHandler | undefined>(undefined);
	useScreenKeysListener(keys);

	const links = useMemo<ScreenLinks>(() => ({
		openRunbook: openRunbook && (async request => {
			const going = lastRun && !lastRun.view().done ? lastRun : undefined;
			const source = going ?? await openRunbook(request);
			// After the key that asked for it has reached every listener: a run waiting with a
			// question must not take that Enter as its answer.
			queueMicrotask(() => {
				setLastRun(source);
				setScreen({kind: 'runbook', source});
			});
		}),
		openHistory: listRuns && (() => {
			// Likewise: the Enter that ran `:history` is not for the list.
			queueMicrotask(() => {
				setScreen({kind: 'history'});
			});
		}),
	}), [openRunbook, listRuns, lastRun]);

	const back = () => {
		setScreen({kind: 'dashboard'});
	};

	const quit = () => {
		onQuit?.();
		exit();
	};

	return (
		<ScreenKeysContext value={keys}>
			{dashboard(links, screen.kind !== 'dashboard')}
			{screen.kind === 'runbook' && <RunbookScreen source={screen.source} frameMs={runbookFrameMs} onBack={back} onQuit={quit}/>}
			{screen.kind === 'history' && listRuns && <HistoryScreen listRuns={listRuns} onBack={back} onQuit={quit}/>}
		</ScreenKeysContext>
	);
}
