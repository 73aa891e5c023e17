// The shown step's preview: what it will do, what happened, and the equivalent platform command.
import type {JournalStep} from '../../runbooks/types.js';
import {type Line, text} from '../line.js';
import {wrapWords} from '../text.js';
import type {Tone} from '../theme.js';
import {plain} from './plain-text.js';
import type {PlanStep} from './plan-lines.js';
import {stepLooks} from './run-looks.js';

const wrapped = (value: string, width: number, maxLines: number, tone?: Tone, bold?: boolean): Line[] =>
	wrapWords(plain(value), width, maxLines).map(row => [{text: row, tone, bold}]);

function outcomeLines(step: JournalStep | undefined, width: number): Line[] {
	if (!step) {
		return [];
	}

	const lines: Line[] = [];
	if (step.failure) {
		lines.push(...wrapped(`${stepLooks.failed.symbol} ${step.failure.class}: ${step.failure.message}`, width, 3, 'bad'));
		for (const detail of step.failure.detail ?? []) {
			lines.push(...wrapped(detail, width, 1, 'bad'));
		}
	} else if (step.outcome) {
		lines.push(...wrapped(`${stepLooks[step.status].symbol} ${step.outcome}`, width, 2, stepLooks[step.status].tone));
	}

	for (const note of step.notes ?? []) {
		lines.push(...wrapped(note, width, 1, 'muted'));
	}

	return lines;
}

/** Summary, outcome (or failure), equivalent command, details: the most useful first, as rows are few. */
export function previewLines(step: PlanStep | undefined, journalStep: JournalStep | undefined, width: number): Line[] {
	if (!step) {
		return [[text('No steps planned.', 'muted')]];
	}

	const {preview} = step;
	return [
		...wrapped(preview.summary, width, 2, undefined, true),
		...outcomeLines(journalStep, width),
		...(preview.equivalent ? wrapped(`equivalent: ${preview.equivalent}`, width, 3, 'accent') : []),
		...preview.details.flatMap(detail => wrapped(detail, width, 2, 'muted')),
	];
}

/** `Step 3/8 · Back up notechondria-postgres`. */
export function previewTitle(step: PlanStep | undefined, index: number, total: number): Line {
	return step
		? [text(`Step ${index + 1}/${total}`, undefined, true), text(` · ${plain(step.title)}`, 'muted')]
		: [text('Step', undefined, true)];
}
