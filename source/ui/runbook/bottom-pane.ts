// The lower pane: preflight findings before the first step starts, then the current step's live log,
// or (tab) the journal of finished steps. Only the rows that fit are ever built.
import type {Finding, RunView} from '../../runbooks/types.js';
import {formatClockTime} from '../../core/format.js';
import {type Line, text} from '../line.js';
import {fit, pad, textWidth, truncate} from '../text.js';
import {plain} from './plain-text.js';
import {findingLooks, stepLooks} from './run-looks.js';

export type BottomPaneKind = 'preflight' | 'log' | 'journal';

export type BottomPane = {
	title: Line;
	/** After the title: counts, the tab hint. */
	notes: Line;
	lines: Line[];
};

/** Findings show until a step has started; then the log, or the journal when asked for. */
export function bottomPaneKind(view: RunView, journal: boolean): BottomPaneKind {
	if (journal) {
		return 'journal';
	}

	const started = view.plan.some(step => step.status !== 'pending');
	return !started && view.preflight !== undefined ? 'preflight' : 'log';
}

function findingLines(finding: Finding, width: number, checkWidth: number): Line[] {
	const look = findingLooks[finding.level];
	const lines: Line[] = [[
		{text: pad(`${look.symbol} ${look.word}`, 8), tone: look.tone, bold: finding.level === 'block'},
		text(pad(truncate(plain(finding.check), checkWidth), checkWidth + 1), undefined, finding.level === 'block'),
		text(truncate(plain(finding.message), Math.max(0, width - 9 - checkWidth))),
	]];
	if (finding.hint && (finding.level === 'warn' || finding.level === 'block')) {
		lines.push([text(truncate(`${' '.repeat(8)}→ ${plain(finding.hint)}`, width), 'muted')]);
	}

	return lines;
}

function preflightPane(findings: readonly Finding[], width: number, rows: number): BottomPane {
	const count = (level: Finding['level']) => findings.filter(finding => finding.level === level).length;
	const blocks = count('block');
	const warns = count('warn');
	const summary: Line = blocks > 0
		? [{text: `✖ ${blocks} blocking`, tone: 'bad', bold: true}, ...(warns > 0 ? [text(`, ${warns} warning${warns === 1 ? '' : 's'}`, 'warn')] : [])]
		: (warns > 0 ? [text(`▲ ${warns} warning${warns === 1 ? '' : 's'}`, 'warn')] : [text('✓ nothing in the way', 'good')]);
	const checkWidth = Math.min(22, Math.max(0, ...findings.map(finding => textWidth(plain(finding.check)))));
	// Blocks first: on a short pane they are what must be seen.
	const order: Finding['level'][] = ['block', 'warn', 'info', 'ok'];
	const sorted = [...findings].sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level));
	const lines = sorted.flatMap(finding => findingLines(finding, width, checkWidth));
	if (findings.length === 0) {
		lines.push([text('No findings.', 'muted')]);
	}

	return {title: [text('Preflight', undefined, true), text(' · ', 'muted'), ...summary], notes: [], lines: lines.slice(0, rows)};
}

function logPane(view: RunView, width: number, rows: number): BottomPane {
	const step = view.plan.find(candidate => candidate.id === view.currentStepId);
	// Follows: the newest lines, as many as fit.
	const shown = rows > 0 ? view.log.slice(-rows) : [];
	const lines = shown.map(line => [text(fit(plain(line), width))]);
	if (lines.length === 0 && rows > 0) {
		lines.push([text(step ? 'waiting for output…' : 'No step has run yet.', 'muted')]);
	}

	return {
		title: [text('Log', undefined, true), ...(step ? [text(` · ${plain(step.title)}`, 'muted')] : [])],
		notes: [text(`${view.log.length} line${view.log.length === 1 ? '' : 's'} · tab: journal`, 'muted')],
		lines,
	};
}

function journalPane(view: RunView, width: number, rows: number): BottomPane {
	const finished = view.journal.steps
		.filter(step => step.endedAt && (step.status === 'succeeded' || step.status === 'failed' || step.status === 'skipped'))
		.sort((a, b) => (a.endedAt ?? '').localeCompare(b.endedAt ?? ''));
	const titleWidth = Math.min(32, Math.max(8, ...finished.map(step => textWidth(plain(step.title)))));
	const lines: Line[] = finished.slice(-Math.max(0, rows)).map(step => {
		const look = stepLooks[step.status];
		const outcome = step.failure ? `${step.failure.class}: ${step.failure.message}` : (step.outcome ?? look.word);
		const time = formatClockTime(new Date(step.endedAt ?? 0));
		return [
			text(`${time} `, 'muted'),
			{text: `${look.symbol} `, tone: look.tone},
			text(`${fit(plain(step.title), titleWidth)} `),
			text(truncate(plain(outcome), Math.max(0, width - 12 - titleWidth)), step.failure ? 'bad' : undefined),
		];
	});
	if (lines.length === 0 && rows > 0) {
		lines.push([text('No step has finished yet.', 'muted')]);
	}

	return {
		title: [text('Journal', undefined, true), text(` · ${finished.length} of ${view.plan.length} steps finished`, 'muted')],
		notes: [text('tab: live log', 'muted')],
		lines,
	};
}

/** The lower pane for `width` columns and `rows` rows of content. */
export function bottomPane(view: RunView, kind: BottomPaneKind, width: number, rows: number): BottomPane {
	switch (kind) {
		case 'preflight': {
			return preflightPane(view.preflight ?? [], width, rows);
		}

		case 'journal': {
			return journalPane(view, width, rows);
		}

		case 'log': {
			return logPane(view, width, rows);
		}
	}
}
