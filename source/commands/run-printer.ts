// Plain-text progress of a runbook for the command line: the plan, the preflight, each step as it
// starts and ends, and the current step's log lines, each printed once.
import {sanitizeForTerminal, toPlainText} from '../infra/sanitize.js';
import type {Finding, RunView, StepStatus} from '../runbooks/types.js';

const findingMarks: Record<Finding['level'], string> = {ok: 'ok   ', info: 'info ', warn: 'WARN ', block: 'BLOCK'};
const stepMarks: Record<StepStatus, string> = {pending: '·', running: '▸', succeeded: '✓', failed: '✗', skipped: '–'};

export type RunPrinter = {update(view: RunView): void};

export function createRunPrinter(write: (text: string) => void, options: {colour: boolean}): RunPrinter {
	const clean = options.colour ? sanitizeForTerminal : toPlainText;
	let planPrinted = false;
	let preflightPrinted = false;
	const statuses = new Map<string, StepStatus>();
	let logStep: string | undefined;
	let logSeen = 0;
	let lastLogLine: string | undefined;
	const print = (line: string) => {
		write(`${clean(line)}\n`);
	};

	return {
		update(view) {
			if (!planPrinted) {
				planPrinted = true;
				const {journal} = view;
				print(`${titleOf(view)} — run ${journal.runId}`);
				print(`context ${journal.context}${journal.environment ? ` (${journal.environment})` : ''} · operator ${journal.operator}@${journal.host}`);
				print('Plan:');
				for (const [index, step] of view.plan.entries()) {
					const impact = step.impact === 'read' ? '' : ` [${step.impact === 'destructive' ? 'DESTRUCTIVE' : 'changes'}]`;
					print(`  ${index + 1}. ${step.title}${impact}`);
					print(`     ${step.preview.summary}`);
					for (const detail of step.preview.details) {
						print(`     ${detail}`);
					}

					if (step.preview.equivalent) {
						print(`     equivalent: ${step.preview.equivalent}`);
					}
				}
			}

			if (!preflightPrinted && view.preflight) {
				preflightPrinted = true;
				print('Preflight:');
				for (const finding of view.preflight) {
					print(`  ${findingMarks[finding.level]} ${finding.check}: ${finding.message}${finding.hint && finding.level !== 'ok' ? ` — ${finding.hint}` : ''}`);
				}
			}

			if (view.currentStepId !== logStep) {
				logStep = view.currentStepId;
				logSeen = 0;
				lastLogLine = undefined;
			}

			// Between steps (and once the run is over) the log still holds the last step's lines.
			const fresh = view.currentStepId === undefined ? [] : freshLines(view.log, logSeen, lastLogLine);
			for (const line of fresh) {
				print(`    │ ${line}`);
			}

			logSeen = view.log.length;
			lastLogLine = view.log.at(-1);
			for (const step of view.journal.steps) {
				if (statuses.get(step.id) === step.status) {
					continue;
				}

				const before = statuses.get(step.id);
				statuses.set(step.id, step.status);
				if (step.status === 'pending' && before === undefined) {
					continue;
				}

				const outcome = step.status === 'failed' ? step.failure?.message ?? step.outcome : step.outcome;
				print(`${stepMarks[step.status]} ${step.title}${step.status === 'running' ? ' …' : ''}${outcome && step.status !== 'running' ? ` — ${outcome}` : ''}`);
				for (const line of step.status === 'failed' ? step.failure?.detail ?? [] : []) {
					print(`    │ ${line}`);
				}
			}
		},
	};
}

/** The log is a bounded window: find where the previous window's last line sits in the new one. */
function freshLines(log: string[], seen: number, last: string | undefined): string[] {
	if (last === undefined) {
		return log;
	}

	if (log.length > seen) {
		return log.slice(seen);
	}

	const index = log.lastIndexOf(last);
	return index === -1 ? log : log.slice(index + 1);
}

function titleOf(view: RunView): string {
	const {journal} = view;
	const what = journal.target.service?.name ?? journal.target.addon?.name ?? '';
	return `${journal.kind[0]!.toUpperCase()}${journal.kind.slice(1)} ${what}`.trim();
}
