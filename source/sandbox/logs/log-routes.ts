// Which containers each log endpoint reads (reference §3): the same paths serve the range query
// (GET) and the live tail (WebSocket).
import {notFound} from '../api-error.js';
import type {SandboxPlatform} from '../platform.js';
import type {Route} from '../router.js';
import {logRateSegments} from './log-rates.js';
import {ContainerLog, type ContainerSpec} from './container-log.js';
import {addonContainers, backupContainer, buildContainer, jobRunContainer, restoreContainer, serviceContainer, type LogWorld} from './containers.js';
import {passesType, type LogFilters} from './log-query.js';
import type {LogReader} from './recorded-log.js';

export type LogRequest = {platform: SandboxPlatform; params: Record<string, string>; filters: LogFilters};

/** A generated container (its spec) or one whose lines were recorded as they happened (a real job run). */
export type LogSelector = (request: LogRequest) => Array<ContainerSpec | LogReader>;

const route = (pattern: string, handler: LogSelector): Route<LogSelector> => ({method: 'GET', pattern, handler});

function worldOf({platform, params}: LogRequest): LogWorld {
	return {seed: platform.state.seed, teamId: platform.state.team.id, project: platform.project(params.projectId!)};
}

export const logRoutes: ReadonlyArray<Route<LogSelector>> = [
	route('/projects/:projectId/services/:serviceId/logs', request => {
		const world = worldOf(request);
		const service = request.platform.service(world.project, request.params.serviceId!);
		return service.containers.map(container => serviceContainer(world, service, container));
	}),
	route('/projects/:projectId/services/:serviceId/build-logs', request => {
		const world = worldOf(request);
		const service = request.platform.service(world.project, request.params.serviceId!);
		const {buildId} = request.filters;
		const builds = buildId === undefined ? service.builds : [request.platform.build(service, buildId)];
		return builds.map(build => buildContainer(world, service, build));
	}),
	route('/projects/:projectId/jobs/:jobId/logs', request => {
		const world = worldOf(request);
		const job = request.platform.job(world.project, request.params.jobId!);
		const {runId} = request.filters;
		const runs = runId === undefined ? job.runs : [request.platform.run(job, runId)];
		return runs.map(run => run.execution === undefined ? jobRunContainer(world, job, run) : request.platform.jobRunLog(run));
	}),
	route('/projects/:projectId/addons/:addonId/logs', request => {
		const world = worldOf(request);
		return addonContainers(world, request.platform.addon(world.project, request.params.addonId!));
	}),
	route('/projects/:projectId/addons/:addonId/backups/:backupId/logs', request => {
		const world = worldOf(request);
		const addon = request.platform.addon(world.project, request.params.addonId!);
		return [backupContainer(world, addon, request.platform.backup(addon, request.params.backupId!))];
	}),
	route('/projects/:projectId/addons/:addonId/backups/:backupId/restores/:restoreId/logs', request => {
		const world = worldOf(request);
		const addon = request.platform.addon(world.project, request.params.addonId!);
		const backup = request.platform.backup(addon, request.params.backupId!);
		const {restoreId} = request.params;
		const restore = addon.restores.find(candidate => candidate.id === restoreId && candidate.backupId === backup.id);
		if (!restore) {
			throw notFound('Restore', restoreId!);
		}

		return [restoreContainer(world, addon, restore)];
	}),
];

/** The selected containers that match the filters and wrote (or will write) within [fromMs, toMs). */
export function openLogs(selector: LogSelector, request: LogRequest, fromMs: number, toMs: number): LogReader[] {
	const rates = logRateSegments(request.platform.state);
	const {containerName} = request.filters;
	return selector(request)
		.filter(source => (containerName === undefined || source.id === containerName) && passesType(request.filters, source.type))
		.map(source => 'phases' in source ? new ContainerLog(source, rates) : source)
		.filter(log => log.overlaps(fromMs, toMs));
}
