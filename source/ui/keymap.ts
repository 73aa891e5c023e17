// Every key the console answers to, as data. The input handler, the help screen and the footer
// hints all read this table, so they cannot disagree.
import type {Key} from 'ink';
import type {UiState} from './ui-state.js';

export type Scope = 'always' | 'global' | 'dashboard' | 'navigation' | 'detail' | 'help' | 'filter' | 'palette' | 'dialog';

export type KeyCommand =
	| 'quit-now' | 'quit' | 'help' | 'refresh' | 'palette'
	| 'next-pane' | 'previous-pane' | 'filter' | 'open' | 'clear-filter'
	| 'down' | 'up' | 'top' | 'bottom' | 'page-down' | 'page-up'
	| 'back' | 'close-help'
	| 'filter-apply' | 'filter-cancel' | 'erase' | 'erase-all'
	| 'palette-run' | 'palette-complete' | 'palette-next' | 'palette-previous' | 'palette-cancel'
	| 'dialog-confirm' | 'dialog-cancel' | 'dialog-switch' | 'dialog-activate';

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

	{command: 'down', keys: ['j', 'down'], description: 'Move down', scope: 'navigation', hint: 'move', hintRank: 4},
	{command: 'up', keys: ['k', 'up'], description: 'Move up', scope: 'navigation'},
	{command: 'top', keys: ['g', 'home'], description: 'Go to the top', scope: 'navigation'},
	{command: 'bottom', keys: ['G', 'end'], description: 'Go to the bottom', scope: 'navigation'},
	{command: 'page-down', keys: ['pagedown', 'ctrl+f'], description: 'Page down', scope: 'navigation'},
	{command: 'page-up', keys: ['pageup', 'ctrl+b'], description: 'Page up', scope: 'navigation'},

	{command: 'back', keys: ['esc'], description: 'Back to the dashboard', scope: 'detail', hint: 'back', hintRank: 1},

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

/** How a key is written on screen: `↓`, `ctrl-c`, `G`. */
export function keyLabel(name: string): string {
	return keySymbols[name] ?? name.replace('+', '-');
}

export function bindingKeysLabel(binding: Binding): string {
	return binding.keys.map(key => keyLabel(key)).join('/');
}

/** The first binding of the first scope (in priority order) that answers to `name`. */
export function findBinding(scopes: readonly Scope[], name: string): Binding | undefined {
	for (const scope of scopes) {
		const found = bindings.find(binding => binding.scope === scope && binding.keys.includes(name));
		if (found) {
			return found;
		}
	}

	return undefined;
}

/** The bindings that answer in these scopes; a binding whose keys all belong to an earlier scope is left out. */
export function bindingsOf(scopes: readonly Scope[]): Binding[] {
	return scopes
		.flatMap(scope => bindings.filter(binding => binding.scope === scope))
		.filter(binding => binding.keys.some(key => findBinding(scopes, key) === binding));
}

/**
 * Which scopes answer, highest priority first: a dialog takes every key, then text input
 * (palette, filter), then overlays (help, detail), then the dashboard. ctrl-c always quits.
 */
export function activeScopes(ui: UiState): Scope[] {
	if (ui.dialog) {
		return ['always', 'dialog'];
	}

	if (ui.input) {
		return ['always', ui.input.kind];
	}

	if (ui.view.kind === 'help') {
		return ['always', 'help', 'navigation', 'global'];
	}

	if (ui.view.kind === 'detail') {
		return ['always', 'detail', 'navigation', 'global'];
	}

	return ['always', 'dashboard', 'navigation', 'global'];
}
