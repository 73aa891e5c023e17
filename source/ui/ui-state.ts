// Everything the dashboard remembers between key presses, and the only way it changes.
import type {LogTarget} from '../core/logs.js';
import type {ExecTarget} from '../core/exec.js';
import type {Container} from '../core/types.js';
import {initialLogViewState, type LogViewAction, logViewReducer, type LogViewState} from './log-view-state.js';
import type {Tone} from './theme.js';

export const paneOrder = ['services', 'builds', 'addons', 'jobs'] as const;

export type PaneId = typeof paneOrder[number];

export const paneTitles: Record<PaneId, string> = {
	services: 'Services',
	builds: 'Builds',
	addons: 'Addons',
	jobs: 'Jobs',
};

/** The selected row, by id so it survives refreshes that reorder rows; index is the fallback. */
export type Cursor = {id?: string; index: number};

export type LogsView = {kind: 'logs'; logs: LogViewState};

export type View =
	| {kind: 'panes'}
	| {kind: 'detail'; pane: PaneId; id: string; scroll: number}
	| LogsView
	/** Help over the log viewer goes back to it. */
	| {kind: 'help'; scroll: number; back?: LogsView};

export type LogPromptKind = 'search' | 'include' | 'exclude' | 'save';

export type TextInput =
	| {kind: 'filter'; pane: PaneId; text: string}
	| {kind: 'palette'; text: string; choice: number}
	| {kind: 'log-prompt'; prompt: LogPromptKind; text: string; error?: string};

export type MutatingCommand = 'build' | 'restart';

export type ConfirmDialog = {
	command: MutatingCommand;
	serviceId: string;
	serviceName: string;
	/** Cancel until the user moves to the action: an accidental Enter is harmless. */
	choice: 'cancel' | 'confirm';
	/** On a protected context: the context name, which must be typed to confirm. */
	confirmWord?: string;
	/** What has been typed so far. */
	typed?: string;
	/** Enter was pressed with something else typed. */
	mismatch?: boolean;
};

export type StatusMessage = {tone: Tone; text: string};

/** A service, job or addon, which a shell can be opened in. */
export type ShellWorkload = Omit<Extract<ExecTarget, {id: string}>, 'instance' | 'container'>;

/** A shell on its way: which container (when the workload runs several), then waiting for it to connect. */
export type ShellState =
	| {phase: 'choosing'; workload: ShellWorkload; containers: readonly Container[]; choice: number}
	| {phase: 'opening'; label: string};

export type UiState = {
	focus: PaneId;
	cursors: Record<PaneId, Cursor>;
	filters: Record<PaneId, string>;
	view: View;
	input?: TextInput;
	dialog?: ConfirmDialog;
	shell?: ShellState;
	status?: StatusMessage;
};

export type UiAction =
	| {type: 'focus'; pane: PaneId}
	| {type: 'cycle-focus'; delta: 1 | -1}
	| {type: 'move'; pane: PaneId; ids: readonly string[]; delta: number}
	| {type: 'move-to'; pane: PaneId; ids: readonly string[]; edge: 'top' | 'bottom'}
	| {type: 'open-detail'; pane: PaneId; id: string}
	| {type: 'open-help'}
	| {type: 'close-view'}
	| {type: 'scroll'; delta: number; max: number}
	| {type: 'scroll-to'; edge: 'top' | 'bottom'; max: number}
	| {type: 'start-filter'}
	| {type: 'start-palette'}
	| {type: 'input-append'; text: string}
	| {type: 'input-backspace'}
	| {type: 'input-set'; text: string}
	| {type: 'input-choice'; delta: number; count: number}
	| {type: 'input-close'; clearFilter: boolean}
	| {type: 'input-error'; error: string}
	| {type: 'start-log-prompt'; prompt: LogPromptKind; text: string}
	| {type: 'open-logs'; targets: LogTarget[]}
	| {type: 'logs'; action: LogViewAction}
	| {type: 'clear-filter'}
	| {type: 'open-dialog'; dialog: Omit<ConfirmDialog, 'choice'>}
	| {type: 'dialog-choice'; choice: 'cancel' | 'confirm' | 'toggle'}
	/** Enter on a typed confirmation whose text is not the context name. */
	| {type: 'dialog-mismatch'}
	| {type: 'close-dialog'}
	| {type: 'shell-choose'; workload: ShellWorkload; containers: readonly Container[]}
	| {type: 'shell-choice'; delta: number}
	| {type: 'shell-opening'; label: string}
	/** The shell was cancelled, failed to open, or has ended: back to what was on screen. */
	| {type: 'shell-end'; status: StatusMessage | undefined}
	| {type: 'status'; status: StatusMessage | undefined};

const emptyRecord = <Value>(value: Value): Record<PaneId, Value> => ({services: value, builds: value, addons: value, jobs: value});

export const initialUiState: UiState = {
	focus: 'services',
	cursors: emptyRecord<Cursor>({index: 0}),
	filters: emptyRecord(''),
	view: {kind: 'panes'},
};

/** Where a cursor points in the current rows: its id if still there, else the nearest index; -1 when empty. */
export function resolveIndex(cursor: Cursor, ids: readonly string[]): number {
	if (ids.length === 0) {
		return -1;
	}

	const byId = cursor.id === undefined ? -1 : ids.indexOf(cursor.id);
	return byId === -1 ? Math.min(Math.max(cursor.index, 0), ids.length - 1) : byId;
}

const clamp = (value: number, low: number, high: number): number => Math.min(Math.max(value, low), high);

function select(state: UiState, pane: PaneId, ids: readonly string[], index: number): UiState {
	if (ids.length === 0) {
		return state;
	}

	const next = clamp(index, 0, ids.length - 1);
	const cursors = {...state.cursors, [pane]: {id: ids[next], index: next}};
	// Another service has other builds: start at its newest.
	if (pane === 'services' && ids[next] !== state.cursors.services.id) {
		cursors.builds = {index: 0};
	}

	return {...state, cursors};
}

function withInputText(state: UiState, text: string): UiState {
	const {input} = state;
	if (!input) {
		// The typed confirmation of a protected context's dialog.
		return state.dialog?.confirmWord === undefined ? state : {...state, dialog: {...state.dialog, typed: text, mismatch: false}};
	}

	if (input.kind === 'palette') {
		return {...state, input: {...input, text, choice: 0}};
	}

	if (input.kind === 'log-prompt') {
		return {...state, input: {...input, text, error: undefined}};
	}

	// The filter applies while it is typed.
	return {...state, input: {...input, text}, filters: {...state.filters, [input.pane]: text}};
}

export function uiReducer(state: UiState, action: UiAction): UiState {
	switch (action.type) {
		case 'focus': {
			return {...state, focus: action.pane};
		}

		case 'cycle-focus': {
			const index = paneOrder.indexOf(state.focus);
			const next = paneOrder[(index + action.delta + paneOrder.length) % paneOrder.length] ?? 'services';
			return {...state, focus: next};
		}

		case 'move': {
			const current = resolveIndex(state.cursors[action.pane], action.ids);
			return select(state, action.pane, action.ids, current + action.delta);
		}

		case 'move-to': {
			return select(state, action.pane, action.ids, action.edge === 'top' ? 0 : action.ids.length - 1);
		}

		case 'open-detail': {
			return {...state, view: {kind: 'detail', pane: action.pane, id: action.id, scroll: 0}};
		}

		case 'open-help': {
			return {...state, view: {kind: 'help', scroll: 0, back: state.view.kind === 'logs' ? state.view : undefined}, input: undefined};
		}

		case 'close-view': {
			return {...state, view: state.view.kind === 'help' && state.view.back ? state.view.back : {kind: 'panes'}, input: undefined};
		}

		case 'open-logs': {
			return {...state, view: {kind: 'logs', logs: initialLogViewState(action.targets)}, input: undefined, status: undefined};
		}

		case 'logs': {
			return state.view.kind === 'logs' ? {...state, view: {kind: 'logs', logs: logViewReducer(state.view.logs, action.action)}} : state;
		}

		case 'start-log-prompt': {
			return {...state, input: {kind: 'log-prompt', prompt: action.prompt, text: action.text}};
		}

		case 'input-error': {
			return state.input?.kind === 'log-prompt' ? {...state, input: {...state.input, error: action.error}} : state;
		}

		case 'scroll':
		case 'scroll-to': {
			if (state.view.kind === 'panes' || state.view.kind === 'logs') {
				return state;
			}

			const target = action.type === 'scroll'
				? state.view.scroll + action.delta
				: (action.edge === 'top' ? 0 : action.max);
			return {...state, view: {...state.view, scroll: clamp(target, 0, Math.max(0, action.max))}};
		}

		case 'start-filter': {
			return {...state, input: {kind: 'filter', pane: state.focus, text: state.filters[state.focus]}};
		}

		case 'start-palette': {
			return {...state, input: {kind: 'palette', text: '', choice: 0}};
		}

		case 'input-append': {
			return withInputText(state, (state.input?.text ?? state.dialog?.typed ?? '') + action.text);
		}

		case 'input-backspace': {
			return withInputText(state, [...(state.input?.text ?? state.dialog?.typed ?? '')].slice(0, -1).join(''));
		}

		case 'input-set': {
			return withInputText(state, action.text);
		}

		case 'input-choice': {
			if (state.input?.kind !== 'palette' || action.count === 0) {
				return state;
			}

			const choice = (state.input.choice + action.delta + action.count) % action.count;
			return {...state, input: {...state.input, choice}};
		}

		case 'input-close': {
			if (action.clearFilter && state.input?.kind === 'filter') {
				return {...state, input: undefined, filters: {...state.filters, [state.input.pane]: ''}};
			}

			return {...state, input: undefined};
		}

		case 'clear-filter': {
			return {...state, filters: {...state.filters, [state.focus]: ''}};
		}

		case 'open-dialog': {
			return {...state, dialog: {...action.dialog, choice: 'cancel'}, input: undefined};
		}

		case 'dialog-mismatch': {
			return state.dialog ? {...state, dialog: {...state.dialog, mismatch: true}} : state;
		}

		case 'dialog-choice': {
			if (!state.dialog) {
				return state;
			}

			const choice = action.choice === 'toggle'
				? (state.dialog.choice === 'cancel' ? 'confirm' : 'cancel')
				: action.choice;
			return {...state, dialog: {...state.dialog, choice}};
		}

		case 'close-dialog': {
			return {...state, dialog: undefined};
		}

		case 'shell-choose': {
			return {...state, shell: {phase: 'choosing', workload: action.workload, containers: action.containers, choice: 0}, input: undefined, status: undefined};
		}

		case 'shell-choice': {
			if (state.shell?.phase !== 'choosing') {
				return state;
			}

			const count = state.shell.containers.length;
			return {...state, shell: {...state.shell, choice: clamp(state.shell.choice + action.delta, 0, Math.max(0, count - 1))}};
		}

		case 'shell-opening': {
			return {...state, shell: {phase: 'opening', label: action.label}, input: undefined, status: {tone: 'busy', text: `opening a shell in ${action.label}… (esc cancels)`}};
		}

		case 'shell-end': {
			return {...state, shell: undefined, status: action.status};
		}

		case 'status': {
			return {...state, status: action.status};
		}
	}
}
