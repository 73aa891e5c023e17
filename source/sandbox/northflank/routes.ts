// Northflank REST API v1 as the sandbox serves it. Paths are relative to `/v1` and to the optional
// `/teams/{teamId}` scope, which the server strips before matching.
import {ApiError} from '../api-error.js';
import {logRoutes, openLogs, type LogSelector} from '../logs/log-routes.js';
import {parseRangeQuery} from '../logs/log-query.js';
import {readRange} from '../logs/range-query.js';
import type {SandboxPlatform} from '../platform.js';
import type {Route} from '../router.js';
import {backupBody, deploymentBody, jobRunBody, startBuildBody} from './bodies.js';
import {paginate, type Pagination} from './pagination.js';
import {
	addonContainersView,
	addonDetail,
	addonSummary,
	backupView,
	buildView,
	containersView,
	credentialsView,
	healthChecksView,
	jobDeploymentView,
	jobDetail,
	jobRunView,
	jobSummary,
	portsView,
	projectDetail,
	projectSummary,
	restoreView,
	serviceDeploymentView,
	serviceDetail,
	serviceSummary,
	type Scope,
} from './views.js';

export type ApiRequest = {platform: SandboxPlatform; params: Record<string, string>; query: URLSearchParams; body: unknown};
export type ApiResult = {data: unknown; pagination?: Pagination};
export type ApiHandler = (request: ApiRequest) => ApiResult | Promise<ApiResult>;

const byId = (item: {id: string}) => item.id;
const byName = (item: {name: string}) => item.name;

function list<T>(key: string, items: readonly T[], request: ApiRequest, keyOf: (item: T) => string): ApiResult {
	const page = paginate(items, request.query, keyOf);
	return {data: {[key]: page.items}, pagination: page.pagination};
}

function scopeOf({platform, params}: ApiRequest): Scope {
	const projectId = params.projectId!;
	return {state: platform.state, project: platform.project(projectId), t: platform.now()};
}

function withService(request: ApiRequest) {
	const scope = scopeOf(request);
	return {scope, service: request.platform.service(scope.project, request.params.serviceId!)};
}

function withAddon(request: ApiRequest) {
	const scope = scopeOf(request);
	return {scope, addon: request.platform.addon(scope.project, request.params.addonId!)};
}

function withJob(request: ApiRequest) {
	const scope = scopeOf(request);
	return {scope, job: request.platform.job(scope.project, request.params.jobId!)};
}

const route = (method: string, pattern: string, handler: ApiHandler): Route<ApiHandler> => ({method, pattern, handler});

/** A log endpoint's range query (`queryType=range`); the same path as a WebSocket is the live tail. */
function logRange(selector: LogSelector): ApiHandler {
	return ({platform, params, query}) => {
		const now = platform.now();
		const range = parseRangeQuery(query, now);
		const logs = openLogs(selector, {platform, params, filters: range}, range.from.ms, Math.min(now, range.to.ms + 1));
		return readRange(logs, range, now);
	};
}

export const northflankRoutes: ReadonlyArray<Route<ApiHandler>> = [
	// The CLI's token check: any 200 means the token is good (the body shape is undocumented).
	route('GET', '/login', () => ({data: {}})),

	route('GET', '/projects', request => list('projects', request.platform.state.projects.map(project => projectSummary(project)), request, byId)),
	route('GET', '/projects/:projectId', request => ({data: projectDetail(scopeOf(request))})),

	route('GET', '/projects/:projectId/services', request => {
		const scope = scopeOf(request);
		return list('services', scope.project.services.map(service => serviceSummary(scope, service)), request, byId);
	}),
	route('GET', '/projects/:projectId/services/:serviceId', request => {
		const {scope, service} = withService(request);
		return {data: serviceDetail(scope, service)};
	}),
	route('GET', '/projects/:projectId/services/:serviceId/deployment', request => {
		const {scope, service} = withService(request);
		return {data: serviceDeploymentView(scope, service)};
	}),
	route('POST', '/projects/:projectId/services/:serviceId/deployment', request => {
		const {scope, service} = withService(request);
		const {build} = deploymentBody(request.body);
		request.platform.deployBuild(scope.project, service, build);
		return {data: {}};
	}),
	route('GET', '/projects/:projectId/services/:serviceId/containers', request => {
		const {scope, service} = withService(request);
		return list('containers', containersView(service, scope.t), request, byName);
	}),
	route('GET', '/projects/:projectId/services/:serviceId/ports', request => {
		const {scope, service} = withService(request);
		return {data: {ports: portsView(scope, service)}};
	}),
	route('GET', '/projects/:projectId/services/:serviceId/health-checks', request => {
		const {service} = withService(request);
		return {data: {healthChecks: healthChecksView(service)}};
	}),
	route('POST', '/projects/:projectId/services/:serviceId/restart', request => {
		const {service} = withService(request);
		request.platform.restartService(service);
		return {data: {}};
	}),

	route('GET', '/projects/:projectId/services/:serviceId/build', request => {
		const {scope, service} = withService(request);
		return list('builds', service.builds.map(build => buildView(scope, service, build)), request, byId);
	}),
	route('POST', '/projects/:projectId/services/:serviceId/build', request => {
		const {scope, service} = withService(request);
		const build = request.platform.startBuild(service, startBuildBody(request.body));
		const view = buildView(scope, service, build);
		return {data: {id: view.id, branch: view.branch, pullRequestId: null, sha: view.sha, createdAt: view.createdAt, status: view.status, concluded: view.concluded}};
	}),
	route('GET', '/projects/:projectId/services/:serviceId/build/:buildId', request => {
		const {scope, service} = withService(request);
		return {data: buildView(scope, service, request.platform.build(service, request.params.buildId!))};
	}),
	route('DELETE', '/projects/:projectId/services/:serviceId/build/:buildId', request => {
		const {service} = withService(request);
		request.platform.abortBuild(service, request.params.buildId!);
		return {data: {}};
	}),

	route('GET', '/projects/:projectId/addons', request => {
		const scope = scopeOf(request);
		return list('addons', scope.project.addons.map(addon => addonSummary(scope, addon)), request, byId);
	}),
	route('GET', '/projects/:projectId/addons/:addonId', request => {
		const {scope, addon} = withAddon(request);
		return {data: addonDetail(scope, addon)};
	}),
	route('GET', '/projects/:projectId/addons/:addonId/credentials', async request => {
		const {addon} = withAddon(request);
		const {database} = request.platform;
		if (addon.type !== 'postgresql' || !database) {
			throw new ApiError(503, `Addon "${addon.id}" has no database in this sandbox (its addon is simulated); start the sandbox without an injected clock, or with a database, to get credentials`);
		}

		try {
			return {data: credentialsView(await database.connection())};
		} catch (error) {
			const hint = (error as {hint?: string}).hint;
			throw new ApiError(503, `The database of addon "${addon.id}" is not available: ${(error as Error).message}${hint ? ` ${hint}` : ''}`);
		}
	}),
	route('GET', '/projects/:projectId/addons/:addonId/containers', request => {
		const {scope, addon} = withAddon(request);
		return list('containers', addonContainersView(addon, scope.t), request, byName);
	}),
	route('GET', '/projects/:projectId/addons/:addonId/backups', request => {
		const {scope, addon} = withAddon(request);
		return list('backups', addon.backups.map(backup => backupView(addon, backup, scope.t)), request, byId);
	}),
	route('POST', '/projects/:projectId/addons/:addonId/backups', request => {
		const {addon} = withAddon(request);
		const backup = request.platform.createBackup(addon, backupBody(request.body));
		return {data: backupView(addon, backup, request.platform.now())};
	}),
	route('GET', '/projects/:projectId/addons/:addonId/backups/:backupId', request => {
		const {scope, addon} = withAddon(request);
		return {data: backupView(addon, request.platform.backup(addon, request.params.backupId!), scope.t)};
	}),
	route('GET', '/projects/:projectId/addons/:addonId/backups/:backupId/download-link', request => {
		const {addon} = withAddon(request);
		return {data: {downloadLink: request.platform.backupDownloadLink(addon, request.params.backupId!)}};
	}),
	route('POST', '/projects/:projectId/addons/:addonId/backups/:backupId/restore', request => {
		const {addon} = withAddon(request);
		const restore = request.platform.restoreBackup(addon, request.params.backupId!);
		return {data: {restoreId: restore.id}};
	}),
	route('GET', '/projects/:projectId/addons/:addonId/backups/:backupId/restores', request => {
		const {scope, addon} = withAddon(request);
		const backup = request.platform.backup(addon, request.params.backupId!);
		const restores = addon.restores.filter(restore => restore.backupId === backup.id);
		return list('restores', restores.map(restore => restoreView(restore, scope.t)), request, byId);
	}),
	route('GET', '/projects/:projectId/addons/:addonId/restores', request => {
		const {scope, addon} = withAddon(request);
		return list('restores', addon.restores.map(restore => restoreView(restore, scope.t)), request, byId);
	}),

	route('GET', '/projects/:projectId/jobs', request => {
		const scope = scopeOf(request);
		return list('jobs', scope.project.jobs.map(job => jobSummary(scope, job)), request, byId);
	}),
	route('GET', '/projects/:projectId/jobs/:jobId', request => {
		const {scope, job} = withJob(request);
		return {data: jobDetail(scope, job)};
	}),
	route('GET', '/projects/:projectId/jobs/:jobId/deployment', request => {
		const {scope, job} = withJob(request);
		return {data: jobDeploymentView(scope, job)};
	}),
	route('POST', '/projects/:projectId/jobs/:jobId/deployment', request => {
		const {scope, job} = withJob(request);
		const {build, docker} = deploymentBody(request.body);
		request.platform.updateJobDeployment(scope.project, job, build, docker);
		return {data: {}};
	}),
	route('GET', '/projects/:projectId/jobs/:jobId/runs', request => {
		const {scope, job} = withJob(request);
		return list('runs', job.runs.map(run => jobRunView(job, run, scope.t)), request, byId);
	}),
	route('POST', '/projects/:projectId/jobs/:jobId/runs', request => {
		const {scope, job} = withJob(request);
		const run = request.platform.startJobRun(scope.project, job, jobRunBody(request.body));
		return {data: {id: run.id, runName: run.runName}};
	}),
	route('GET', '/projects/:projectId/jobs/:jobId/runs/:runId', request => {
		const {scope, job} = withJob(request);
		return {data: jobRunView(job, request.platform.run(job, request.params.runId!), scope.t)};
	}),
	route('DELETE', '/projects/:projectId/jobs/:jobId/runs/:runId', request => {
		const {job} = withJob(request);
		request.platform.abortJobRun(job, request.params.runId!);
		return {data: {}};
	}),

	...logRoutes.map(({pattern, handler}) => route('GET', pattern, logRange(handler))),
];
