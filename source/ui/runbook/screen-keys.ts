// Key hints and help of the runbook and history screens, from the keymap (screenBindings).
import {
	type Binding, bindingKeysLabel, bindings, bindingsOf, keyLabel, noFeatures, type Scope, scopeTitles, screenBindings,
} from '../keymap.js';
import {type Line, lineWidth, text} from '../line.js';

/** The console's keys (ctrl-c, help, moving) and the screens' own, looked up together. */
export const screenKeymap: readonly Binding[] = [...bindings, ...screenBindings];

const separator = '  ';

function hintLine(binding: Binding): Line {
	const keys = binding.keys.slice(0, 2).map(key => keyLabel(key)).join('/');
	return [text(keys, 'accent', true), text(` ${binding.hint ?? ''}`, 'muted')];
}

/** The hints of the keys that answer in `scopes`; on narrow terminals the lowest-ranked go first. */
export function screenHints(scopes: readonly Scope[], width: number): Line {
	let hinted = bindingsOf(scopes, noFeatures, screenKeymap).filter(binding => binding.hint);
	const widthOf = (candidates: Binding[]) => candidates.reduce((sum, binding) => sum + lineWidth(hintLine(binding)), 0) + (separator.length * Math.max(0, candidates.length - 1));
	while (hinted.length > 0 && widthOf(hinted) > width) {
		const leastUseful = hinted.reduce((worst, binding) => ((binding.hintRank ?? 5) >= (worst.hintRank ?? 5) ? binding : worst));
		hinted = hinted.filter(binding => binding !== leastUseful);
	}

	return hinted.flatMap((binding, index) => [...(index > 0 ? [text(separator)] : []), ...hintLine(binding)]);
}

/** Every key of these scopes, section by section (ctrl-c first). */
export function screenHelpLines(scopes: readonly Scope[]): Line[] {
	const sections: Scope[] = ['always', ...scopes];
	const shown = sections.flatMap(scope => screenKeymap.filter(binding => binding.scope === scope));
	const keyColumn = 2 + Math.max(0, ...shown.map(binding => bindingKeysLabel(binding).length));
	return sections.flatMap(scope => [
		[text(scopeTitles[scope], undefined, true)],
		...screenKeymap.filter(binding => binding.scope === scope)
			.map(binding => [text('  '), text(bindingKeysLabel(binding).padEnd(keyColumn), 'accent', true), text(binding.description)]),
		[],
	]);
}
