import {formatBytes, formatClockTime, formatDateTime, formatDuration, shortSha} from '../../core/format.js';
import type {Journal, JournalFacts, JournalStep, StepStatus} from '../types.js';
import {effectiveStatus, targetName} from './journal.js';
import {redactText} from './redact-journal.js';

const stepMarks: Record<StepStatus, string> = {pending: '·', running: '…', succeeded: '✔', failed: '✖', skipped: '-'};

/**
 * One line for `wheelhouse history`: when, what, on what, who, how it ended, builds, backup.
 * `2026-11-22 10:04:12  release  notechondria-backend  alice  succeeded  build 38d62f4 → 83e2004  backup bk-1 (readable)`
 */
export function summariseRun(journal: Journal): string {
	const parts = [
		formatDateTime(new Date(journal.createdAt)),
		journal.kind,
		targetName(journal),
		journal.operator,
		effectiveStatus(journal),
	];
	const builds = describeBuilds(journal.facts);
	if (builds) {
		parts.push(`build ${builds}`);
	}

	const {backup} = journal.facts;
	if (backup) {
		parts.push(`backup ${backup.name ?? backup.id}${backup.level ? ` (${backup.level})` : ''}`);
	}

	return redactText(parts.join('  '));
}

/** The whole run as plain text: facts, every step with its handles and notes, and the audit events. */
export function formatRunDetail(journal: Journal): string {
	const status = effectiveStatus(journal);
	const lines = [`Run ${journal.runId}: ${journal.kind} of ${targetName(journal)}`];
	const ended = journal.endedAt ? `, ended ${formatDateTime(new Date(journal.endedAt))} after ${formatDuration(Date.parse(journal.endedAt) - Date.parse(journal.createdAt))}` : '';
	field(lines, 'Status', `${status}${ended}`);
	field(lines, 'Context', `${journal.context}${journal.environment ? ` (${journal.environment})` : ''} on ${journal.platform}`);
	field(lines, 'Started', `${formatDateTime(new Date(journal.createdAt))} by ${journal.operator} on ${journal.host} (pid ${journal.pid})`);
	const target = Object.entries(journal.target).map(([kind, named]) => `${kind} ${named.name} (${named.id})`).join(', ');
	field(lines, 'Target', target || undefined);
	const parameters = Object.entries(journal.parameters).filter(([, value]) => value !== undefined && value !== false).map(([key, value]) => value === true ? `--${key}` : `--${key} ${value}`);
	field(lines, 'Parameters', parameters.join(' ') || undefined);
	field(lines, 'Builds', describeBuilds(journal.facts));
	field(lines, 'Backup', describeBackup(journal.facts));
	field(lines, 'Migrations', describeMigrations(journal.facts));
	const {health, rollback, restore, overrides} = journal.facts;
	field(lines, 'Health', health ? `${health.result} (${health.url}, ${health.checks.length} checks)` : undefined);
	field(lines, 'Restore', restore ? `${restore.restoreId} of backup ${restore.backupId}` : undefined);
	field(lines, 'Rollback', rollback ? [rollback.to && `to ${rollback.to}`, rollback.restoreBackup && `restore ${rollback.restoreBackup}`, rollback.reverseTo && `reverse to ${rollback.reverseTo}`].filter(Boolean).join(', ') || 'recorded' : undefined);
	for (const override of overrides ?? []) {
		field(lines, 'Override', `${override.gate} at ${formatDateTime(new Date(override.at))} (typed "${override.typed}")`);
	}

	field(lines, 'Lock', describeLock(journal));
	const findings = journal.facts.preflight?.findings.filter(finding => finding.level !== 'ok') ?? [];
	if (findings.length > 0) {
		lines.push('Preflight:');
		for (const finding of findings) {
			lines.push(`  ${finding.level} ${finding.check}: ${finding.message}`);
		}
	}

	lines.push('Steps:');
	for (const step of journal.steps) {
		lines.push(...describeStep(step));
	}

	if (journal.events.length > 0) {
		lines.push('Events:');
		for (const {at, event} of journal.events) {
			lines.push(`  ${formatClockTime(new Date(at))}  ${event}`);
		}
	}

	return redactText(lines.join('\n'));
}

function describeStep(step: JournalStep): string[] {
	const times = step.startedAt ? `  ${formatClockTime(new Date(step.startedAt))}${step.endedAt ? `–${formatClockTime(new Date(step.endedAt))}` : ''}` : '';
	const lines = [`  ${stepMarks[step.status]} ${step.id.padEnd(12)} ${step.status.padEnd(9)} ${step.title}${times}`];
	const detail = (text: string) => lines.push(`      ${text}`);
	if (step.outcome) {
		detail(step.outcome);
	}

	if (step.failure) {
		detail(`failed (${step.failure.class}): ${step.failure.message}`);
		for (const line of step.failure.detail ?? []) {
			detail(`  ${line}`);
		}
	}

	const handles = Object.entries(step.handles ?? {});
	if (handles.length > 0) {
		detail(handles.map(([key, value]) => `${key} ${value}`).join(', '));
	}

	if (step.logRef) {
		detail(`log: ${step.logRef}`);
	}

	for (const note of step.notes ?? []) {
		detail(note);
	}

	return lines;
}

function describeBuilds(facts: JournalFacts): string | undefined {
	const build = (value: {buildId: string; sha?: string} | undefined) => value ? (value.sha ? shortSha(value.sha) : value.buildId) : '?';
	if (!facts.previousBuild && !facts.newBuild) {
		return undefined;
	}

	return `${build(facts.previousBuild)} → ${build(facts.newBuild)}`;
}

function describeBackup(facts: JournalFacts): string | undefined {
	const {backup} = facts;
	if (!backup) {
		return undefined;
	}

	const about = [backup.method, backup.level, backup.bytes === undefined ? undefined : formatBytes(backup.bytes), backup.sha256 && `sha256 ${backup.sha256.slice(0, 12)}`].filter(Boolean);
	return `${backup.name ?? backup.id}${backup.name ? ` (${backup.id})` : ''}: ${about.join(', ')}${backup.path ? `, saved at ${backup.path}` : ''}`;
}

function describeMigrations(facts: JournalFacts): string | undefined {
	const {migrations} = facts;
	if (!migrations) {
		return undefined;
	}

	const plan = migrations.plan ? (migrations.plan.length === 0 ? 'nothing pending' : `plan ${migrations.plan.join(', ')}`) : undefined;
	return [migrations.tool, migrations.state && `state ${migrations.state}`, plan, migrations.jobRunId && `job run ${migrations.jobRunId}`].filter(Boolean).join(', ');
}

function describeLock(journal: Journal): string | undefined {
	const {lock} = journal;
	if (!lock) {
		return undefined;
	}

	const parts = [`taken ${formatClockTime(new Date(lock.acquiredAt))}`];
	if (lock.releasedAt) {
		parts.push(`released ${formatClockTime(new Date(lock.releasedAt))}`);
	}

	if (lock.brokenFrom) {
		parts.push(`broken from run ${lock.brokenFrom.runId} by ${lock.brokenFrom.operator}`);
	}

	return parts.join(', ');
}

function field(lines: string[], name: string, value: string | undefined): void {
	if (value) {
		lines.push(`${`${name}:`.padEnd(12)}${value}`);
	}
}
