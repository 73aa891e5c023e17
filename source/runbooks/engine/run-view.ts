import {RingBuffer} from '../../core/ring-buffer.js';
import type {Finding, Journal, Runbook, RunView, StepPreview} from '../types.js';
import {redactJson, redactText} from './redact-journal.js';

/** A step's preview, or a stand-in naming why it could not be built (a fact an earlier step records). */
export function safePreview(step: Runbook['steps'][number], journal: Readonly<Journal>): StepPreview {
	try {
		return step.preview(journal);
	} catch (error) {
		return {summary: step.title, details: [`(shown in full when the step comes: ${redactText(error instanceof Error ? error.message : String(error))})`]};
	}
}

/** The bounded log of the step that runs now. */
export class StepLog {
	private lines: RingBuffer<string>;

	constructor(private readonly capacity: number) {
		this.lines = new RingBuffer<string>(capacity);
	}

	push(line: string): void {
		this.lines.push(redactText(line));
	}

	clear(): void {
		this.lines = new RingBuffer<string>(this.capacity);
	}

	snapshot(): string[] {
		return this.lines.slice();
	}
}

export type ViewParts = {
	journal: Journal;
	runbook: Runbook;
	previews: Map<string, StepPreview>;
	currentStepId: string | undefined;
	log: string[];
	preflight: Finding[] | undefined;
	pending: RunView['pending'];
	done: boolean;
};

/** A frozen RunView; its journal is a redacted copy, so nothing the UI holds changes under it. */
export function buildView(parts: ViewParts, journalCopy: Journal = redactJson(parts.journal)): RunView {
	const plan = parts.runbook.steps.map((step, index) => Object.freeze({
		id: step.id,
		title: step.title,
		impact: step.impact,
		preview: parts.previews.get(step.id) ?? {summary: step.title, details: []},
		status: parts.journal.steps[index]?.status ?? 'pending',
	}));
	return Object.freeze({
		journal: journalCopy,
		plan,
		...(parts.currentStepId === undefined ? {} : {currentStepId: parts.currentStepId}),
		log: parts.log,
		...(parts.preflight === undefined ? {} : {preflight: parts.preflight}),
		...(parts.pending === undefined ? {} : {pending: parts.pending}),
		done: parts.done,
	});
}
