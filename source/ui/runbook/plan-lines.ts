// The plan as a checklist: one row per step with its status mark, impact tag and time taken.
import type {JournalStep, RunView} from '../../runbooks/types.js';
import {type Line, lineWidth, text, timeLabelWidth} from '../line.js';
import {fit} from '../text.js';
import {plain} from './plain-text.js';
import {impactTag, stepLooks} from './run-looks.js';

export type PlanStep = RunView['plan'][number];

/**
 * The step the screen shows the preview of: the one picked, else the one a confirmation is about,
 * else the current, failed or next one.
 */
export function shownStepId(view: RunView, picked: string | undefined): string | undefined {
	if (picked && view.plan.some(step => step.id === picked)) {
		return picked;
	}

	const asked = view.pending?.type === 'confirm' ? view.pending.request.stepId : undefined;
	return (asked && view.plan.some(step => step.id === asked) ? asked : undefined)
		?? view.currentStepId
		?? view.plan.find(step => step.status === 'failed' || step.status === 'running')?.id
		?? view.plan.find(step => step.status === 'pending')?.id
		?? view.plan.at(-1)?.id;
}

/** The first of `visible` rows to show so that row `index` of `length` is in view, near the middle. */
export function windowStart(index: number, length: number, visible: number): number {
	if (length <= visible || index < 0) {
		return 0;
	}

	return Math.min(Math.max(0, index - Math.floor(visible / 2)), length - visible);
}

function durationOf(step: JournalStep | undefined): Line {
	if (!step?.startedAt) {
		return [text(' '.repeat(timeLabelWidth.duration))];
	}

	return [{time: 'duration', from: new Date(step.startedAt), to: step.endedAt ? new Date(step.endedAt) : undefined, width: timeLabelWidth.duration, align: 'right', tone: 'muted'}];
}

/** One checklist row, exactly `width` columns: `›✓ Back up the database   [mutate]  2m03s`. */
export function planRow(step: PlanStep, number: number, journalStep: JournalStep | undefined, selected: boolean, width: number): Line {
	const look = stepLooks[step.status];
	const tag = impactTag(step.impact);
	const right: Line = [...(tag ? [text(' '), tag] : []), text(' '), ...durationOf(journalStep)];
	const left: Line = [
		text(selected ? '›' : ' ', 'accent', true),
		{text: look.symbol, tone: look.tone, bold: step.status === 'running'},
		text(` ${number}. `, 'muted'),
	];
	const room = Math.max(0, width - lineWidth(left) - lineWidth(right));
	const title = {text: fit(plain(step.title), room), bold: step.status === 'running', tone: step.status === 'skipped' ? 'muted' as const : undefined};
	return [...left, title, ...right];
}

/** The rows that fit in `rows`, scrolled so the shown step is visible. */
export function planLines(view: RunView, shownId: string | undefined, width: number, rows: number): Line[] {
	const index = view.plan.findIndex(step => step.id === shownId);
	const start = windowStart(index, view.plan.length, rows);
	const steps = new Map(view.journal.steps.map(step => [step.id, step]));
	return view.plan.slice(start, start + rows).map((step, offset) => planRow(step, start + offset + 1, steps.get(step.id), start + offset === index, width));
}
