// Every key the setup wizard answers to, as data: the input handler and the footer hints read it.
import {keyLabel} from '../keymap.js';
import {type Line, lineWidth, text} from '../line.js';

export type SetupCommand =
	| 'cancel' | 'continue' | 'back' | 'next-field' | 'previous-field' | 'down' | 'up' | 'toggle' | 'erase' | 'erase-all'
	| 'stop-check' | 'accept' | 'decline' | 'switch' | 'press' | 'open-console' | 'quit';

export type SetupScope = 'always' | 'choice' | 'text' | 'toggle' | 'editing' | 'summary' | 'busy' | 'question' | 'saved' | 'saved-host';

export type SetupBinding = {
	command: SetupCommand;
	keys: readonly string[];
	description: string;
	scope: SetupScope;
	hint?: string;
	/** Lower ranks stay longest on a narrow footer (default 5). */
	hintRank?: number;
};

export const setupBindings: readonly SetupBinding[] = [
	{command: 'cancel', keys: ['ctrl+c'], description: 'Leave setup; nothing is saved', scope: 'always'},

	{command: 'down', keys: ['down', 'j'], description: 'Next choice', scope: 'choice', hint: 'choose', hintRank: 2},
	{command: 'up', keys: ['up', 'k'], description: 'Previous choice', scope: 'choice'},
	{command: 'erase', keys: ['backspace'], description: 'Delete the last character', scope: 'text'},
	{command: 'erase-all', keys: ['ctrl+u'], description: 'Clear the field', scope: 'text', hint: 'clear', hintRank: 4},
	{command: 'toggle', keys: ['space'], description: 'Switch on or off', scope: 'toggle', hint: 'switch', hintRank: 2},

	{command: 'continue', keys: ['enter'], description: 'Check this step and go on', scope: 'editing', hint: 'check & continue', hintRank: 1},
	{command: 'next-field', keys: ['tab', 'down'], description: 'Next field', scope: 'editing', hint: 'next field', hintRank: 3},
	{command: 'previous-field', keys: ['up'], description: 'Previous field', scope: 'editing'},
	{command: 'back', keys: ['esc', 'shift+tab'], description: 'Back one step (answers are kept)', scope: 'editing', hint: 'back', hintRank: 1},

	{command: 'continue', keys: ['enter'], description: 'Save the context', scope: 'summary', hint: 'save', hintRank: 1},
	{command: 'back', keys: ['esc', 'shift+tab'], description: 'Back, to change something', scope: 'summary', hint: 'back', hintRank: 1},

	{command: 'stop-check', keys: ['esc'], description: 'Stop the check', scope: 'busy', hint: 'stop', hintRank: 1},

	{command: 'accept', keys: ['y'], description: 'Accept the host key and record it', scope: 'question', hint: 'accept', hintRank: 2},
	{command: 'decline', keys: ['n', 'esc'], description: 'Decline: do not connect', scope: 'question', hint: 'decline', hintRank: 1},
	{command: 'switch', keys: ['left', 'right', 'tab'], description: 'Switch between the buttons', scope: 'question', hint: 'choose', hintRank: 3},
	{command: 'press', keys: ['enter'], description: 'Press the highlighted button', scope: 'question', hint: 'press', hintRank: 2},

	{command: 'open-console', keys: ['enter'], description: 'Open the console on the new context', scope: 'saved', hint: 'open the console', hintRank: 1},
	{command: 'quit', keys: ['q', 'esc'], description: 'Leave setup', scope: 'saved', hint: 'quit', hintRank: 1},
	// An SSH host has no console (this version): `wheelhouse exec` is how it is used.
	{command: 'quit', keys: ['enter', 'q', 'esc'], description: 'Leave setup', scope: 'saved-host', hint: 'done', hintRank: 1},
];

export function findSetupBinding(scopes: readonly SetupScope[], name: string): SetupBinding | undefined {
	for (const scope of scopes) {
		const found = setupBindings.find(binding => binding.scope === scope && binding.keys.includes(name));
		if (found) {
			return found;
		}
	}

	return undefined;
}

/** The hints of the active scopes, from the table; on the first step `back` reads `cancel`. */
export function setupFooter(scopes: readonly SetupScope[], width: number, firstStep: boolean): Line {
	let hinted = scopes
		.flatMap(scope => setupBindings.filter(binding => binding.scope === scope && binding.hint))
		.filter(binding => binding.keys.some(key => findSetupBinding(scopes, key) === binding));
	const label = (binding: SetupBinding): Line => [
		text(binding.keys.filter(key => findSetupBinding(scopes, key) === binding).slice(0, 2).map(key => keyLabel(key)).join('/'), 'accent', true),
		text(` ${binding.command === 'back' && firstStep ? 'cancel' : binding.hint}`, 'muted'),
	];
	const widthOf = (candidates: SetupBinding[]) => candidates.reduce((sum, binding) => sum + lineWidth(label(binding)) + 2, -2);
	while (hinted.length > 0 && widthOf(hinted) > width) {
		const leastUseful = hinted.reduce((worst, binding) => ((binding.hintRank ?? 5) >= (worst.hintRank ?? 5) ? binding : worst));
		hinted = hinted.filter(binding => binding !== leastUseful);
	}

	return hinted.flatMap((binding, index) => [...(index > 0 ? [text('  ')] : []), ...label(binding)]);
}
