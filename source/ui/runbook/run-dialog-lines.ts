// The lines of a runbook question's dialog: buttons (opening on Cancel), a name to type, or the
// actions offered after a failure. Cut to the room there is, the buttons and the field always kept.
import {type Line, lineWidth, text} from '../line.js';
import {fit, wrapWords} from '../text.js';
import type {Tone} from '../theme.js';
import {plain} from './plain-text.js';
import type {DialogState, QuestionForm} from './runbook-screen-state.js';

/** A row and when it goes on a short terminal: lower first; rows without `drop` always stay. */
type Row = {line: Line; drop?: number};

export const stopHere = 'Stop here';

function fitRows(rows: Row[], maxRows: number): Line[] {
	let kept = rows;
	while (kept.length > maxRows) {
		const droppable = kept.filter(row => row.drop !== undefined);
		if (droppable.length === 0) {
			break;
		}

		const lowest = Math.min(...droppable.map(row => row.drop ?? 0));
		const last = droppable.findLast(row => row.drop === lowest);
		kept = kept.filter(row => row !== last);
	}

	return kept.map(row => row.line);
}

const padded = (line: Line, inner: number): Line => [...line, text(' '.repeat(Math.max(0, inner - lineWidth(line))))];

function wrappedRows(value: string, inner: number, maxLines: number, tone?: Tone, bold?: boolean, drop?: number): Row[] {
	return wrapWords(plain(value), inner, maxLines).map(row => ({line: [{text: fit(row, inner), tone, bold}], drop}));
}

function button(label: string, highlighted: boolean, tone: Tone): Line {
	// Brackets mark the highlighted button without colour; reverse video with it.
	return highlighted ? [{text: `[ ${label} ]`, tone, inverse: true, bold: true}] : [text(`  ${label}  `, 'muted')];
}

const blank = (inner: number, drop: number): Row => ({line: [text(' '.repeat(inner))], drop});

/** Lines after the first two of a request go first when rows are short. */
function requestRows(lines: readonly string[], inner: number): Row[] {
	return lines.flatMap((line, index) => wrappedRows(line, inner, 2, undefined, false, index < 2 ? 8 : 5));
}

function buttonsRows(form: Extract<QuestionForm, {form: 'buttons'}>, dialog: DialogState, inner: number): Row[] {
	const tone: Tone = form.impact === 'destructive' ? 'bad' : 'warn';
	const buttons: Line = [...button('Cancel', dialog.choice === 'cancel', tone), text('    '), ...button(form.confirm, dialog.choice === 'confirm', tone)];
	const margin = Math.max(0, Math.floor((inner - lineWidth(buttons)) / 2));
	const impact: Row[] = form.impact === 'destructive'
		? [{line: [{text: fit('Destructive: data is lost if this is wrong.', inner), tone: 'bad', bold: true}]}]
		: (form.impact === 'mutate' ? [{line: [text(fit('This changes the deployment.', inner), 'warn')], drop: 6}] : []);
	return [
		blank(inner, 1),
		...wrappedRows(form.title, inner, 2, undefined, true),
		...requestRows(form.lines, inner),
		...impact,
		blank(inner, 3),
		{line: padded([text(' '.repeat(margin)), ...buttons], inner)},
		blank(inner, 2),
		{line: [text(fit(`y ${form.confirm.toLowerCase()} · n/esc cancel · ←/→ choose · enter press`, inner), 'muted')], drop: 4},
	];
}

function typedRows(form: Extract<QuestionForm, {form: 'typed'}>, dialog: DialogState, inner: number): Row[] {
	const expect = plain(form.expect);
	// The end of what was typed stays in view; the text is a name, not a secret, so it shows as typed.
	const typed = [...plain(dialog.typed)];
	const room = Math.max(1, inner - 4);
	const shown = typed.length > room ? `…${typed.slice(-(room - 1)).join('')}` : typed.join('');
	const field: Line = [text('› ', 'accent', true), text(shown), text('▏', 'accent')];
	const problem: Row = dialog.mismatch
		? {line: [{text: fit(`✗ That is not ${expect}: type it exactly (esc cancels).`, inner), tone: 'bad', bold: true}]}
		: blank(inner, 3);
	return [
		blank(inner, 1),
		...wrappedRows(form.title, inner, 2, undefined, true),
		...requestRows(form.lines, inner),
		blank(inner, 2),
		{line: padded([text('Type '), text(expect, 'bad', true), text(' to confirm:')], inner)},
		{line: padded(field, inner)},
		problem,
		{line: [text(fit('enter confirm · esc cancel', inner), 'muted')], drop: 4},
	];
}

/** Entries of the choice list: the actions, then "Stop here". */
export const choiceCount = (form: Extract<QuestionForm, {form: 'choice'}>): number => form.request.actions.length + 1;

export const highlightOf = (form: Extract<QuestionForm, {form: 'choice'}>, dialog: DialogState): number =>
	Math.min(Math.max(0, dialog.highlight ?? choiceCount(form) - 1), choiceCount(form) - 1);

function choiceRows(form: Extract<QuestionForm, {form: 'choice'}>, dialog: DialogState, inner: number): Row[] {
	const {request} = form;
	const highlight = highlightOf(form, dialog);
	const entries = [...request.actions.map(action => plain(action.label)), plain(request.stopLabel ?? stopHere)];
	const list: Row[] = entries.map((label, index) => {
		const entry = `${index === highlight ? '›' : ' '} ${index + 1}. ${label}`;
		return {line: [index === highlight ? {text: fit(entry, inner), tone: 'accent', inverse: true, bold: true} : text(fit(entry, inner))]};
	});
	const explanation = request.actions[highlight]?.explanation;
	return [
		blank(inner, 1),
		...wrappedRows(request.title, inner, 2, 'bad', true),
		...requestRows(request.lines, inner),
		blank(inner, 2),
		...list,
		...(explanation ? wrappedRows(explanation, inner, 2, 'muted', false, 3) : [blank(inner, 3)]),
		{line: [text(fit('↑/↓ or 1–9 choose · enter take it · esc stop here', inner), 'muted')], drop: 4},
	];
}

export const dialogBorder = (form: QuestionForm): string => (form.form === 'buttons' && form.impact !== 'destructive' ? 'yellow' : 'red');

/** The dialog's lines for a box `inner` columns wide and at most `maxRows` rows tall. */
export function dialogLines(form: QuestionForm, dialog: DialogState, inner: number, maxRows: number): Line[] {
	switch (form.form) {
		case 'buttons': {
			return fitRows(buttonsRows(form, dialog, inner), maxRows);
		}

		case 'typed': {
			return fitRows(typedRows(form, dialog, inner), maxRows);
		}

		case 'choice': {
			return fitRows(choiceRows(form, dialog, inner), maxRows);
		}
	}
}
