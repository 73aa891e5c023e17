import {Box, type Key, useWindowSize} from 'ink';
import {useEffect, useReducer, useState} from 'react';
import {LineText} from '../components/line-text.js';
import {PaneFrame} from '../components/pane-frame.js';
import {ScrollFrame} from '../components/scroll-frame.js';
import {findBinding, keyName, type KeyCommand, noFeatures, type Scope} from '../keymap.js';
import {type Line, text} from '../line.js';
import {plain} from '../runbook/plain-text.js';
import type {ListRuns} from '../runbook/run-source.js';
import {chromeRows, frameRows} from '../runbook/runbook-layout.js';
import {windowStart} from '../runbook/plan-lines.js';
import {screenHints, screenKeymap} from '../runbook/screen-keys.js';
import {useScreenKeys} from '../runbook/screen-keys-slot.js';
import {scrollGeometry} from '../scroll-geometry.js';
import {historyDetailLines, historyHeader, historyRow} from './history-lines.js';
import {type HistoryAction, historyReducer, type HistoryState, initialHistoryState, loadedRuns, selectedIndex} from './history-state.js';

const scopesOf = (state: HistoryState): Scope[] => ['always', state.detail ? 'history-detail' : 'history', 'navigation'];

type HistoryInput = {
	state: HistoryState;
	dispatch: (action: HistoryAction) => void;
	/** Rows of one page, and how far the open run scrolls. */
	page: number;
	maxScroll: number;
	reload(): void;
	back(): void;
	quit(): void;
};

function runHistoryCommand(context: HistoryInput, command: KeyCommand): void {
	const {state, dispatch, page, maxScroll} = context;
	const moves: Partial<Record<KeyCommand, number>> = {down: 1, up: -1, 'page-down': page, 'page-up': -page};
	const delta = moves[command];
	if (delta !== undefined) {
		dispatch(state.detail ? {type: 'scroll', to: Math.min(state.detail.scroll + delta, maxScroll)} : {type: 'move', delta});
		return;
	}

	switch (command) {
		case 'quit-now': {
			context.quit();
			break;
		}

		case 'top':
		case 'bottom': {
			dispatch(state.detail ? {type: 'scroll', to: command === 'top' ? 0 : maxScroll} : {type: 'move-to', edge: command});
			break;
		}

		case 'history-open': {
			dispatch({type: 'open'});
			break;
		}

		case 'history-reload': {
			context.reload();
			break;
		}

		case 'history-back': {
			if (state.detail) {
				dispatch({type: 'close'});
			} else {
				context.back();
			}

			break;
		}

		default: {
			break;
		}
	}
}

function handleHistoryKey(context: HistoryInput, input: string, key: Key): void {
	const binding = findBinding(scopesOf(context.state), keyName(input, key), noFeatures, screenKeymap);
	if (binding) {
		runHistoryCommand(context, binding.command);
	}
}

function listLines(state: HistoryState, width: number, rows: number): Line[] {
	switch (state.runs.status) {
		case 'loading': {
			return [[text('reading the journals…', 'busy')]];
		}

		case 'failed': {
			return [[text(`✖ Could not read the runs: ${plain(state.runs.message)}`, 'bad')], [text('r tries again.', 'muted')]];
		}

		case 'loaded': {
			const runs = state.runs.journals;
			if (runs.length === 0) {
				return [[text('No runs yet: :release, :rollback or :backup starts one.', 'muted')]];
			}

			const selected = selectedIndex(state);
			const visible = Math.max(0, rows - 1);
			const start = windowStart(selected, runs.length, visible);
			return [historyHeader(width), ...runs.slice(start, start + visible).map((run, offset) => historyRow(run, width, start + offset === selected))];
		}
	}
}

export type HistoryScreenProps = {
	listRuns: ListRuns;
	onBack(): void;
	onQuit(): void;
};

/** Past runs, newest first; enter reads one run's journal: steps, facts (builds, backup, migrations), events. */
export function HistoryScreen({listRuns, onBack, onQuit}: HistoryScreenProps) {
	const {columns, rows} = useWindowSize();
	const [state, dispatch] = useReducer(historyReducer, initialHistoryState);
	const [generation, setGeneration] = useState(0);

	useEffect(() => {
		let current = true;
		listRuns().then(
			journals => {
				if (current) {
					dispatch({type: 'loaded', journals});
				}
			},
			(error: unknown) => {
				if (current) {
					dispatch({type: 'failed', message: error instanceof Error ? error.message : String(error)});
				}
			},
		);
		return () => {
			current = false;
		};
	}, [listRuns, generation]);

	const body = Math.max(0, rows - chromeRows);
	const run = state.detail && loadedRuns(state).find(journal => journal.runId === state.detail?.runId);
	const detailLines = run ? historyDetailLines(run, columns - 3) : [];
	const geometry = scrollGeometry(detailLines, columns, body, false);

	useScreenKeys((input, key) => {
		handleHistoryKey({
			state,
			dispatch,
			page: Math.max(1, run ? geometry.visible : body - frameRows - 1),
			maxScroll: geometry.maxScroll,
			reload() {
				dispatch({type: 'loading'});
				setGeneration(value => value + 1);
			},
			back: onBack,
			quit: onQuit,
		}, input, key);
	});

	const count = loadedRuns(state).length;
	return (
		<Box flexDirection="column" width={columns} height={rows} overflow="hidden">
			<Box width={columns} height={1} flexShrink={0} overflow="hidden">
				<LineText line={[text('wheelhouse', 'accent', true), text(' · '), text('Run history', undefined, true), text(state.runs.status === 'loaded' ? ` · ${count} run${count === 1 ? '' : 's'}` : '', 'muted')]}/>
			</Box>
			<Box width={columns} height={body} flexShrink={0} overflow="hidden">
				{run && state.detail
					? <ScrollFrame title={[text('Run ', undefined, true), text(plain(run.runId), 'muted')]} lines={detailLines} width={columns} height={body} scroll={state.detail.scroll}/>
					: (
						<PaneFrame title={[text('Runs', undefined, true), text(' · newest first', 'muted')]} width={columns} height={body} focused>
							{listLines(state, columns - 3, body - frameRows).map((line, index) => <LineText key={index} line={[text(' '), ...line]}/>)}
						</PaneFrame>
					)}
			</Box>
			<Box width={columns} height={1} flexShrink={0}/>
			<Box width={columns} height={1} flexShrink={0} overflow="hidden">
				<LineText line={screenHints(scopesOf(state), columns)}/>
			</Box>
		</Box>
	);
}
