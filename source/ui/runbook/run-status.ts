// The runbook screen's status line: the last thing the operator did, else where the run stands.
import type {RunView} from '../../runbooks/types.js';
import type {StatusMessage} from '../ui-state.js';
import {plain} from './plain-text.js';
import {runbookTitle, runLooks} from './run-looks.js';

function endedWith(view: RunView): string {
	const failed = view.journal.steps.find(step => step.status === 'failed');
	if (failed) {
		return ` at ${plain(failed.title)}${failed.failure ? `: ${plain(failed.failure.message)}` : ''}`;
	}

	const block = view.preflight?.find(finding => finding.level === 'block');
	return block ? `: preflight blocked it (${plain(block.check)})` : '';
}

export function runStatus(view: RunView, title: string | undefined, message: StatusMessage | undefined, asking: boolean): StatusMessage | undefined {
	// While a question is open, what was said about the one before no longer applies.
	if (asking) {
		return {tone: 'warn', text: 'The run waits for your answer.'};
	}

	if (message) {
		return message;
	}

	const {journal} = view;
	const name = plain(title ?? runbookTitle(journal.kind));
	const look = runLooks[journal.status];
	if (view.done) {
		const detail = journal.status === 'succeeded' ? '' : endedWith(view);
		return {tone: look.tone, text: `${look.symbol} ${name} ${look.word}${detail}. esc back to the dashboard.`};
	}

	const current = view.plan.find(step => step.id === view.currentStepId);
	return current
		? {tone: 'busy', text: `◌ ${plain(current.title)}…`}
		: {tone: 'muted', text: `${name} ${look.word}.`};
}
