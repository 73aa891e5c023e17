// The one keyboard handler. It asks the keymap which command a key means in the current mode
// (a shell being chosen or opened, dialog > palette/filter > overlay > dashboard) and carries it out.
import type {Key} from 'ink';
import type {Dispatch} from 'react';
import type {ExecTarget} from '../core/exec.js';
import type {LiveSource} from '../core/live-state.js';
import type {LogTarget} from '../core/logs.js';
import {type PaletteCommand, resolveCommand, suggest} from './commands.js';
import type {DashboardModel} from './dashboard-model.js';
import type {DashboardActions} from './dashboard-props.js';
import {activeScopes, type Features, findBinding, type KeyCommand, keyName, type LogKeyCommand} from './keymap.js';
import {type LogInputContext, runLogCommand} from './log-input.js';
import {allServiceTargets, selectedLogTargets, type TargetChoice} from './log-targets.js';
import {runMutation} from './run-mutation.js';
import type {ScreenLinks} from './runbook/run-source.js';
import {startRunbook} from './runbook/start-runbook.js';
import {selectedShellTarget, shellTarget} from './shell-targets.js';
import {typedBytes} from './typed-bytes.js';
import {type UiAction, uiReducer, type UiState} from './ui-state.js';

export type InputContext = {
	ui: UiState;
	dispatch: Dispatch<UiAction>;
	model: DashboardModel;
	commands: readonly PaletteCommand[];
	/** Rows visible in the focused pane or the open view: one page. */
	pageSize: number;
	/** How far the open detail or help view can scroll. */
	maxScroll: number;
	source: LiveSource;
	actions?: DashboardActions;
	features: Features;
	/** The runbook and history screens; absent without `openRunbook` / `listRuns`. */
	screens?: ScreenLinks;
	/** Opens the log viewer on these targets; absent without a log source. */
	openLogs?: (targets: LogTarget[]) => void;
	/** The open log view, when there is one. */
	logs?: LogInputContext;
	/** Opens shells; absent without `openShell`. */
	shell?: ShellInput;
	quit(): void;
	/** On a protected context, its name: restart and build ask for it to be typed. */
	confirmWord?: string;
	/** Leaves the sandbox for the guided setup (only when no context exists). */
	openSetup?: () => void;
};

export type ShellInput = {
	open(target: ExecTarget, label: string): void;
	cancel(): void;
	/** Keys typed while the shell opens, as terminal bytes. */
	typeahead(bytes: string): void;
};

function startShell(context: InputContext, target: ExecTarget, label: string): void {
	// The state first: keys after this one in the same burst are typed ahead for the shell.
	context.dispatch({type: 'shell-opening', label});
	context.shell?.open(target, label);
}

function openShellOf(context: InputContext): void {
	if (!context.shell) {
		return;
	}

	const choice = selectedShellTarget(context.model, context.ui);
	if ('problem' in choice) {
		context.dispatch({type: 'status', status: {tone: 'warn', text: choice.problem}});
	} else if ('choose' in choice) {
		context.dispatch({type: 'shell-choose', workload: choice.choose, containers: choice.containers});
	} else {
		startShell(context, choice.target, choice.label);
	}
}

function pickContainer(context: InputContext): void {
	const {shell} = context.ui;
	if (shell?.phase !== 'choosing') {
		return;
	}

	const {target, label} = shellTarget(shell.workload, shell.containers[shell.choice]);
	startShell(context, target, label);
}

function openLogsOf(context: InputContext, choice: TargetChoice): void {
	if (!context.openLogs) {
		return;
	}

	if ('problem' in choice) {
		context.dispatch({type: 'status', status: {tone: 'warn', text: choice.problem}});
		return;
	}

	context.openLogs(choice.targets);
}

function focusedIds(context: InputContext): readonly string[] {
	return context.model[context.ui.focus].ids;
}

function move(context: InputContext, delta: number): void {
	const {ui, dispatch} = context;
	if (ui.view.kind === 'panes') {
		dispatch({type: 'move', pane: ui.focus, ids: focusedIds(context), delta});
	} else {
		dispatch({type: 'scroll', delta, max: context.maxScroll});
	}
}

function moveTo(context: InputContext, edge: 'top' | 'bottom'): void {
	const {ui, dispatch} = context;
	if (ui.view.kind === 'panes') {
		dispatch({type: 'move-to', pane: ui.focus, ids: focusedIds(context), edge});
	} else {
		dispatch({type: 'scroll-to', edge, max: context.maxScroll});
	}
}

function runPaletteCommand(context: InputContext, command: PaletteCommand): void {
	const {dispatch, model} = context;
	switch (command.run.kind) {
		case 'focus': {
			dispatch({type: 'close-view'});
			dispatch({type: 'focus', pane: command.run.pane});
			break;
		}

		case 'refresh': {
			context.source.refreshNow();
			break;
		}

		case 'help': {
			dispatch({type: 'open-help'});
			break;
		}

		case 'quit': {
			context.quit();
			break;
		}

		case 'logs': {
			openLogsOf(context, command.run.of === 'all-services' ? allServiceTargets(model) : selectedLogTargets(model, context.ui));
			break;
		}

		case 'shell': {
			openShellOf(context);
			break;
		}

		case 'runbook': {
			if (!context.actions) {
				dispatch({type: 'status', status: {tone: 'bad', text: 'Read-only: this context cannot change anything.'}});
			} else if (context.screens) {
				startRunbook(command.run.runbook, model, context.screens, dispatch);
			}

			break;
		}

		case 'history': {
			context.screens?.openHistory?.();
			break;
		}

		case 'mutate': {
			const service = model.selectedService;
			if (!context.actions) {
				dispatch({type: 'status', status: {tone: 'bad', text: 'Read-only: this context cannot change anything.'}});
			} else if (service) {
				dispatch({type: 'open-dialog', dialog: {command: command.run.command, serviceId: service.id, serviceName: service.name, ...(context.confirmWord === undefined ? {} : {confirmWord: context.confirmWord, typed: ''})}});
			} else {
				dispatch({type: 'status', status: {tone: 'warn', text: 'Select a service first.'}});
			}

			break;
		}
	}
}

function confirmDialog(context: InputContext): void {
	const {ui, dispatch, actions} = context;
	dispatch({type: 'close-dialog'});
	if (ui.dialog && actions) {
		void runMutation(ui.dialog, actions, context.source, dispatch);
	}
}

const isLogCommand = (command: KeyCommand): command is LogKeyCommand => command.startsWith('logs-') || command.startsWith('log-');

function runKeyCommand(context: InputContext, command: KeyCommand): void {
	const {ui, dispatch, model} = context;
	if (isLogCommand(command)) {
		if (context.logs) {
			runLogCommand(context.logs, command);
		}

		return;
	}

	switch (command) {
		case 'quit-now':
		case 'quit': {
			context.quit();
			break;
		}

		case 'help': {
			dispatch({type: 'open-help'});
			break;
		}

		case 'close-help':
		case 'back': {
			dispatch({type: 'close-view'});
			break;
		}

		case 'refresh': {
			context.source.refreshNow();
			break;
		}

		case 'palette': {
			dispatch({type: 'start-palette'});
			break;
		}

		case 'next-pane':
		case 'previous-pane': {
			dispatch({type: 'cycle-focus', delta: command === 'next-pane' ? 1 : -1});
			break;
		}

		case 'filter': {
			dispatch({type: 'start-filter'});
			break;
		}

		case 'open': {
			const selected = model[ui.focus].selected;
			if (selected) {
				dispatch({type: 'open-detail', pane: ui.focus, id: selected.id});
			}

			break;
		}

		case 'clear-filter': {
			dispatch(ui.filters[ui.focus] ? {type: 'clear-filter'} : {type: 'status', status: undefined});
			break;
		}

		case 'down':
		case 'up': {
			move(context, command === 'down' ? 1 : -1);
			break;
		}

		case 'page-down':
		case 'page-up': {
			const page = Math.max(1, context.pageSize);
			move(context, command === 'page-down' ? page : -page);
			break;
		}

		case 'top':
		case 'bottom': {
			moveTo(context, command);
			break;
		}

		case 'filter-apply': {
			dispatch({type: 'input-close', clearFilter: false});
			break;
		}

		case 'filter-cancel':
		case 'palette-cancel': {
			dispatch({type: 'input-close', clearFilter: true});
			break;
		}

		case 'erase': {
			dispatch({type: 'input-backspace'});
			break;
		}

		case 'erase-all': {
			dispatch({type: 'input-set', text: ''});
			break;
		}

		case 'palette-run': {
			if (ui.input?.kind !== 'palette') {
				break;
			}

			const chosen = resolveCommand(context.commands, ui.input.text, ui.input.choice);
			dispatch({type: 'input-close', clearFilter: false});
			if (chosen) {
				runPaletteCommand(context, chosen);
			} else if (ui.input.text.trim()) {
				dispatch({type: 'status', status: {tone: 'warn', text: `No command "${ui.input.text.trim()}". Type : and press tab to see them.`}});
			}

			break;
		}

		case 'palette-complete': {
			if (ui.input?.kind === 'palette') {
				const suggestion = suggest(context.commands, ui.input.text)[ui.input.choice];
				if (suggestion) {
					dispatch({type: 'input-set', text: suggestion.name});
				}
			}

			break;
		}

		case 'palette-next':
		case 'palette-previous': {
			if (ui.input?.kind === 'palette') {
				const count = suggest(context.commands, ui.input.text).length;
				dispatch({type: 'input-choice', delta: command === 'palette-next' ? 1 : -1, count});
			}

			break;
		}

		case 'dialog-confirm': {
			confirmDialog(context);
			break;
		}

		case 'dialog-cancel': {
			dispatch({type: 'close-dialog'});
			dispatch({type: 'status', status: {tone: 'muted', text: 'Cancelled; nothing was changed.'}});
			break;
		}

		case 'dialog-switch': {
			dispatch({type: 'dialog-choice', choice: 'toggle'});
			break;
		}

		case 'open-logs': {
			openLogsOf(context, selectedLogTargets(model, ui));
			break;
		}

		case 'open-merged-logs': {
			openLogsOf(context, allServiceTargets(model));
			break;
		}

		case 'open-shell': {
			openShellOf(context);
			break;
		}

		case 'open-setup': {
			context.openSetup?.();
			break;
		}

		case 'choice-down':
		case 'choice-up': {
			dispatch({type: 'shell-choice', delta: command === 'choice-down' ? 1 : -1});
			break;
		}

		case 'choice-pick': {
			pickContainer(context);
			break;
		}

		case 'choice-cancel': {
			dispatch({type: 'shell-end', status: {tone: 'muted', text: 'Cancelled; no shell was opened.'}});
			break;
		}

		case 'shell-cancel': {
			context.shell?.cancel();
			dispatch({type: 'shell-end', status: {tone: 'muted', text: 'Cancelled; no shell was opened.'}});
			break;
		}

		case 'dialog-activate': {
			if (ui.dialog?.confirmWord !== undefined) {
				// A protected context: only the exact name confirms; anything else says so and waits.
				if (ui.dialog.typed === ui.dialog.confirmWord) {
					confirmDialog(context);
				} else {
					dispatch({type: 'dialog-mismatch'});
				}
			} else if (ui.dialog?.choice === 'confirm') {
				confirmDialog(context);
			} else {
				runKeyCommand(context, 'dialog-cancel');
			}

			break;
		}
	}
}

// Text and control characters a user can type into the palette or the filter.
const printable = (input: string): string => input.replaceAll(/[\u0000-\u001F\u007F]/g, '');

export function handleKey(context: InputContext, input: string, key: Key): void {
	const name = keyName(input, key);
	const binding = findBinding(activeScopes(context.ui), name, context.features);
	if (binding) {
		runKeyCommand(context, binding.command);
		return;
	}

	if (context.ui.shell?.phase === 'opening') {
		context.shell?.typeahead(typedBytes(input, key));
		return;
	}

	if (key.ctrl || key.meta) {
		return;
	}

	if (context.ui.input || context.ui.dialog?.confirmWord !== undefined) {
		// A burst can hold the text and the Enter that ends it (a paste, fast typing over SSH).
		const [text = '', ...afterEnter] = input.split('\r');
		const typed = printable(text);
		let ui = context.ui;
		if (typed) {
			const append: UiAction = {type: 'input-append', text: typed};
			context.dispatch(append);
			ui = uiReducer(ui, append);
		}

		const enter = afterEnter.length > 0 ? findBinding(activeScopes(ui), 'enter', context.features) : undefined;
		if (enter) {
			runKeyCommand({...context, ui, logs: context.logs && {...context.logs, ui}}, enter.command);
		}

		return;
	}

	// Keys typed faster than the terminal is read arrive together ("jjj"): take them one at a time,
	// each seeing the state the ones before it left (the log viewer moves from where it is).
	const characters = [...input];
	if (characters.length > 1) {
		let current = context;
		const dispatch = (action: UiAction) => {
			context.dispatch(action);
			const ui = uiReducer(current.ui, action);
			const logs = current.logs && ui.view.kind === 'logs' ? {...current.logs, ui, view: ui.view.logs} : current.logs;
			current = {...current, ui, logs: logs && {...logs, dispatch}, dispatch};
		};

		current = {...context, dispatch, logs: context.logs && {...context.logs, dispatch}};
		for (const [index, character] of characters.entries()) {
			if (current.ui.shell?.phase === 'opening') {
				context.shell?.typeahead(characters.slice(index).join(''));
				break;
			}

			const each = findBinding(activeScopes(current.ui), character, context.features);
			if (each) {
				runKeyCommand(current, each.command);
			}
		}
	}
}
