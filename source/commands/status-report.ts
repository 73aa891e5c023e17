import {formatAge, formatDuration} from '../core/format.js';
import type {Build} from '../core/types.js';
import {shortSha} from '../core/status.js';
import type {DashboardSnapshot} from '../core/types.js';

const age = (date: Date | undefined, now: Date): string => date ? formatAge(now.getTime() - date.getTime()) : '—';
const took = (build: Build): string => build.concludedAt && build.createdAt ? formatDuration(build.concludedAt.getTime() - build.createdAt.getTime()) : '—';
import {toPlainText} from '../infra/sanitize.js';

type Column = {header: string; align?: 'right'};

export type ReportContext = {name: string; sandbox: boolean; environment?: string; protected?: boolean; readOnly?: boolean};

/** `context prod [PRODUCTION] (protected, read-only)`: which deployment, and how careful to be, in plain words. */
export function contextHeading(context: ReportContext): string {
	const badges = [context.sandbox ? ' [SANDBOX]' : '', context.environment ? ` [${context.environment.toUpperCase()}]` : ''].join('');
	const care = [context.protected ? 'protected' : '', context.readOnly ? 'read-only' : ''].filter(Boolean).join(', ');
	return `context ${context.name}${badges}${care ? ` (${care})` : ''}`;
}

/** Plain-text tables, for pipes and terminals where a full-screen UI is not wanted. */
export function formatStatusReport(snapshot: DashboardSnapshot, context: ReportContext, now: Date): string {
	const lines: string[] = [];
	const project = snapshot.project ? `${snapshot.project.name}${snapshot.project.region ? ` (${snapshot.project.region})` : ''}` : '';
	lines.push(`${contextHeading(context)}  project ${project}`, '');

	lines.push('SERVICES', ...table(
		[{header: 'NAME'}, {header: 'TYPE'}, {header: 'DEPLOYMENT'}, {header: 'BUILD'}, {header: 'INSTANCES', align: 'right'}, {header: 'SHA'}, {header: 'HEALTH'}, {header: 'WHY'}],
		snapshot.services.map(service => [
			service.name,
			service.kind,
			service.deployment.rawStatus,
			service.build?.rawStatus ?? '—',
			`${service.containers.filter(container => container.status === 'running').length}/${service.instances ?? '?'}`,
			shortSha(service.deployedSha) ?? '—',
			service.health,
			service.healthReason,
		]),
	), '');

	for (const service of snapshot.services) {
		const builds = snapshot.builds[service.id] ?? [];
		lines.push(`BUILDS of ${service.name}`, ...table(
			[{header: 'ID'}, {header: 'SHA'}, {header: 'BRANCH'}, {header: 'STATUS'}, {header: 'AGE', align: 'right'}, {header: 'DURATION', align: 'right'}, {header: 'MESSAGE'}],
			builds.map(build => [
				build.id,
				shortSha(build.sha) ?? '—',
				build.branch ?? '—',
				build.rawStatus,
				age(build.createdAt, now),
				took(build),
				(build.message ?? '').split('\n')[0] ?? '',
			]),
		), '');
	}

	lines.push('ADDONS', ...table(
		[{header: 'NAME'}, {header: 'TYPE'}, {header: 'STATUS'}, {header: 'LAST BACKUP'}, {header: 'AGE', align: 'right'}],
		snapshot.addons.map(addon => [
			addon.name,
			`${addon.type}${addon.version ? ` ${addon.version}` : ''}`,
			addon.rawStatus,
			addon.lastBackup ? `${addon.lastBackup.name ?? addon.lastBackup.id} (${addon.lastBackup.rawStatus})` : 'none',
			age(addon.lastBackup?.completedAt ?? addon.lastBackup?.createdAt, now),
		]),
	), '');

	lines.push('JOBS', ...table(
		[{header: 'NAME'}, {header: 'KIND'}, {header: 'LAST RUN'}, {header: 'AGE', align: 'right'}],
		snapshot.jobs.map(job => [
			job.name,
			job.schedule ? `${job.kind} ${job.schedule}` : job.kind,
			job.lastRun?.rawStatus ?? 'never run',
			age(job.lastRun?.startedAt, now),
		]),
	));

	return `${lines.join('\n')}\n`;
}

function table(columns: Column[], rows: string[][]): string[] {
	const cleanRows = rows.map(row => row.map(cell => toPlainText(cell)));
	if (cleanRows.length === 0) {
		return ['  (none)'];
	}

	const widths = columns.map((column, index) => Math.max(column.header.length, ...cleanRows.map(row => row[index]?.length ?? 0)));
	const render = (cells: string[]) => `  ${cells.map((cell, index) => {
		const width = widths[index] ?? 0;
		return columns[index]?.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
	}).join('  ').trimEnd()}`;
	return [render(columns.map(column => column.header)), ...cleanRows.map(row => render(row))];
}
