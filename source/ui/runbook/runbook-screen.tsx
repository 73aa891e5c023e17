import {Box, useWindowSize} from 'ink';
import {useReducer, useState, useSyncExternalStore} from 'react';
import {LineText} from '../components/line-text.js';
import {OverlayBox} from '../components/overlay-box.js';
import {PaneFrame} from '../components/pane-frame.js';
import {ScrollFrame} from '../components/scroll-frame.js';
import {SplitLine} from '../components/split-line.js';
import {type Line, text} from '../line.js';
import {scrollGeometry} from '../scroll-geometry.js';
import {fit} from '../text.js';
import {bottomPane, bottomPaneKind} from './bottom-pane.js';
import {planLines, shownStepId} from './plan-lines.js';
import {previewLines, previewTitle} from './preview-lines.js';
import {dialogBorder, dialogLines} from './run-dialog-lines.js';
import {runHeader} from './run-header.js';
import type {RunSource} from './run-source.js';
import {runStatus} from './run-status.js';
import {createRunViewStore} from './run-view-store.js';
import {frameRows, runbookLayout, sideBySideColumns} from './runbook-layout.js';
import {handleRunbookKey, runbookScopes} from './runbook-input.js';
import {
	activeQuestion, dialogOf, initialRunbookScreenState, questionForm, runbookScreenReducer,
} from './runbook-screen-state.js';
import {screenHelpLines, screenHints} from './screen-keys.js';
import {useScreenKeys} from './screen-keys-slot.js';

const helpScopes = ['runbook', 'runbook-dialog', 'runbook-typed', 'runbook-choice'] as const;

/** Pane content is drawn one column in from the left border. */
const contentWidth = (width: number): number => Math.max(0, width - 3);

function Pane({title, lines, width, height, focused = false}: {title: Line; lines: Line[]; width: number; height: number; focused?: boolean}) {
	if (height <= 0) {
		return null;
	}

	return (
		<PaneFrame title={title} width={width} height={height} focused={focused}>
			{lines.slice(0, Math.max(0, height - frameRows)).map((line, index) => <LineText key={index} line={[text(' '), ...line]}/>)}
		</PaneFrame>
	);
}

export type RunbookScreenProps = {
	source: RunSource;
	/** Back to the dashboard; the run goes on. */
	onBack(): void;
	onQuit(): void;
	/** Least time between two frames (default 100 ms: 10 a second). */
	frameMs?: number;
};

/**
 * One run: header, the plan as a checklist with the shown step's preview, preflight findings then
 * the live log (or the journal), and the engine's questions as dialogs over it.
 */
export function RunbookScreen({source, onBack, onQuit, frameMs}: RunbookScreenProps) {
	const {columns, rows} = useWindowSize();
	const [store] = useState(() => createRunViewStore(source, frameMs));
	const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
	const [state, dispatch] = useReducer(runbookScreenReducer, initialRunbookScreenState);
	const {view} = snapshot;

	const shownId = shownStepId(view, state.picked);
	const shownIndex = view.plan.findIndex(step => step.id === shownId);
	const shownStep = view.plan[shownIndex];
	const previewWidth = columns >= sideBySideColumns ? columns - Math.floor(columns * 0.5) : columns;
	const preview = previewLines(shownStep, view.journal.steps.find(step => step.id === shownId), contentWidth(previewWidth));
	const layout = runbookLayout(columns, rows, view.plan.length, preview.length);
	const question = activeQuestion(snapshot, state);
	const form = question && questionForm(question);
	const helpLines = screenHelpLines(helpScopes);
	const helpGeometry = scrollGeometry(helpLines, columns, layout.body, false);

	useScreenKeys((input, key) => {
		handleRunbookKey({
			snapshot,
			state,
			dispatch,
			source,
			help: {maxScroll: helpGeometry.maxScroll, page: Math.max(1, helpGeometry.visible)},
			back: onBack,
			quit: onQuit,
		}, input, key);
	});

	const header = runHeader(view.journal, source.title, columns);
	const done = view.plan.filter(step => step.status === 'succeeded' || step.status === 'skipped').length;
	const plan = planLines(view, shownId, contentWidth(layout.plan.width), Math.max(0, layout.plan.height - frameRows));
	const bottomRows = Math.max(0, layout.bottom.height - frameRows);
	const bottom = bottomPane(view, bottomPaneKind(view, state.journal), contentWidth(layout.bottom.width), bottomRows);
	const status = runStatus(view, source.title, state.status, Boolean(form));
	const dialogWidth = Math.min(columns, 72);

	return (
		<Box flexDirection="column" width={columns} height={rows} overflow="hidden">
			<SplitLine left={header.left} right={header.right} width={columns}/>
			<Box flexDirection="column" width={columns} height={layout.body} flexShrink={0} overflow="hidden">
				{state.help
					? <ScrollFrame title={[text('Help', undefined, true), text(' — runbook keys', 'muted')]} lines={helpLines} width={columns} height={layout.body} scroll={state.help.scroll}/>
					: (
						<>
							<Box flexDirection={layout.sideBySide ? 'row' : 'column'} flexShrink={0}>
								<Pane title={[text('Plan', undefined, true), text(` · ${done}/${view.plan.length} done`, 'muted')]} lines={plan} width={layout.plan.width} height={layout.plan.height} focused/>
								<Pane title={previewTitle(shownStep, shownIndex, view.plan.length)} lines={preview} width={layout.preview.width} height={layout.preview.height}/>
							</Box>
							<Pane title={[...bottom.title, ...(bottom.notes.length > 0 ? [text(' · ', 'muted'), ...bottom.notes] : [])]} lines={bottom.lines} width={layout.bottom.width} height={layout.bottom.height}/>
						</>
					)}
			</Box>
			<Box width={columns} height={1} flexShrink={0} overflow="hidden">
				<LineText line={status ? [text(fit(status.text, columns), status.tone)] : []}/>
			</Box>
			<Box width={columns} height={1} flexShrink={0} overflow="hidden">
				<LineText line={screenHints(runbookScopes(form, state), columns)}/>
			</Box>
			{question && form && (
				<OverlayBox
					lines={dialogLines(form, dialogOf(state, question), dialogWidth - 4, Math.max(1, layout.body - 2))}
					width={dialogWidth}
					columns={columns}
					bodyTop={1}
					bodyHeight={layout.body}
					borderStyle="bold"
					borderColor={dialogBorder(form)}
				/>
			)}
		</Box>
	);
}
