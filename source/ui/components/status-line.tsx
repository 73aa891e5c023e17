import {Box} from 'ink';
import type {LiveState} from '../../core/live-state.js';
import {type PaletteCommand, suggest} from '../commands.js';
import {type Line, text} from '../line.js';
import {textWidth, wrapWords} from '../text.js';
import {paneTitles, type UiState} from '../ui-state.js';
import {LineText} from './line-text.js';

const cursor = text('▏', 'accent');

function paletteLine(typed: string, choice: number, commands: readonly PaletteCommand[]): Line {
	const suggestions = suggest(commands, typed);
	const line: Line = [text(':', 'accent', true), text(typed), cursor];
	if (suggestions.length === 0) {
		line.push(text('  no such command', 'warn'));
		return line;
	}

	line.push(text(' '));
	for (const [index, command] of suggestions.entries()) {
		// The ▸ marks the suggestion tab and enter use, with or without colour.
		line.push(text(' '), index === choice
			? {text: `▸${command.name}`, tone: 'accent', bold: true, inverse: true}
			: text(` ${command.name}`, 'muted'));
	}

	const described = suggestions[choice];
	if (described) {
		line.push(text(` — ${described.description}`, 'muted'));
	}

	return line;
}

function statusLine(ui: UiState, live: LiveState, commands: readonly PaletteCommand[]): Line {
	if (ui.input?.kind === 'palette') {
		return paletteLine(ui.input.text, ui.input.choice, commands);
	}

	if (ui.input?.kind === 'filter') {
		return [text('/', 'accent', true), text(ui.input.text), cursor, text(`  filtering ${paneTitles[ui.input.pane]}`, 'muted')];
	}

	if (ui.status) {
		return [text(ui.status.text, ui.status.tone)];
	}

	const filter = ui.view.kind === 'panes' ? ui.filters[ui.focus] : '';
	if (filter) {
		return [text(`${paneTitles[ui.focus]} filtered by `, 'muted'), text(`/${filter}`, 'accent', true), text('  (esc clears)', 'muted')];
	}

	if (live.error?.hint && (live.staleSince || !live.snapshot)) {
		return [text(`hint: ${live.error.hint}`, 'warn')];
	}

	return [];
}

const maxMessageRows = 4;

/** A message too long for one row (an error and its hint) takes up to four; the body gives them up. */
export function statusRowCount(ui: UiState, width: number): number {
	if (ui.input || !ui.status || textWidth(ui.status.text) <= width) {
		return 1;
	}

	return wrapWords(ui.status.text, width, maxMessageRows).length;
}

/** Typed input (`:` and `/`), the outcome of the last action, or the active filter. */
export function StatusLine({ui, live, commands, width}: {
	ui: UiState;
	live: LiveState;
	commands: readonly PaletteCommand[];
	width: number;
}) {
	const rows = statusRowCount(ui, width);
	const lines = rows > 1 && ui.status
		? wrapWords(ui.status.text, width, rows).map(row => [text(row, ui.status?.tone)])
		: [statusLine(ui, live, commands)];
	return (
		<Box width={width} height={rows} flexShrink={0} flexDirection="column" overflow="hidden">
			{lines.map((line, index) => <LineText key={index} line={line}/>)}
		</Box>
	);
}
