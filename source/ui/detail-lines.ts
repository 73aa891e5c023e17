// The content of the detail view (enter on a row): every field of the item, and its sub-lists.
import type {
	AddonView, Backup, Build, Container, DashboardSnapshot, JobRun, JobView, ServiceView,
} from '../core/types.js';
import {formatBytes, formatDateTime} from '../core/format.js';
import {type Line, type Segment, statusSegment, text} from './line.js';
import {type Column, fitColumns, headerLine, rowLine} from './table-layout.js';
import {
	addonLook, backupLook, buildLook, containerLook, deploymentLook, healthLook, jobRunLook,
} from './theme.js';
import {singleLine} from './text.js';
import type {PaneId} from './ui-state.js';

export type DetailContent = {title: Line; lines: Line[]};

const labelWidth = 13;

function field(label: string, ...value: Segment[]): Line {
	return [text(label.padEnd(labelWidth), 'muted'), ...value];
}

const plain = (value: string | number | undefined): Segment => text(value === undefined || value === '' ? '—' : singleLine(String(value)));

function when(date: Date | undefined): Segment[] {
	return date ? [text(formatDateTime(date)), text(' ('), {time: 'age', from: date}, text(' ago)')] : [plain(undefined)];
}

function section<Row>(title: string, columns: Array<Column<Row>>, rows: Row[], width: number, empty: string): Line[] {
	const lines: Line[] = [[], [text(`${title} (${rows.length})`, 'accent', true)]];
	if (rows.length === 0) {
		lines.push([text(`  ${empty}`, 'muted')]);
		return lines;
	}

	const fitted = fitColumns(columns, rows, width - 2);
	lines.push([text('  '), ...headerLine(fitted)]);
	for (const row of rows) {
		lines.push([text('  '), ...rowLine(fitted, row)]);
	}

	return lines;
}

const containerColumns: Array<Column<Container>> = [
	{id: 'name', header: 'CONTAINER', priority: 1, minWidth: 12, grow: true, cell: container => text(container.name)},
	{id: 'status', header: 'STATUS', priority: 1, minWidth: 10, cell: container => statusSegment(containerLook(container.status))},
	{id: 'raw', header: 'PLATFORM SAYS', priority: 3, minWidth: 8, maxWidth: 20, cell: container => text(container.rawStatus, 'muted')},
	{id: 'age', header: 'AGE', priority: 2, minWidth: 4, align: 'right', cell: container => ({time: 'age', from: container.createdAt})},
];

function serviceDetail(service: ServiceView, width: number): Line[] {
	const ports = (service.ports ?? []).map(port => `${port.name} ${port.port}/${port.protocol}${port.public ? ' public' : ''}`).join(', ');
	const lines: Line[] = [
		field('Health', statusSegment(healthLook(service.health)), text(service.healthReason ? ` — ${singleLine(service.healthReason)}` : '', 'muted')),
		field('Deployment', statusSegment(deploymentLook(service.deployment.status)), text(` (${service.deployment.rawStatus})`, 'muted')),
		// Northflank keeps the kind of the last transition (DEPLOYING, SCALING) after it completes.
		field('Last change', plain(service.deployment.reason?.toLowerCase())),
		field('Since', ...when(service.deployment.since)),
		field('Build', ...(service.build ? [statusSegment(buildLook(service.build.status)), text(` (${service.build.rawStatus})`, 'muted')] : [plain(undefined)])),
		field('Deployed', plain(service.deployedBuildId), text('  sha ', 'muted'), plain(service.deployedSha)),
		field('Branch', plain(service.branch)),
		field('Repository', plain(service.repository)),
		field('Type', plain(service.kind), text(service.paused ? '  ‖ paused' : '', 'warn')),
		field('Instances', plain(service.instances)),
		field('Ports', plain(ports)),
		field('Health path', plain(service.healthPath)),
		field('Id', plain(service.id)),
	];
	return [...lines, ...section('Containers', containerColumns, service.containers, width, 'no containers')];
}

function buildDetail(build: Build): Line[] {
	const running = build.status === 'building' || build.status === 'queued';
	return [
		field('Status', statusSegment(buildLook(build.status)), text(` (${build.rawStatus})`, 'muted')),
		field('Commit', plain(build.sha)),
		field('Branch', plain(build.branch)),
		field('Message', plain(build.message)),
		field('Started', ...when(build.createdAt)),
		field('Finished', ...when(build.concludedAt)),
		field('Took', build.createdAt && (build.concludedAt || running) ? {time: 'duration', from: build.createdAt, to: build.concludedAt} : plain(undefined)),
		field('Id', plain(build.id)),
	];
}

const backupColumns: Array<Column<Backup>> = [
	{id: 'name', header: 'BACKUP', priority: 1, minWidth: 10, grow: true, cell: backup => text(backup.name ?? backup.id)},
	{id: 'status', header: 'STATUS', priority: 1, minWidth: 11, cell: backup => statusSegment(backupLook(backup.status))},
	{id: 'kind', header: 'KIND', priority: 4, minWidth: 6, cell: backup => text(backup.kind ?? '—', 'muted')},
	{id: 'size', header: 'SIZE', priority: 3, minWidth: 7, align: 'right', cell: backup => text(backup.sizeBytes === undefined ? '—' : formatBytes(backup.sizeBytes))},
	{id: 'age', header: 'AGE', priority: 2, minWidth: 4, align: 'right', cell: backup => ({time: 'age', from: backup.createdAt})},
	{id: 'took', header: 'TOOK', priority: 3, minWidth: 6, align: 'right', cell: backup => ({time: 'duration', from: backup.createdAt, to: backup.completedAt})},
];

function addonDetail(addon: AddonView, width: number): Line[] {
	return [
		field('Status', statusSegment(addonLook(addon.status)), text(` (${addon.rawStatus})`, 'muted')),
		field('Type', plain([addon.type, addon.version].filter(Boolean).join(' '))),
		field('Storage', plain(addon.storageMb === undefined ? undefined : formatBytes(addon.storageMb * 1024 * 1024))),
		field('Replicas', plain(addon.replicas)),
		field('Last backup', ...(addon.lastBackup ? [statusSegment(backupLook(addon.lastBackup.status)), text(' '), ...when(addon.lastBackup.completedAt ?? addon.lastBackup.createdAt)] : [text('none', 'warn')])),
		field('Id', plain(addon.id)),
		...section('Backups', backupColumns, addon.backups, width, 'no backups yet'),
	];
}

const runColumns: Array<Column<JobRun>> = [
	{id: 'name', header: 'RUN', priority: 1, minWidth: 10, grow: true, cell: run => text(run.name ?? run.id)},
	{id: 'status', header: 'STATUS', priority: 1, minWidth: 10, cell: run => statusSegment(jobRunLook(run.status))},
	{id: 'raw', header: 'PLATFORM SAYS', priority: 4, minWidth: 8, maxWidth: 20, cell: run => text(run.rawStatus, 'muted')},
	{id: 'age', header: 'STARTED', priority: 2, minWidth: 7, align: 'right', cell: run => ({time: 'age', from: run.startedAt, suffix: ' ago'})},
	{id: 'took', header: 'TOOK', priority: 3, minWidth: 6, align: 'right', cell: run => ({time: 'duration', from: run.startedAt, to: run.concludedAt})},
];

function jobDetail(job: JobView, width: number): Line[] {
	return [
		field('Kind', plain(job.kind), text(job.suspended ? '  ‖ suspended' : '', 'warn')),
		field('Schedule', plain(job.schedule)),
		field('Last run', ...(job.lastRun ? [statusSegment(jobRunLook(job.lastRun.status)), text(' '), ...when(job.lastRun.startedAt)] : [text('never', 'muted')])),
		field('Id', plain(job.id)),
		...section('Runs', runColumns, job.runs, width, 'no runs yet'),
	];
}

const kindTitles: Record<PaneId, string> = {services: 'Service', builds: 'Build', addons: 'Addon', jobs: 'Job'};

/** Detail of one item, looked up afresh in every snapshot so the view stays live. */
export function detailContent(snapshot: DashboardSnapshot | undefined, pane: PaneId, id: string, width: number): DetailContent {
	const title = (name: string): Line => [text(`${kindTitles[pane]} `, 'muted'), text(name, undefined, true)];
	const gone = {title: title(id), lines: [[text(`This ${kindTitles[pane].toLowerCase()} is no longer listed by the platform.`, 'warn')]]};
	switch (pane) {
		case 'services': {
			const service = snapshot?.services.find(item => item.id === id);
			return service ? {title: title(service.name), lines: serviceDetail(service, width)} : gone;
		}

		case 'builds': {
			const build = Object.values(snapshot?.builds ?? {}).flat().find(item => item.id === id);
			return build ? {title: title(build.id), lines: buildDetail(build)} : gone;
		}

		case 'addons': {
			const addon = snapshot?.addons.find(item => item.id === id);
			return addon ? {title: title(addon.name), lines: addonDetail(addon, width)} : gone;
		}

		case 'jobs': {
			const job = snapshot?.jobs.find(item => item.id === id);
			return job ? {title: title(job.name), lines: jobDetail(job, width)} : gone;
		}
	}
}
