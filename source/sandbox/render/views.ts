// The sandbox's records as Render API objects (render-openapi.json's `service`, `deploy`, `owner`,
// `postgres`, job, instance and event shapes) at time `t`.
import {addonStatusAt, containerStatusAt, jobRunStatusAt} from '../lifecycle.js';
import type {AddonRecord, JobRecord, JobRunRecord, ProjectRecord, SandboxState, ServiceRecord} from '../state.js';
import type {DeployRecordView} from './deploys.js';
import type {RecoveredPostgres, RenderFaceState} from './face-state.js';
import {renderIds} from './render-ids.js';

/** `sshPort`: where the sandbox's SSH gateway listens (none before it does). */
export type RenderScope = {state: SandboxState; memo: RenderFaceState; t: number; baseUrl: string; sshPort?: number};

const iso = (ms: number) => new Date(ms).toISOString();

/** Render has no `europe-west`; the sandbox's project region is served as Frankfurt. */
export const renderRegion = 'frankfurt';
export const defaultPlanId = 'plan-srv-006';

export function ownerView(state: SandboxState) {
	return {id: renderIds.owner(state.team.id), name: state.team.name, email: 'ops@sandbox.localhost', type: 'team' as const, twoFactorAuthEnabled: false, ipAllowList: []};
}

function dashboardUrl(kind: string, id: string): string {
	return `https://dashboard.render.com/${kind}/${id}`;
}

/** Where the deployed backend answers: the sandbox's emulation of the service's public port. */
export function publicServiceUrl(scope: RenderScope, project: ProjectRecord, service: ServiceRecord): string {
	return `${scope.baseUrl}/_sandbox/http/projects/${encodeURIComponent(project.id)}/services/${encodeURIComponent(service.id)}`;
}

export function serviceView(scope: RenderScope, project: ProjectRecord, service: ServiceRecord) {
	const id = renderIds.service(service.id);
	const suspendedAt = scope.memo.suspended.get(service.id);
	const health = service.healthChecks.find(check => check.type === 'readinessProbe') ?? service.healthChecks[0];
	const changes = [service.createdAt, ...service.rollouts.map(rollout => rollout.startedAt), suspendedAt ?? 0].filter(at => at <= scope.t);
	return {
		id,
		name: service.name,
		ownerId: renderIds.owner(scope.state.team.id),
		type: 'web_service' as const,
		createdAt: iso(service.createdAt),
		updatedAt: iso(Math.max(...changes)),
		dashboardUrl: dashboardUrl('web', id),
		suspended: suspendedAt === undefined ? 'not_suspended' as const : 'suspended' as const,
		suspenders: suspendedAt === undefined ? [] : ['user' as const],
		autoDeploy: scope.memo.autoDeployOff.has(service.id) ? 'no' as const : 'yes' as const,
		notifyOnFail: 'default' as const,
		slug: service.name,
		rootDir: service.repository.dockerWorkDir.replace(/^\/+/, ''),
		repo: service.repository.url,
		branch: service.repository.branch,
		serviceDetails: {
			env: 'docker' as const,
			runtime: 'docker' as const,
			envSpecificDetails: {
				dockerCommand: service.docker.customCommand ?? '',
				dockerContext: service.repository.dockerWorkDir,
				dockerfilePath: service.repository.dockerFilePath,
				...(scope.memo.preDeployCommands.has(service.id) ? {preDeployCommand: scope.memo.preDeployCommands.get(service.id)} : {}),
			},
			plan: 'standard' as const,
			region: renderRegion,
			numInstances: service.instances,
			buildPlan: 'starter' as const,
			healthCheckPath: health?.path ?? '',
			openPorts: service.ports.map(port => ({port: port.internalPort, protocol: port.protocol === 'UDP' ? 'UDP' as const : 'TCP' as const})),
			url: publicServiceUrl(scope, project, service),
			// Render's SSH gateway (ssh.<region>.render.com); the sandbox's listens on a loopback port of its own.
			sshAddress: scope.sshPort ? `${id}@127.0.0.1:${scope.sshPort}` : `${id}@127.0.0.1`,
			maxShutdownDelaySeconds: 30,
			previews: {generation: 'off' as const},
		},
	};
}

export function deployView(deploy: DeployRecordView) {
	return {
		id: deploy.id,
		commit: {id: deploy.build.sha, message: deploy.build.commitMessage, createdAt: iso(deploy.build.createdAt)},
		status: deploy.status,
		trigger: deploy.trigger,
		createdAt: iso(deploy.createdAt),
		startedAt: iso(deploy.createdAt),
		...(deploy.finishedAt === undefined ? {} : {finishedAt: iso(deploy.finishedAt)}),
		updatedAt: iso(deploy.updatedAt),
	};
}

export function instancesView(service: ServiceRecord, t: number) {
	return service.containers
		.filter(container => containerStatusAt(container, t) !== undefined)
		.map(container => ({id: renderIds.instance(service.id, container.name), createdAt: iso(container.createdAt)}));
}

export type JobStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'canceled';

export function jobStatus(run: JobRunRecord, t: number): JobStatus {
	const {status} = jobRunStatusAt(run, t);
	if (status === 'RUNNING') {
		return 'running';
	}

	if (run.aborted === true) {
		return 'canceled';
	}

	return status === 'SUCCESS' ? 'succeeded' : 'failed';
}

export function jobView(scope: RenderScope, service: ServiceRecord, job: JobRecord, run: JobRunRecord) {
	const status = jobStatus(run, scope.t);
	return {
		id: renderIds.job(run.id),
		serviceId: renderIds.service(service.id),
		startCommand: scope.memo.startCommands.get(run.id) ?? run.command ?? job.docker.customCommand ?? 'python manage.py migrate --noinput',
		planId: defaultPlanId,
		status,
		createdAt: iso(run.startedAt),
		startedAt: iso(run.startedAt),
		...(status === 'running' ? {} : {finishedAt: iso(run.concludesAt)}),
	};
}

function postgresStatus(addon: AddonRecord, t: number) {
	return addonStatusAt(addon, t) === 'restore' ? 'unavailable' as const : 'available' as const;
}

function postgresBase(scope: RenderScope, fields: {id: string; name: string; createdAt: number; updatedAt: number; version: string; status: string; diskSizeGB: number}) {
	return {
		id: fields.id,
		ipAllowList: [],
		createdAt: iso(fields.createdAt),
		updatedAt: iso(fields.updatedAt),
		dashboardUrl: dashboardUrl('d', fields.id),
		databaseName: 'notechondria',
		databaseUser: 'notechondria',
		highAvailabilityEnabled: false,
		name: fields.name,
		owner: ownerView(scope.state),
		plan: 'pro_4gb' as const,
		diskSizeGB: fields.diskSizeGB,
		region: renderRegion,
		readReplicas: [],
		role: 'primary' as const,
		status: fields.status,
		version: fields.version,
		suspended: 'not_suspended' as const,
		suspenders: [],
		diskAutoscalingEnabled: false,
	};
}

export function postgresView(scope: RenderScope, addon: AddonRecord) {
	const changes = [addon.createdAt, ...addon.restores.map(restore => restore.startedAt)].filter(at => at <= scope.t);
	return postgresBase(scope, {
		id: renderIds.postgres(addon.id),
		name: addon.name,
		createdAt: addon.createdAt,
		updatedAt: Math.max(...changes),
		version: addon.versionTag.split('.')[0]!,
		status: postgresStatus(addon, scope.t),
		diskSizeGB: Math.max(1, Math.round(addon.storageSizeMb / 1024)),
	});
}

export function recoveredStatus(recovered: RecoveredPostgres, t: number) {
	if (t < recovered.recoveredAt) {
		return 'recovery_in_progress' as const;
	}

	return t < recovered.availableAt ? 'creating' as const : 'available' as const;
}

export function recoveredView(scope: RenderScope, recovered: RecoveredPostgres, source: AddonRecord) {
	return postgresBase(scope, {
		id: recovered.id,
		name: recovered.name,
		createdAt: recovered.createdAt,
		updatedAt: Math.min(scope.t, recovered.availableAt),
		version: source.versionTag.split('.')[0]!,
		status: recoveredStatus(recovered, scope.t),
		diskSizeGB: Math.max(1, Math.round(source.storageSizeMb / 1024)),
	});
}

/** postgresDetail: the list's fields plus the project it belongs to. */
export function withProject<T extends object>(scope: RenderScope, project: ProjectRecord, postgres: T) {
	return {...postgres, project: {id: `prj-${renderIds.owner(project.id).slice(4)}`, name: project.name, ownerId: renderIds.owner(scope.state.team.id)}};
}
