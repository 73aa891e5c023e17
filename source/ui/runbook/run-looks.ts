// What a step, a finding and a run look like: a mark and a word that read without colour.
import type {FindingLevel, RunStatus, StepImpact, StepStatus} from '../../runbooks/types.js';
import type {TextSegment} from '../line.js';
import type {StatusLook} from '../theme.js';

const look = (symbol: string, word: string, tone: StatusLook['tone']): StatusLook => ({symbol, word, tone});

export const stepLooks: Record<StepStatus, StatusLook> = {
	pending: look('·', 'pending', 'muted'),
	running: look('◌', 'running', 'busy'),
	succeeded: look('✓', 'succeeded', 'good'),
	failed: look('✗', 'failed', 'bad'),
	skipped: look('–', 'skipped', 'muted'),
};

export const findingLooks: Record<FindingLevel, StatusLook> = {
	ok: look('✓', 'ok', 'good'),
	info: look('i', 'info', 'accent'),
	warn: look('▲', 'warn', 'warn'),
	block: look('✖', 'block', 'bad'),
};

export const runLooks: Record<RunStatus, StatusLook> = {
	planned: look('·', 'planned', 'muted'),
	running: look('◌', 'running', 'busy'),
	succeeded: look('✔', 'succeeded', 'good'),
	failed: look('✖', 'failed', 'bad'),
	stopped: look('⊘', 'stopped', 'warn'),
	interrupted: look('▲', 'interrupted', 'warn'),
};

/** `[mutate]` / `[destructive]` after a step that changes something; nothing for a read. */
export function impactTag(impact: StepImpact): TextSegment | undefined {
	switch (impact) {
		case 'mutate': return {text: '[mutate]', tone: 'warn'};
		case 'destructive': return {text: '[destructive]', tone: 'bad', bold: true};
		default: return undefined;
	}
}

const kindTitles: Record<string, string> = {release: 'Release', rollback: 'Rollback', backup: 'Backup', restore: 'Restore'};

export const runbookTitle = (kind: string): string => kindTitles[kind] ?? kind;
