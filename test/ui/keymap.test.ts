import test from 'ava';
import type {Key} from 'ink';
import {activeScopes, bindings, findBinding, keyName} from '../../source/ui/keymap.js';
import {initialLogViewState} from '../../source/ui/log-view-state.js';
import {initialUiState, type UiState} from '../../source/ui/ui-state.js';

const noKey: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
	home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
	backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};

test('key presses get canonical names', t => {
	t.is(keyName('j', noKey), 'j');
	t.is(keyName('G', {...noKey, shift: true}), 'G');
	t.is(keyName('', {...noKey, downArrow: true}), 'down');
	t.is(keyName('', {...noKey, tab: true, shift: true}), 'shift+tab');
	t.is(keyName('c', {...noKey, ctrl: true}), 'ctrl+c');
	t.is(keyName('', {...noKey, escape: true}), 'esc');
	t.is(keyName('\r', {...noKey, return: true}), 'enter');
});

test('the same key means different things by mode, dialog first; ctrl-c always quits', t => {
	const dialog: UiState = {...initialUiState, dialog: {command: 'build', serviceId: 's', serviceName: 's', choice: 'cancel'}, view: {kind: 'help', scroll: 0}};
	t.is(findBinding(activeScopes(dialog), 'enter')?.command, 'dialog-activate');
	t.is(findBinding(activeScopes(dialog), 'q'), undefined, 'q does nothing in a dialog');
	t.is(findBinding(activeScopes(dialog), 'ctrl+c')?.command, 'quit-now');

	const palette: UiState = {...initialUiState, input: {kind: 'palette', text: '', choice: 0}};
	t.is(findBinding(activeScopes(palette), 'enter')?.command, 'palette-run');
	t.is(findBinding(activeScopes(palette), 'q'), undefined, 'q is text in the palette');

	t.is(findBinding(activeScopes({...initialUiState, view: {kind: 'help', scroll: 0}}), '?')?.command, 'close-help');
	t.is(findBinding(activeScopes(initialUiState), '?')?.command, 'help');
	t.is(findBinding(activeScopes(initialUiState), 'enter')?.command, 'open');
});

test('no two bindings in one scope claim the same key', t => {
	const seen = new Set<string>();
	for (const binding of bindings) {
		for (const key of binding.keys) {
			const id = `${binding.scope} ${key}`;
			t.false(seen.has(id), id);
			seen.add(id);
		}
	}
});

test('the log viewer has its own keys; its prompts take text; a pending overwrite takes only y or n', t => {
	const logs: UiState = {...initialUiState, view: {kind: 'logs', logs: initialLogViewState([])}};
	const features = {logs: true, shell: false};
	t.is(findBinding(activeScopes(logs), 'esc', features)?.command, 'logs-back');
	t.is(findBinding(activeScopes(logs), 'G', features)?.command, 'logs-bottom');
	t.is(findBinding(activeScopes(logs), 'q', features)?.command, 'quit', 'the console keys still work');
	t.is(findBinding(activeScopes(logs), '/', features)?.command, 'logs-search');
	t.is(findBinding(activeScopes(initialUiState), 'l'), undefined, 'no log keys without a log source');
	t.is(findBinding(activeScopes(initialUiState), 'l', features)?.command, 'open-logs');

	const prompt: UiState = {...logs, input: {kind: 'log-prompt', prompt: 'search', text: ''}};
	t.is(findBinding(activeScopes(prompt), 'q', features), undefined, 'q is text in a prompt');
	t.is(findBinding(activeScopes(prompt), 'enter', features)?.command, 'log-prompt-apply');

	const overwrite: UiState = {...logs, view: {kind: 'logs', logs: {...initialLogViewState([]), overwrite: '/tmp/x.log'}}};
	t.is(findBinding(activeScopes(overwrite), 'y', features)?.command, 'log-overwrite-yes');
	t.is(findBinding(activeScopes(overwrite), 'j', features), undefined);
	t.is(findBinding(activeScopes(overwrite), 'ctrl+c', features)?.command, 'quit-now');
});
