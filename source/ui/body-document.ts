// What fills the body instead of the panes: help, a detail view, or the reason nothing loaded.
import type {LiveState} from '../core/live-state.js';
import type {PaletteCommand} from './commands.js';
import type {Features} from './keymap.js';
import {detailContent} from './detail-lines.js';
import {helpLines} from './help-lines.js';
import {type Line, text} from './line.js';
import type {UiState} from './ui-state.js';

export type BodyDocument = {title: Line; lines: Line[]; twoColumns: boolean};

function notConnected(error: {message: string; hint?: string}): BodyDocument {
	const lines: Line[] = [[text(`✖ ${error.message}`, 'bad')]];
	if (error.hint) {
		lines.push([text(error.hint, 'warn')]);
	}

	lines.push([], [text('Retrying on its own; r retries now, q quits.', 'muted')]);
	return {title: [text('Not connected', 'bad', true)], lines, twoColumns: false};
}

/** The document the body shows, or undefined for the panes. */
export function bodyDocument(options: {
	live: LiveState;
	ui: UiState;
	commands: readonly PaletteCommand[];
	canMutate: boolean;
	features?: Features;
	width: number;
}): BodyDocument | undefined {
	const {live, ui} = options;
	switch (ui.view.kind) {
		case 'help': {
			return {title: [text('Help', undefined, true), text(' — keys and commands', 'muted')], lines: helpLines(options.commands, options.canMutate, options.features), twoColumns: true};
		}

		case 'detail': {
			// Frame borders and the left margin.
			return {...detailContent(live.snapshot, ui.view.pane, ui.view.id, options.width - 3), twoColumns: false};
		}

		case 'logs': {
			return undefined;
		}

		case 'panes': {
			return !live.snapshot && live.error ? notConnected(live.error) : undefined;
		}
	}
}
