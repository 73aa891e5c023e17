// Render's public API v1 as the sandbox serves it (render-openapi.json), over the same world as the
// Northflank face. Paths are relative to `/v1`.
import {ApiError, badRequest, conflict} from '../api-error.js';
import {operationStatusAt} from '../lifecycle.js';
import type {Route} from '../router.js';
import {deploysOf} from './deploys.js';
import {eventsOf} from './events.js';
import {logsPage, optionalTime} from './logs.js';
import {renderPage} from './pagination.js';
import {renderIds} from './render-ids.js';
import {deployView, instancesView, jobView, ownerView, postgresView, recoveredView, serviceView, withProject, type RenderScope} from './views.js';
import {carrierJob, findDeploy, findJobRun, findPostgres, findService, recover, resume, rollBack, suspend, triggerDeploy, type RenderWorld} from './world.js';

export type RenderRequest = RenderWorld & {scope: RenderScope; params: Record<string, string>; query: URLSearchParams; body: unknown};
/** `body` undefined: an answer without a body (Render's 202s and the restart's 200). */
export type RenderResult = {status: number; body?: unknown};
export type RenderHandler = (request: RenderRequest) => RenderResult | Promise<RenderResult>;

const route = (method: string, pattern: string, handler: RenderHandler): Route<RenderHandler> => ({method, pattern, handler});
const ok = (body: unknown): RenderResult => ({status: 200, body});
const byId = (item: {id: string}) => item.id;

function commaList(query: URLSearchParams, name: string): string[] {
	return query.getAll(name).flatMap(value => value.split(',')).filter(value => value !== '');
}

function objectBody(body: unknown): Record<string, unknown> {
	if (body === undefined) {
		return {};
	}

	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw badRequest('the request body must be a JSON object');
	}

	return body as Record<string, unknown>;
}

/** `serviceDetails` of a PATCH: the sandbox changes only `preDeployCommand` (an empty string clears it). */
function preDeployCommandOf(details: unknown): string | undefined {
	const body = objectBody(details);
	const unsupported = Object.keys(body).filter(key => key !== 'preDeployCommand');
	if (unsupported.length > 0) {
		throw badRequest(`the sandbox updates only serviceDetails.preDeployCommand; it cannot change serviceDetails.${unsupported.join(', serviceDetails.')}`);
	}

	const command = body.preDeployCommand;
	if (command !== undefined && typeof command !== 'string') {
		throw badRequest(`serviceDetails.preDeployCommand must be a string, got ${JSON.stringify(command)}`);
	}

	return command;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
	const value = body[name];
	if (value === undefined) {
		return undefined;
	}

	if (typeof value !== 'string' || value === '') {
		throw badRequest(`${name} must be a non-empty string`);
	}

	return value;
}

function requiredString(body: Record<string, unknown>, name: string): string {
	return optionalString(body, name) ?? raiseBadRequest(`${name} is required`);
}

function raiseBadRequest(message: string): never {
	throw badRequest(message);
}

function services(request: RenderRequest) {
	const {query} = request;
	const owner = ownerView(request.platform.state).id;
	const owners = commaList(query, 'ownerId');
	const names = commaList(query, 'name');
	const suspended = commaList(query, 'suspended');
	const types = commaList(query, 'type');
	return request.platform.state.projects
		.flatMap(project => project.services.map(service => serviceView(request.scope, project, service)))
		.filter(service => (owners.length === 0 || owners.includes(owner))
			&& (names.length === 0 || names.includes(service.name))
			&& (suspended.length === 0 || suspended.includes(service.suspended))
			&& (types.length === 0 || types.includes(service.type)));
}

function postgresList(request: RenderRequest) {
	const {scope, platform, memo} = request;
	const owners = commaList(request.query, 'ownerId');
	const names = commaList(request.query, 'name');
	const all = [
		...platform.state.projects.flatMap(project => project.addons.filter(addon => addon.type === 'postgresql').map(addon => postgresView(scope, addon))),
		...memo.recovered.map(recovered => recoveredView(scope, recovered, findPostgres(request, recovered.id).addon)),
	];
	return all.filter(postgres => (owners.length === 0 || owners.includes(postgres.owner.id)) && (names.length === 0 || names.includes(postgres.name)));
}

function exportsOf(request: RenderRequest) {
	const {addon} = findPostgres(request, request.params.postgresId!);
	const t = request.platform.now();
	return addon.backups.flatMap(backup => {
		const {status} = operationStatusAt(backup, t);
		if (status === 'failed') {
			return [];
		}

		const entry = {id: renderIds.export(backup.id), createdAt: new Date(backup.createdAt).toISOString()};
		if (status !== 'completed') {
			return [entry];
		}

		// A simulated backup has no archive: its url answers 404, as an expired export link would.
		const url = backup.archive === undefined ? `${request.scope.baseUrl}/_sandbox/downloads/simulated-${encodeURIComponent(backup.id)}` : request.platform.backupDownloadLink(addon, backup.id);
		return [{...entry, url}];
	});
}

async function connectionInfo(request: RenderRequest): Promise<RenderResult> {
	const {addon, recovered} = findPostgres(request, request.params.postgresId!);
	const {database} = request.platform;
	if (recovered) {
		throw new ApiError(503, `postgres ${recovered.id} is a point-in-time recovery record; the sandbox keeps no database behind it`);
	}

	if (!database) {
		throw new ApiError(503, `postgres ${renderIds.postgres(addon.id)} has no database in this sandbox (it is simulated)`);
	}

	let connection;
	try {
		connection = await database.connection();
	} catch (error) {
		throw new ApiError(503, `the database of postgres ${renderIds.postgres(addon.id)} is not available: ${(error as Error).message}`);
	}

	const password = connection.password ?? '';
	const url = `postgresql://${encodeURIComponent(connection.user)}:${encodeURIComponent(password)}@${connection.host}:${connection.port}/${encodeURIComponent(connection.database)}`;
	return ok({
		password,
		internalConnectionString: url,
		externalConnectionString: url,
		psqlCommand: `PGPASSWORD=${password} psql -h ${connection.host} -p ${connection.port} -U ${connection.user} ${connection.database}`,
	});
}

export const renderRoutes: ReadonlyArray<Route<RenderHandler>> = [
	route('GET', '/owners', request => ok(renderPage('owner', [ownerView(request.platform.state)], request.query, byId))),
	route('GET', '/owners/:ownerId', request => {
		const owner = ownerView(request.platform.state);
		if (owner.id !== request.params.ownerId) {
			throw new ApiError(404, `owner ${request.params.ownerId} not found`);
		}

		return ok(owner);
	}),

	route('GET', '/services', request => ok(renderPage('service', services(request), request.query, byId))),
	route('GET', '/services/:serviceId', request => {
		const {project, service} = findService(request, request.params.serviceId!);
		return ok(serviceView(request.scope, project, service));
	}),
	route('PATCH', '/services/:serviceId', request => {
		const {project, service} = findService(request, request.params.serviceId!);
		const body = objectBody(request.body);
		const unsupported = Object.keys(body).filter(key => key !== 'autoDeploy' && key !== 'serviceDetails');
		if (unsupported.length > 0) {
			throw badRequest(`the sandbox updates only autoDeploy and serviceDetails.preDeployCommand on a service; it cannot change ${unsupported.join(', ')}`);
		}

		const preDeployCommand = body.serviceDetails === undefined ? undefined : preDeployCommandOf(body.serviceDetails);

		const {autoDeploy} = body;
		if (autoDeploy !== undefined && autoDeploy !== 'yes' && autoDeploy !== 'no') {
			throw badRequest(`autoDeploy must be "yes" or "no", got ${JSON.stringify(autoDeploy)}`);
		}

		if (autoDeploy === 'no') {
			request.memo.autoDeployOff.add(service.id);
		} else if (autoDeploy === 'yes') {
			request.memo.autoDeployOff.delete(service.id);
		}

		if (preDeployCommand === '') {
			request.memo.preDeployCommands.delete(service.id);
		} else if (preDeployCommand !== undefined) {
			request.memo.preDeployCommands.set(service.id, preDeployCommand);
		}

		return ok(serviceView(request.scope, project, service));
	}),
	route('POST', '/services/:serviceId/restart', request => {
		const ref = findService(request, request.params.serviceId!);
		if (request.memo.suspended.has(ref.service.id)) {
			throw badRequest(`service ${request.params.serviceId} is suspended; resume it first`);
		}

		request.platform.restartService(ref.service);
		return {status: 200};
	}),
	route('POST', '/services/:serviceId/suspend', request => {
		suspend(request, findService(request, request.params.serviceId!));
		return {status: 202};
	}),
	route('POST', '/services/:serviceId/resume', request => {
		resume(request, findService(request, request.params.serviceId!));
		return {status: 202};
	}),
	route('GET', '/services/:serviceId/instances', request => {
		const {service} = findService(request, request.params.serviceId!);
		return ok(instancesView(service, request.scope.t));
	}),
	route('GET', '/services/:serviceId/events', request => {
		const {project, service} = findService(request, request.params.serviceId!);
		const types = commaList(request.query, 'type');
		const start = optionalTime(request.query, 'startTime')?.ms ?? Number.NEGATIVE_INFINITY;
		const end = optionalTime(request.query, 'endTime')?.ms ?? Number.POSITIVE_INFINITY;
		const events = eventsOf(service, project.jobs, request.memo, request.scope.t)
			.filter(event => (types.length === 0 || types.includes(event.type)) && event.timestamp >= start && event.timestamp <= end)
			.map(event => ({...event, timestamp: new Date(event.timestamp).toISOString()}));
		return ok(renderPage('event', events, request.query, byId));
	}),

	route('GET', '/services/:serviceId/deploys', request => {
		const {service} = findService(request, request.params.serviceId!);
		const statuses = commaList(request.query, 'status');
		const deploys = deploysOf(service, request.memo, request.scope.t).filter(deploy => statuses.length === 0 || statuses.includes(deploy.status));
		return ok(renderPage('deploy', deploys.map(deploy => deployView(deploy)), request.query, byId));
	}),
	route('POST', '/services/:serviceId/deploys', request => {
		const ref = findService(request, request.params.serviceId!);
		const body = objectBody(request.body);
		if (body.imageUrl !== undefined) {
			throw badRequest('imageUrl is for image-backed services; this service builds from its repository');
		}

		const deployMode = optionalString(body, 'deployMode');
		if (deployMode !== undefined && deployMode !== 'deploy_only' && deployMode !== 'build_and_deploy') {
			throw badRequest(`deployMode must be deploy_only or build_and_deploy, got "${deployMode}"`);
		}

		const {deployId, queued} = triggerDeploy(request, ref, {commitId: optionalString(body, 'commitId'), deployMode});
		// Render answers 202 without a body when the deploy is queued behind one in progress.
		return queued ? {status: 202} : {status: 201, body: deployView(findDeploy(request, ref, deployId))};
	}),
	route('GET', '/services/:serviceId/deploys/:deployId', request => {
		const ref = findService(request, request.params.serviceId!);
		return ok(deployView(findDeploy(request, ref, request.params.deployId!)));
	}),
	route('POST', '/services/:serviceId/deploys/:deployId/cancel', request => {
		const ref = findService(request, request.params.serviceId!);
		const deploy = findDeploy(request, ref, request.params.deployId!);
		if (deploy.rollout || !['created', 'queued', 'build_in_progress'].includes(deploy.status)) {
			throw conflict(`deploy ${deploy.id} is ${deploy.status}; the sandbox cancels deploys only while they build`);
		}

		request.platform.abortBuild(ref.service, deploy.build.id);
		request.memo.pending = request.memo.pending.filter(pending => pending.buildId !== deploy.build.id);
		return ok(deployView(findDeploy(request, ref, deploy.id)));
	}),
	route('POST', '/services/:serviceId/rollback', request => {
		const ref = findService(request, request.params.serviceId!);
		const deployId = rollBack(request, ref, requiredString(objectBody(request.body), 'deployId'));
		return {status: 201, body: deployView(findDeploy(request, ref, deployId))};
	}),

	route('GET', '/services/:serviceId/jobs', request => {
		const ref = findService(request, request.params.serviceId!);
		const job = carrierJob(ref);
		const statuses = commaList(request.query, 'status');
		const jobs = job.runs.map(run => jobView(request.scope, ref.service, job, run)).filter(view => statuses.length === 0 || statuses.includes(view.status));
		return ok(renderPage('job', jobs, request.query, byId));
	}),
	route('POST', '/services/:serviceId/jobs', request => {
		const ref = findService(request, request.params.serviceId!);
		const body = objectBody(request.body);
		const startCommand = requiredString(body, 'startCommand');
		const job = carrierJob(ref);
		const run = request.platform.startJobRun(ref.project, job, {build: {serviceId: ref.service.id}, docker: {configType: 'customCommand', customCommand: startCommand}});
		request.memo.startCommands.set(run.id, startCommand);
		return {status: 201, body: jobView({...request.scope, t: request.platform.now()}, ref.service, job, run)};
	}),
	route('GET', '/services/:serviceId/jobs/:jobId', request => {
		const ref = findService(request, request.params.serviceId!);
		const {job, run} = findJobRun(ref, request.params.jobId!);
		return ok(jobView(request.scope, ref.service, job, run));
	}),
	route('POST', '/services/:serviceId/jobs/:jobId/cancel', request => {
		const ref = findService(request, request.params.serviceId!);
		const {job, run} = findJobRun(ref, request.params.jobId!);
		request.platform.abortJobRun(job, run.id);
		return ok(jobView({...request.scope, t: request.platform.now()}, ref.service, job, run));
	}),

	route('GET', '/postgres', request => ok(renderPage('postgres', postgresList(request), request.query, byId))),
	route('GET', '/postgres/:postgresId', request => {
		const {project, addon, recovered} = findPostgres(request, request.params.postgresId!);
		return ok(withProject(request.scope, project, recovered ? recoveredView(request.scope, recovered, addon) : postgresView(request.scope, addon)));
	}),
	route('GET', '/postgres/:postgresId/connection-info', connectionInfo),
	route('GET', '/postgres/:postgresId/export', request => ok(exportsOf(request))),
	route('POST', '/postgres/:postgresId/export', request => {
		const {addon, recovered} = findPostgres(request, request.params.postgresId!);
		if (recovered) {
			throw conflict(`postgres ${recovered.id} is a recovery record without a database in the sandbox; export the original`);
		}

		request.platform.createBackup(addon, {backupType: 'dump', name: `render-export-${new Date(request.platform.now()).toISOString().slice(0, 19).replaceAll(':', '-')}`});
		return {status: 202};
	}),
	route('GET', '/postgres/:postgresId/recovery', request => {
		const {addon} = findPostgres(request, request.params.postgresId!);
		return ok({recoveryStatus: 'AVAILABLE', startsAt: new Date(Math.max(addon.createdAt, request.scope.t - (7 * 24 * 60 * 60 * 1000))).toISOString()});
	}),
	route('POST', '/postgres/:postgresId/recovery', request => {
		const {project, addon, recovered: source} = findPostgres(request, request.params.postgresId!);
		if (source) {
			throw conflict(`postgres ${source.id} is itself a recovery record; recover from the original`);
		}

		const body = objectBody(request.body);
		const restoreTime = new Date(requiredString(body, 'restoreTime')).getTime();
		if (Number.isNaN(restoreTime)) {
			throw badRequest('restoreTime must be an RFC 3339 date-time');
		}

		const recovered = recover(request, project, addon, {restoreTime, restoreName: optionalString(body, 'restoreName')});
		return ok(withProject(request.scope, project, recoveredView({...request.scope, t: request.platform.now()}, recovered, addon)));
	}),

	route('GET', '/logs', request => ok(logsPage(request.platform, request.query))),
];
