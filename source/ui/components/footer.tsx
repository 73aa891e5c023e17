import {Box} from 'ink';
import {activeScopes, type Binding, bindingsOf, type Features, keyLabel, noFeatures} from '../keymap.js';
import {type Line, lineWidth, text} from '../line.js';
import type {UiState} from '../ui-state.js';
import {LineText} from './line-text.js';

const separator = '  ';

function hintLine(binding: Binding): Line {
	const keys = binding.keys.slice(0, 2).map(key => keyLabel(key)).join('/');
	return [text(keys, 'accent', true), text(` ${binding.hint ?? ''}`, 'muted')];
}

/** The key hints of the current mode, from the keymap; on narrow terminals the lowest-ranked go first. */
export function footerLine(ui: UiState, width: number, features: Features = noFeatures): Line {
	let hinted = bindingsOf(activeScopes(ui), features).filter(binding => binding.hint);
	const widthOf = (candidates: Binding[]) => candidates.reduce((sum, binding) => sum + lineWidth(hintLine(binding)), 0) + (separator.length * Math.max(0, candidates.length - 1));
	while (hinted.length > 0 && widthOf(hinted) > width) {
		const leastUseful = hinted.reduce((worst, binding) => ((binding.hintRank ?? 5) >= (worst.hintRank ?? 5) ? binding : worst));
		hinted = hinted.filter(binding => binding !== leastUseful);
	}

	return hinted.flatMap((binding, index) => [...(index > 0 ? [text(separator)] : []), ...hintLine(binding)]);
}

export function Footer({ui, width, features}: {ui: UiState; width: number; features?: Features}) {
	return (
		<Box width={width} height={1} flexShrink={0} overflow="hidden">
			<LineText line={footerLine(ui, width, features)}/>
		</Box>
	);
}
