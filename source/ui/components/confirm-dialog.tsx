import type {DashboardContext} from '../dashboard-props.js';
import {type Line, lineWidth, text} from '../line.js';
import {fit} from '../text.js';
import type {ConfirmDialog as Dialog, MutatingCommand} from '../ui-state.js';
import {OverlayBox} from './overlay-box.js';

const wording: Record<MutatingCommand, {question: (name: string) => string; effect: string; button: string}> = {
	build: {question: name => `Start a build of ${name}?`, effect: 'A new build runs from the service\'s branch.', button: 'Build'},
	restart: {question: name => `Restart ${name}?`, effect: 'Its running containers are replaced.', button: 'Restart'},
};

function button(label: string, highlighted: boolean): Line {
	// Brackets mark the highlighted button without colour; reverse video with it.
	return highlighted
		? [{text: `[ ${label} ]`, tone: 'warn', inverse: true, bold: true}]
		: [text(`  ${label}  `, 'muted')];
}

/** A protected context's confirmation: its name typed exactly, then enter. */
function typedConfirmation(dialog: Dialog, inner: number): Array<{line: Line; drop?: number}> {
	const typed = dialog.typed ?? '';
	const field: Line = [text('> ', 'accent', true), text(typed, undefined, true), text('▏', 'accent')];
	return [
		{line: [text(fit(`This context is protected. Type ${dialog.confirmWord ?? ''} to confirm:`, inner), 'warn', true)]},
		{line: [...field, text(' '.repeat(Math.max(0, inner - lineWidth(field))))]},
		{line: dialog.mismatch ? [text(fit('That is not the context\'s name; nothing was done.', inner), 'bad')] : [text(fit('', inner))], drop: 2},
		{line: [text(fit('enter confirm · esc cancel', inner), 'muted')], drop: 5},
	];
}

/**
 * A modal question drawn over the panes. It opens on Cancel, so an Enter typed out of habit does
 * nothing; the action is on the left, reached with ← or typed `y`.
 */
export function ConfirmDialog({dialog, context, columns, bodyTop, bodyHeight}: {
	dialog: Dialog;
	context: DashboardContext;
	columns: number;
	bodyTop: number;
	bodyHeight: number;
}) {
	const words = wording[dialog.command];
	const width = Math.min(columns, 64);
	const inner = width - 4;
	const buttons: Line = [
		...button(words.button, dialog.choice === 'confirm'),
		text('    '),
		...button('Cancel', dialog.choice === 'cancel'),
	];
	const centred = (line: Line): Line => {
		const margin = Math.max(0, Math.floor((inner - lineWidth(line)) / 2));
		return [text(' '.repeat(margin)), ...line, text(' '.repeat(Math.max(0, inner - margin - lineWidth(line))))];
	};

	const blank: Line = [text(fit('', inner))];
	// `drop`: on a short terminal, lines with the lowest numbers go first; the rest always stay.
	const where = `Context: ${context.name}${context.sandbox ? ' (SANDBOX)' : ''}${context.environment ? ` · ${context.environment}` : ''}${context.protected ? ' · protected' : ''}`;
	const typedRows = dialog.confirmWord === undefined ? undefined : typedConfirmation(dialog, inner);
	let rows: Array<{line: Line; drop?: number}> = [
		{line: blank, drop: 1},
		{line: [text(fit(words.question(dialog.serviceName), inner), undefined, true)]},
		{line: [text(fit(words.effect, inner), 'muted')], drop: 4},
		{line: [text(fit(where, inner), context.environment === 'production' ? 'bad' : 'muted')]},
		{line: blank, drop: 3},
		...(typedRows ?? [
			{line: centred(buttons)},
			{line: blank, drop: 2},
			{line: [text(fit('y confirm · ←/→ choose · enter press · esc cancel', inner), 'muted')], drop: 5},
		]),
	];
	while (rows.length + 2 > bodyHeight && rows.some(row => row.drop !== undefined)) {
		const first = Math.min(...rows.map(row => row.drop ?? Number.POSITIVE_INFINITY));
		rows = rows.filter(row => row.drop !== first);
	}

	const lines = rows.map(row => row.line);
	return <OverlayBox lines={lines} width={width} columns={columns} bodyTop={bodyTop} bodyHeight={bodyHeight} borderStyle="bold" borderColor="yellow"/>;
}
