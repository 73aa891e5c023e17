// The columns of each pane, most important first by priority. At 80 columns the low-priority
// ones drop out; names shrink with `…`.
import type {AddonView, Build, JobView, ServiceView} from '../core/types.js';
import type {PaneRowTypes} from './dashboard-model.js';
import {statusSegment, text} from './line.js';
import type {Column} from './table-layout.js';
import {
	addonLook, backupLook, buildLook, deploymentLook, healthLook, jobRunLook,
} from './theme.js';
import {shortSha} from '../core/format.js';
import {singleLine} from './text.js';
import type {PaneId} from './ui-state.js';

const serviceColumns: Array<Column<ServiceView>> = [
	{id: 'name', header: 'NAME', priority: 1, minWidth: 12, grow: true, cell: service => text(service.name, undefined, true)},
	{id: 'health', header: 'HEALTH', priority: 1, minWidth: 11, cell: service => statusSegment(healthLook(service.health))},
	{id: 'deploy', header: 'DEPLOY', priority: 2, minWidth: 10, cell: service => statusSegment(deploymentLook(service.deployment.status))},
	{id: 'build', header: 'BUILD', priority: 3, minWidth: 10, cell: service => (service.build ? statusSegment(buildLook(service.build.status)) : text('—', 'muted'))},
	{
		id: 'instances',
		header: 'INST',
		priority: 4,
		minWidth: 4,
		align: 'right',
		cell(service) {
			const running = service.containers.filter(container => container.status === 'running').length;
			const wanted = service.instances;
			return text(wanted === undefined ? String(running) : `${running}/${wanted}`, wanted !== undefined && running < wanted ? 'warn' : undefined);
		},
	},
	{id: 'sha', header: 'SHA', priority: 3, minWidth: 7, cell: service => text(shortSha(service.deployedSha))},
	{id: 'kind', header: 'TYPE', priority: 5, minWidth: 8, cell: service => text(service.kind, 'muted')},
];

const isRunning = (build: Build): boolean => build.status === 'building' || build.status === 'queued';

const buildColumns: Array<Column<Build>> = [
	{id: 'id', header: 'BUILD', priority: 2, minWidth: 8, maxWidth: 24, cell: build => text(build.id)},
	{id: 'sha', header: 'SHA', priority: 1, minWidth: 7, cell: build => text(shortSha(build.sha))},
	{id: 'branch', header: 'BRANCH', priority: 4, minWidth: 6, maxWidth: 20, cell: build => text(build.branch ?? '—')},
	{id: 'status', header: 'STATUS', priority: 1, minWidth: 10, cell: build => statusSegment(buildLook(build.status))},
	{id: 'age', header: 'AGE', priority: 1, minWidth: 4, align: 'right', cell: build => ({time: 'age', from: build.createdAt})},
	{
		id: 'duration',
		header: 'TOOK',
		priority: 3,
		minWidth: 6,
		align: 'right',
		cell: build => (build.concludedAt || isRunning(build)
			? {time: 'duration', from: build.createdAt, to: build.concludedAt, tone: isRunning(build) ? 'busy' : undefined}
			: text('—', 'muted')),
	},
	{id: 'message', header: 'MESSAGE', priority: 5, minWidth: 10, grow: true, cell: build => text(singleLine(build.message ?? ''), 'muted')},
];

const addonColumns: Array<Column<AddonView>> = [
	{id: 'name', header: 'NAME', priority: 1, minWidth: 10, grow: true, cell: addon => text(addon.name, undefined, true)},
	{id: 'type', header: 'TYPE', priority: 3, minWidth: 8, cell: addon => text([addon.type, addon.version].filter(Boolean).join(' '), 'muted')},
	{id: 'status', header: 'STATUS', priority: 1, minWidth: 9, cell: addon => statusSegment(addonLook(addon.status))},
	{
		id: 'backup',
		header: 'BACKUP',
		priority: 2,
		minWidth: 9,
		cell(addon) {
			const backup = addon.lastBackup;
			if (!backup) {
				return text('none', 'warn');
			}

			const look = backupLook(backup.status);
			return {time: 'age', from: backup.completedAt ?? backup.createdAt, prefix: `${look.symbol} `, suffix: ' ago', tone: look.tone};
		},
	},
];

const jobColumns: Array<Column<JobView>> = [
	{id: 'name', header: 'NAME', priority: 1, minWidth: 10, grow: true, cell: job => text(job.name, undefined, true)},
	{id: 'kind', header: 'KIND', priority: 3, minWidth: 6, cell: job => text(job.suspended ? `${job.kind} ‖` : job.kind, 'muted')},
	{
		id: 'last-run',
		header: 'LAST RUN',
		priority: 2,
		minWidth: 9,
		cell(job) {
			const run = job.lastRun;
			if (!run) {
				return text('never', 'muted');
			}

			const look = jobRunLook(run.status);
			return {time: 'age', from: run.concludedAt ?? run.startedAt, prefix: `${look.symbol} `, suffix: ' ago', tone: look.tone};
		},
	},
	{id: 'schedule', header: 'SCHEDULE', priority: 4, minWidth: 9, maxWidth: 15, cell: job => text(job.schedule ?? '—', 'muted')},
];

export const paneColumns: {[Pane in PaneId]: Array<Column<PaneRowTypes[Pane]>>} = {
	services: serviceColumns,
	builds: buildColumns,
	addons: addonColumns,
	jobs: jobColumns,
};
