// The run history: one row per run (newest first), and one run's journal read back as a document.
import type {Journal, JournalFacts, JournalStep} from '../../runbooks/types.js';
import {formatBytes, formatClockTime, formatDateTime, formatDuration, shortSha} from '../../core/format.js';
import {type Line, text} from '../line.js';
import {fit, textWidth, truncate, wrapWords} from '../text.js';
import {plain} from '../runbook/plain-text.js';
import {runbookTitle, runLooks, stepLooks} from '../runbook/run-looks.js';
import {targetName} from '../runbook/run-header.js';

export function newestFirst(journals: readonly Journal[]): Journal[] {
	return [...journals].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

const timeWidth = 16;
const kindWidth = 8;
const statusWidth = 13;

/** Operator and target share what is left: the operator gets at most 14 columns. */
function flexibleWidths(width: number): {target: number; operator: number} {
	const left = Math.max(0, width - 1 - timeWidth - kindWidth - statusWidth - 4);
	const operator = Math.min(14, Math.floor(left / 3));
	return {target: left - operator, operator};
}

const when = (iso: string | undefined): string => (iso ? formatDateTime(new Date(iso)).slice(0, timeWidth) : '—');

export function historyHeader(width: number): Line {
	const {target, operator} = flexibleWidths(width);
	return [text(` ${fit('TIME', timeWidth)} ${fit('KIND', kindWidth)} ${fit('TARGET', target)} ${fit('OPERATOR', operator)} ${fit('STATUS', statusWidth)}`, 'muted', true)];
}

export function historyRow(journal: Journal, width: number, selected: boolean): Line {
	const {target, operator} = flexibleWidths(width);
	const look = runLooks[journal.status];
	return [
		text(selected ? '›' : ' ', 'accent', true),
		text(`${fit(when(journal.createdAt), timeWidth)} `),
		text(`${fit(plain(journal.kind), kindWidth)} `, 'accent'),
		text(`${fit(targetName(journal), target)} `, undefined, selected),
		text(`${fit(plain(journal.operator), operator)} `, 'muted'),
		{text: fit(`${look.symbol} ${look.word}`, statusWidth), tone: look.tone},
	];
}

const clock = (iso: string | undefined): string => (iso ? formatClockTime(new Date(iso)) : '—');

function took(from: string | undefined, to: string | undefined): string {
	return from && to ? formatDuration(new Date(to).getTime() - new Date(from).getTime()) : '';
}

function stepLines(step: JournalStep, index: number, width: number): Line[] {
	const look = stepLooks[step.status];
	// A failure's message gets a line of its own: it is what the reader came for.
	const outcome = step.failure ? step.failure.class : (step.outcome ?? look.word);
	// Mark, times and duration take 31 columns; the title shares the rest with the outcome.
	const titleWidth = Math.min(40, Math.max(14, width - 31 - 18));
	const head = `${fit(`${index + 1}. ${plain(step.title)}`, titleWidth)} ${fit(clock(step.startedAt), 8)} → ${fit(clock(step.endedAt), 8)} ${fit(took(step.startedAt, step.endedAt), 6, 'right')}  `;
	const lines: Line[] = [[
		{text: `${look.symbol} `, tone: look.tone},
		text(head),
		text(truncate(plain(outcome), Math.max(0, width - textWidth(head) - 2)), step.failure ? 'bad' : 'muted'),
	]];
	if (step.failure) {
		lines.push(...wrapWords(plain(step.failure.message), Math.max(1, width - 5), 3).map(row => [text(`     ${row}`, 'bad')]));
	}

	for (const detail of step.failure?.detail ?? []) {
		lines.push([text(truncate(`     ${plain(detail)}`, width), 'bad')]);
	}

	for (const note of step.notes ?? []) {
		lines.push([text(truncate(`     ${plain(note)}`, width), 'muted')]);
	}

	return lines;
}

const build = (value: {buildId: string; sha?: string} | undefined): string => (value ? `${plain(value.buildId)} (${shortSha(value.sha)})` : '—');

function migrationList(names: readonly string[] | undefined): string {
	if (!names) {
		return '—';
	}

	return names.length === 0 ? 'none applied' : `${names.length} applied, last ${plain(names.at(-1) ?? '')}`;
}

function factLines(facts: JournalFacts): Array<[string, string]> {
	const lines: Array<[string, string]> = [];
	if (facts.previousBuild || facts.newBuild) {
		lines.push(['builds', `${build(facts.previousBuild)} → ${build(facts.newBuild)}`]);
	}

	if (facts.backup) {
		const {backup} = facts;
		const parts = [
			`${plain(backup.id)} (${plain(backup.method)})`,
			`level ${backup.level ?? 'unknown'}`,
			backup.sha256 ? `sha256 ${plain(backup.sha256).slice(0, 12)}…` : undefined,
			backup.bytes === undefined ? undefined : formatBytes(backup.bytes),
		];
		lines.push(['backup', parts.filter(Boolean).join(' · ')]);
	}

	if (facts.migrations) {
		const {migrations} = facts;
		lines.push(
			['migrations', `${migrations.tool}${migrations.state ? `, ${migrations.state}` : ''}`],
			['  before', migrationList(migrations.before)],
			['  after', migrationList(migrations.after)],
		);
		if (migrations.plan && migrations.plan.length > 0) {
			lines.push(['  planned', migrations.plan.map(name => plain(name)).join(', ')]);
		}
	}

	if (facts.deployment) {
		lines.push(['deployment', `${plain(facts.deployment.buildId)} requested ${when(facts.deployment.requestedAt)}`]);
	}

	if (facts.health) {
		lines.push(['health', `${facts.health.result} · ${plain(facts.health.url)} · ${facts.health.checks.length} checks`]);
	}

	if (facts.restore) {
		lines.push(['restore', `${plain(facts.restore.restoreId)} from backup ${plain(facts.restore.backupId)}`]);
	}

	if (facts.rollback) {
		const {rollback} = facts;
		lines.push(['rollback', [rollback.to && `to ${plain(rollback.to)}`, rollback.restoreBackup && `restore ${plain(rollback.restoreBackup)}`, rollback.reverseTo && `migrations back to ${plain(rollback.reverseTo)}`].filter(Boolean).join(' · ') || '—']);
	}

	for (const override of facts.overrides ?? []) {
		lines.push(['override', `${plain(override.gate)} at ${when(override.at)}`]);
	}

	return lines;
}

const heading = (value: string): Line => [text(value, undefined, true)];

/** One run, for a frame `width` columns wide: what, where, who, its steps, its facts, its events. */
export function historyDetailLines(journal: Journal, width: number): Line[] {
	const look = runLooks[journal.status];
	const environment = journal.environment ? ` (${plain(journal.environment)})` : '';
	const parameters = Object.entries(journal.parameters)
		.filter(([, value]) => value !== undefined && value !== false)
		.map(([name, value]) => (value === true ? `--${name}` : `--${name} ${plain(String(value))}`));
	const lines: Line[] = [
		[text(`${runbookTitle(journal.kind)} of ${targetName(journal)} `, undefined, true), {text: `${look.symbol} ${look.word}`, tone: look.tone, bold: true}],
		[text(truncate(`run ${plain(journal.runId)} · context ${plain(journal.context)}${environment} · ${plain(journal.platform)}`, width), 'muted')],
		[text(truncate(`by ${plain(journal.operator)}@${plain(journal.host)} · started ${when(journal.createdAt)} · ended ${when(journal.endedAt)} ${took(journal.createdAt, journal.endedAt)}`, width), 'muted')],
	];
	if (parameters.length > 0) {
		lines.push([text(truncate(`parameters: ${parameters.join(' ')}`, width), 'muted')]);
	}

	lines.push([], heading(`Steps (${journal.steps.length})`), ...journal.steps.flatMap((step, index) => stepLines(step, index, width)));
	const facts = factLines(journal.facts);
	if (facts.length > 0) {
		lines.push([], heading('Facts'), ...facts.map(([name, value]) => [text(`  ${name.padEnd(12)}`, 'accent'), text(truncate(value, Math.max(0, width - 14)))]));
	}

	if (journal.events.length > 0) {
		lines.push([], heading(`Events (${journal.events.length})`), ...journal.events.map(event => [text(`  ${clock(event.at)}  `, 'muted'), text(truncate(plain(event.event), Math.max(0, width - 12)))]));
	}

	return lines;
}
