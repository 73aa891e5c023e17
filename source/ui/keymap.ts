// Every key the console answers to, as data. The input handler, the help screen and the footer
// hints all read this table, so they cannot disagree.
import type {Key} from 'ink';
import type {UiState} from './ui-state.js';

export type Scope =
	| 'always' | 'global' | 'dashboard' | 'navigation' | 'detail' | 'help' | 'filter' | 'palette' | 'dialog' | 'dialog-typed'
	| 'logs' | 'log-prompt' | 'log-overwrite' | 'shell-choice' | 'shell-opening'
	| 'runbook' | 'runbook-dialog' | 'runbook-typed' | 'runbook-choice' | 'history' | 'history-detail';

export type KeyCommand =
	| 'quit-now' | 'quit' | 'help' | 'refresh' | 'palette'
	| 'next-pane' | 'previous-pane' | 'filter' | 'open' | 'clear-filter'
	| 'down' | 'up' | 'top' | 'bottom' | 'page-down' | 'page-up'
	| 'back' | 'close-help'
	| 'filter-apply' | 'filter-cancel' | 'erase' | 'erase-all'
	| 'palette-run' | 'palette-complete' | 'palette-next' | 'palette-previous' | 'palette-cancel'
	| 'dialog-confirm' | 'dialog-cancel' | 'dialog-switch' | 'dialog-activate'
	| 'open-logs' | 'open-merged-logs'
	| 'open-shell' | 'choice-down' | 'choice-up' | 'choice-pick' | 'choice-cancel' | 'shell-cancel' | 'open-setup'
	| LogKeyCommand | ScreenKeyCommand;

export type LogKeyCommand =
	| 'logs-back' | 'logs-down' | 'logs-up' | 'logs-half-down' | 'logs-half-up' | 'logs-page-down' | 'logs-page-up'
	| 'logs-top' | 'logs-bottom' | 'logs-search' | 'logs-next' | 'logs-previous' | 'logs-include' | 'logs-exclude'
	| 'logs-wrap' | 'logs-timestamps' | 'logs-json' | 'logs-left' | 'logs-right' | 'logs-save' | 'logs-copy'
	| 'log-prompt-apply' | 'log-prompt-cancel' | 'log-overwrite-yes' | 'log-overwrite-no';

/** Keys of the runbook and history screens (ui/runbook, ui/history). */
export type ScreenKeyCommand =
	| 'runbook-step-down' | 'runbook-step-up' | 'runbook-pane' | 'runbook-stop' | 'runbook-back' | 'runbook-help'
	| 'runbook-confirm' | 'runbook-cancel' | 'runbook-switch' | 'runbook-press' | 'runbook-typed-submit' | 'runbook-typed-cancel'
	| 'runbook-choice-down' | 'runbook-choice-up' | 'runbook-choice-number' | 'runbook-choice-pick' | 'runbook-choice-stop'
	| 'history-open' | 'history-back' | 'history-reload';

/**
 * Parts of the console that exist only when their owner supplied them (logs need `openLogs`, shells
 * `openShell`, runbooks `openRunbook`, the run history `listRuns`).
 */
export type Features = {logs: boolean; shell: boolean; runbooks?: boolean; history?: boolean; setup?: boolean};

export const noFeatures: Features = {logs: false, shell: false};

export type Binding = {
	command: KeyCommand;
	/** Canonical key names, see keyName(). */
	keys: readonly string[];
	description: string;
	scope: Scope;
	/** Short label for the footer; bindings without one are only listed in help. */
	hint?: string;
	/** Footer hints with a lower rank stay longest on narrow terminals (default 5). */
	hintRank?: number;
	/** The binding does not exist without this feature. */
	feature?: keyof Features;
};

export const bindings: readonly Binding[] = [
	{command: 'quit-now', keys: ['ctrl+c'], description: 'Quit, from anywhere (even a dialog)', scope: 'always'},

	{command: 'palette', keys: [':'], description: 'Command palette', scope: 'global', hint: 'command', hintRank: 3},
	{command: 'refresh', keys: ['r'], description: 'Refresh now', scope: 'global', hint: 'refresh'},
	{command: 'help', keys: ['?'], description: 'Help: every key and command', scope: 'global', hint: 'help', hintRank: 1},
	{command: 'quit', keys: ['q'], description: 'Quit', scope: 'global', hint: 'quit', hintRank: 1},

	{command: 'next-pane', keys: ['tab'], description: 'Focus the next pane', scope: 'dashboard', hint: 'pane', hintRank: 2},
	{command: 'previous-pane', keys: ['shift+tab'], description: 'Focus the previous pane', scope: 'dashboard'},
	{command: 'open', keys: ['enter'], description: 'Open the selected row', scope: 'dashboard', hint: 'open', hintRank: 3},
	{command: 'filter', keys: ['/'], description: 'Filter the focused pane', scope: 'dashboard', hint: 'filter', hintRank: 3},
	{command: 'clear-filter', keys: ['esc'], description: 'Clear the filter of the focused pane', scope: 'dashboard'},
	{command: 'open-logs', keys: ['l'], description: 'Logs of the selected row', scope: 'dashboard', hint: 'logs', hintRank: 2, feature: 'logs'},
	{command: 'open-merged-logs', keys: ['L'], description: 'Logs of every service, merged', scope: 'dashboard', feature: 'logs'},
	{command: 'open-shell', keys: ['s'], description: 'Open a shell in the selected row', scope: 'dashboard', hint: 'shell', hintRank: 3, feature: 'shell'},
	{command: 'open-setup', keys: ['S'], description: 'Set up a context of your own (guided)', scope: 'dashboard', hint: 'set up', hintRank: 2, feature: 'setup'},

	{command: 'down', keys: ['j', 'down'], description: 'Move down', scope: 'navigation', hint: 'move', hintRank: 4},
	{command: 'up', keys: ['k', 'up'], description: 'Move up', scope: 'navigation'},
	{command: 'top', keys: ['g', 'home'], description: 'Go to the top', scope: 'navigation'},
	{command: 'bottom', keys: ['G', 'end'], description: 'Go to the bottom', scope: 'navigation'},
	{command: 'page-down', keys: ['pagedown', 'ctrl+f'], description: 'Page down', scope: 'navigation'},
	{command: 'page-up', keys: ['pageup', 'ctrl+b'], description: 'Page up', scope: 'navigation'},

	{command: 'back', keys: ['esc'], description: 'Back to the dashboard', scope: 'detail', hint: 'back', hintRank: 1},
	{command: 'open-logs', keys: ['l', 'enter'], description: 'Logs of this item', scope: 'detail', hint: 'logs', hintRank: 2, feature: 'logs'},
	{command: 'open-shell', keys: ['s'], description: 'Open a shell in this item', scope: 'detail', hint: 'shell', hintRank: 3, feature: 'shell'},

	{command: 'logs-back', keys: ['esc'], description: 'Back to the dashboard; tail stops', scope: 'logs', hint: 'back', hintRank: 1, feature: 'logs'},
	{command: 'logs-down', keys: ['j', 'down'], description: 'Line down; at the bottom, follow', scope: 'logs', feature: 'logs'},
	{command: 'logs-up', keys: ['k', 'up'], description: 'One line up (pauses follow)', scope: 'logs', hint: 'scroll', hintRank: 4, feature: 'logs'},
	{command: 'logs-half-down', keys: ['ctrl+d'], description: 'Half a page down', scope: 'logs', feature: 'logs'},
	{command: 'logs-half-up', keys: ['ctrl+u'], description: 'Half a page up', scope: 'logs', feature: 'logs'},
	{command: 'logs-page-down', keys: ['pagedown', 'ctrl+f'], description: 'Page down', scope: 'logs', feature: 'logs'},
	{command: 'logs-page-up', keys: ['pageup', 'ctrl+b'], description: 'Page up', scope: 'logs', feature: 'logs'},
	{command: 'logs-top', keys: ['g', 'home'], description: 'Oldest line; again: load older', scope: 'logs', feature: 'logs'},
	{command: 'logs-bottom', keys: ['G', 'end', 'F'], description: 'Newest line, and follow', scope: 'logs', hint: 'follow', hintRank: 2, feature: 'logs'},
	{command: 'logs-search', keys: ['/'], description: 'Search (regex): highlight, jump', scope: 'logs', hint: 'search', hintRank: 2, feature: 'logs'},
	{command: 'logs-next', keys: ['n'], description: 'Next match (newer)', scope: 'logs', hint: 'match', hintRank: 3, feature: 'logs'},
	{command: 'logs-previous', keys: ['N'], description: 'Previous match (older)', scope: 'logs', feature: 'logs'},
	{command: 'logs-include', keys: ['&'], description: 'Only lines matching a regex', scope: 'logs', hint: 'only', hintRank: 3, feature: 'logs'},
	{command: 'logs-exclude', keys: ['!'], description: 'Hide lines matching a regex', scope: 'logs', hint: 'hide', hintRank: 4, feature: 'logs'},
	{command: 'logs-wrap', keys: ['w'], description: 'Wrap long lines, or cut them', scope: 'logs', hint: 'wrap', hintRank: 5, feature: 'logs'},
	{command: 'logs-left', keys: ['left'], description: 'Scroll left (without wrap)', scope: 'logs', feature: 'logs'},
	{command: 'logs-right', keys: ['right'], description: 'Scroll right (without wrap)', scope: 'logs', feature: 'logs'},
	{command: 'logs-timestamps', keys: ['t'], description: 'Show or hide timestamps', scope: 'logs', hint: 'time', hintRank: 5, feature: 'logs'},
	{command: 'logs-json', keys: ['J'], description: 'JSON lines readable or raw', scope: 'logs', hint: 'json', hintRank: 6, feature: 'logs'},
	{command: 'logs-save', keys: ['s'], description: 'Save the (filtered) lines to a file', scope: 'logs', hint: 'save', hintRank: 4, feature: 'logs'},
	{command: 'logs-copy', keys: ['y'], description: 'Copy current line (OSC 52)', scope: 'logs', hint: 'copy', hintRank: 6, feature: 'logs'},

	{command: 'log-prompt-apply', keys: ['enter'], description: 'Apply (empty clears)', scope: 'log-prompt', hint: 'apply', hintRank: 1, feature: 'logs'},
	{command: 'log-prompt-cancel', keys: ['esc'], description: 'Cancel; clears the search/filter', scope: 'log-prompt', hint: 'cancel', hintRank: 1, feature: 'logs'},
	{command: 'erase', keys: ['backspace'], description: 'Delete the last character', scope: 'log-prompt', feature: 'logs'},
	{command: 'erase-all', keys: ['ctrl+u'], description: 'Delete everything typed', scope: 'log-prompt', feature: 'logs'},

	{command: 'log-overwrite-yes', keys: ['y'], description: 'Replace the file', scope: 'log-overwrite', hint: 'replace', hintRank: 1, feature: 'logs'},
	{command: 'log-overwrite-no', keys: ['n', 'esc'], description: 'Keep the file; do not save', scope: 'log-overwrite', hint: 'keep', hintRank: 1, feature: 'logs'},

	{command: 'choice-pick', keys: ['enter'], description: 'Shell in the highlighted container', scope: 'shell-choice', hint: 'open', hintRank: 1, feature: 'shell'},
	{command: 'choice-down', keys: ['j', 'down'], description: 'Next container', scope: 'shell-choice', hint: 'choose', hintRank: 2, feature: 'shell'},
	{command: 'choice-up', keys: ['k', 'up'], description: 'Previous container', scope: 'shell-choice', feature: 'shell'},
	{command: 'choice-cancel', keys: ['esc'], description: 'Cancel; no shell', scope: 'shell-choice', hint: 'cancel', hintRank: 1, feature: 'shell'},

	{command: 'shell-cancel', keys: ['esc'], description: 'Cancel (other keys go to the shell)', scope: 'shell-opening', hint: 'cancel', hintRank: 1, feature: 'shell'},

	{command: 'close-help', keys: ['esc', '?'], description: 'Close help', scope: 'help', hint: 'close', hintRank: 1},

	{command: 'filter-apply', keys: ['enter'], description: 'Keep the filter and return to the list', scope: 'filter', hint: 'keep', hintRank: 1},
	{command: 'filter-cancel', keys: ['esc'], description: 'Clear the filter', scope: 'filter', hint: 'clear', hintRank: 1},
	{command: 'erase', keys: ['backspace'], description: 'Delete the last character', scope: 'filter'},
	{command: 'erase-all', keys: ['ctrl+u'], description: 'Delete everything typed', scope: 'filter'},

	{command: 'palette-run', keys: ['enter'], description: 'Run the command', scope: 'palette', hint: 'run', hintRank: 1},
	{command: 'palette-complete', keys: ['tab'], description: 'Complete the highlighted suggestion', scope: 'palette', hint: 'complete'},
	{command: 'palette-next', keys: ['down'], description: 'Next suggestion', scope: 'palette', hint: 'choose'},
	{command: 'palette-previous', keys: ['up'], description: 'Previous suggestion', scope: 'palette'},
	{command: 'palette-cancel', keys: ['esc'], description: 'Close the palette', scope: 'palette', hint: 'close', hintRank: 1},
	{command: 'erase', keys: ['backspace'], description: 'Delete the last character', scope: 'palette'},
	{command: 'erase-all', keys: ['ctrl+u'], description: 'Delete everything typed', scope: 'palette'},

	{command: 'dialog-confirm', keys: ['y'], description: 'Confirm at once', scope: 'dialog', hint: 'confirm', hintRank: 2},
	{command: 'dialog-cancel', keys: ['n', 'esc'], description: 'Cancel', scope: 'dialog', hint: 'cancel', hintRank: 1},
	{command: 'dialog-switch', keys: ['left', 'right', 'tab', 'h', 'l'], description: 'Switch between the buttons', scope: 'dialog', hint: 'choose'},
	{command: 'dialog-activate', keys: ['enter'], description: 'Press the highlighted button', scope: 'dialog', hint: 'press'},

	{command: 'dialog-activate', keys: ['enter'], description: 'Confirm, if the name typed matches', scope: 'dialog-typed', hint: 'confirm', hintRank: 1},
	{command: 'dialog-cancel', keys: ['esc'], description: 'Cancel', scope: 'dialog-typed', hint: 'cancel', hintRank: 1},
	{command: 'erase', keys: ['backspace'], description: 'Delete the last character', scope: 'dialog-typed'},
	{command: 'erase-all', keys: ['ctrl+u'], description: 'Delete everything typed', scope: 'dialog-typed'},
];

/**
 * The runbook and history screens' own keys. They have their own help (from this table), so the
 * dashboard's help does not list them; `always`, `help` and `navigation` above still apply there.
 */
export const screenBindings: readonly Binding[] = [
	{command: 'runbook-step-down', keys: ['j', 'down'], description: 'Next step (its preview shows)', scope: 'runbook', hint: 'step', hintRank: 3},
	{command: 'runbook-step-up', keys: ['k', 'up'], description: 'Previous step', scope: 'runbook'},
	{command: 'runbook-pane', keys: ['tab'], description: 'Live log or journal of finished steps', scope: 'runbook', hint: 'log/journal', hintRank: 2},
	{command: 'runbook-stop', keys: ['s'], description: 'Stop after the current step (asks first)', scope: 'runbook', hint: 'stop', hintRank: 2},
	{command: 'runbook-back', keys: ['esc', 'q'], description: 'Back to the dashboard (asks while the run goes on)', scope: 'runbook', hint: 'back', hintRank: 1},
	{command: 'runbook-help', keys: ['?'], description: 'Help: the keys of this screen', scope: 'runbook', hint: 'help', hintRank: 1},

	{command: 'runbook-confirm', keys: ['y'], description: 'Confirm at once', scope: 'runbook-dialog', hint: 'confirm', hintRank: 2},
	{command: 'runbook-cancel', keys: ['n', 'esc'], description: 'Cancel', scope: 'runbook-dialog', hint: 'cancel', hintRank: 1},
	{command: 'runbook-switch', keys: ['left', 'right', 'tab', 'h', 'l'], description: 'Switch between the buttons', scope: 'runbook-dialog', hint: 'choose'},
	{command: 'runbook-press', keys: ['enter'], description: 'Press the highlighted button', scope: 'runbook-dialog', hint: 'press'},

	{command: 'runbook-typed-submit', keys: ['enter'], description: 'Confirm, when the typed name matches exactly', scope: 'runbook-typed', hint: 'confirm', hintRank: 1},
	{command: 'runbook-typed-cancel', keys: ['esc'], description: 'Cancel', scope: 'runbook-typed', hint: 'cancel', hintRank: 1},
	{command: 'erase', keys: ['backspace'], description: 'Delete the last character', scope: 'runbook-typed'},
	{command: 'erase-all', keys: ['ctrl+u'], description: 'Delete everything typed', scope: 'runbook-typed'},

	{command: 'runbook-choice-down', keys: ['j', 'down'], description: 'Next action', scope: 'runbook-choice', hint: 'choose', hintRank: 2},
	{command: 'runbook-choice-up', keys: ['k', 'up'], description: 'Previous action', scope: 'runbook-choice'},
	{command: 'runbook-choice-number', keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], description: 'Highlight the action with that number', scope: 'runbook-choice'},
	{command: 'runbook-choice-pick', keys: ['enter'], description: 'Take the highlighted action', scope: 'runbook-choice', hint: 'pick', hintRank: 1},
	{command: 'runbook-choice-stop', keys: ['esc'], description: 'Stop here', scope: 'runbook-choice', hint: 'stop here', hintRank: 1},

	{command: 'history-open', keys: ['enter'], description: 'Details of the selected run', scope: 'history', hint: 'open', hintRank: 2},
	{command: 'history-reload', keys: ['r'], description: 'Read the runs again', scope: 'history', hint: 'reload', hintRank: 3},
	{command: 'history-back', keys: ['esc', 'q'], description: 'Back to the dashboard', scope: 'history', hint: 'back', hintRank: 1},
	{command: 'history-back', keys: ['esc', 'q'], description: 'Back to the list of runs', scope: 'history-detail', hint: 'back', hintRank: 1},
];

export const scopeTitles: Record<Scope, string> = {
	always: 'Everywhere',
	global: 'Console',
	dashboard: 'Dashboard',
	navigation: 'Moving around (lists, details, help)',
	detail: 'Detail view',
	help: 'Help',
	filter: 'Filter (after /)',
	palette: 'Command palette (after :)',
	dialog: 'Confirmation dialog (opens on Cancel)',
	'dialog-typed': 'Confirmation on a protected context (type its name)',
	logs: 'Log viewer',
	'log-prompt': 'Log viewer prompts (after / & ! s)',
	'log-overwrite': 'Saving over an existing file',
	'shell-choice': 'Choosing a container for a shell (after s)',
	'shell-opening': 'While a shell opens',
	runbook: 'Runbook',
	'runbook-dialog': 'Runbook question (opens on Cancel)',
	'runbook-typed': 'Typed confirmation',
	'runbook-choice': 'After a failure: what next',
	history: 'Run history',
	'history-detail': 'One run',
};

/** The canonical name of a key press: `j`, `G`, `down`, `enter`, `esc`, `shift+tab`, `ctrl+c`. */
export function keyName(input: string, key: Key): string {
	const named: Array<[boolean, string]> = [
		[key.upArrow, 'up'],
		[key.downArrow, 'down'],
		[key.leftArrow, 'left'],
		[key.rightArrow, 'right'],
		[key.pageUp, 'pageup'],
		[key.pageDown, 'pagedown'],
		[key.home, 'home'],
		[key.end, 'end'],
		[key.return, 'enter'],
		[key.escape, 'esc'],
		[key.backspace || key.delete, 'backspace'],
		[input === ' ' && !key.ctrl && !key.meta, 'space'],
	];
	const name = named.find(([pressed]) => pressed)?.[1];
	if (name) {
		return name;
	}

	if (key.tab) {
		return key.shift ? 'shift+tab' : 'tab';
	}

	if (key.ctrl && input) {
		return `ctrl+${input.toLowerCase()}`;
	}

	if (key.meta && input) {
		return `meta+${input}`;
	}

	return input;
}

const keySymbols: Record<string, string> = {
	up: '↑',
	down: '↓',
	left: '←',
	right: '→',
	pageup: 'pgup',
	pagedown: 'pgdn',
	'shift+tab': 'shift-tab',
};

/** Whether a binding exists with these features. */
export const available = (binding: Binding, features: Features): boolean => !binding.feature || Boolean(features[binding.feature]);

/** How a key is written on screen: `↓`, `ctrl-c`, `G`. */
export function keyLabel(name: string): string {
	return keySymbols[name] ?? name.replace('+', '-');
}

export function bindingKeysLabel(binding: Binding): string {
	return binding.keys.map(key => keyLabel(key)).join('/');
}

/** The first binding of the first scope (in priority order) that answers to `name`. */
export function findBinding(scopes: readonly Scope[], name: string, features: Features = noFeatures, table: readonly Binding[] = bindings): Binding | undefined {
	for (const scope of scopes) {
		const found = table.find(binding => binding.scope === scope && binding.keys.includes(name) && available(binding, features));
		if (found) {
			return found;
		}
	}

	return undefined;
}

/** The bindings that answer in these scopes; a binding whose keys all belong to an earlier scope is left out. */
export function bindingsOf(scopes: readonly Scope[], features: Features = noFeatures, table: readonly Binding[] = bindings): Binding[] {
	return scopes
		.flatMap(scope => table.filter(binding => binding.scope === scope && available(binding, features)))
		.filter(binding => binding.keys.some(key => findBinding(scopes, key, features, table) === binding));
}

/**
 * Which scopes answer, highest priority first: a shell being chosen or opened and a dialog take
 * every key, then text input (palette, filter), then overlays (help, detail), then the dashboard.
 * ctrl-c always quits.
 */
export function activeScopes(ui: UiState): Scope[] {
	if (ui.shell) {
		return ['always', ui.shell.phase === 'choosing' ? 'shell-choice' : 'shell-opening'];
	}

	if (ui.dialog) {
		return ['always', ui.dialog.confirmWord === undefined ? 'dialog' : 'dialog-typed'];
	}

	if (ui.input) {
		return ['always', ui.input.kind];
	}

	if (ui.view.kind === 'logs') {
		return ui.view.logs.overwrite ? ['always', 'log-overwrite'] : ['always', 'logs', 'global'];
	}

	if (ui.view.kind === 'help') {
		return ['always', 'help', 'navigation', 'global'];
	}

	if (ui.view.kind === 'detail') {
		return ['always', 'detail', 'navigation', 'global'];
	}

	return ['always', 'dashboard', 'navigation', 'global'];
}
