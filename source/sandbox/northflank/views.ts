// The sandbox's records rendered as Northflank API v1 objects at time `t`: field names, enums and
// time formats as in the reference (ISO strings, except `buildConcludedAt` and container times,
// which are unix seconds).
import {
	addonStatusAt,
	buildStatusAt,
	containerStatusAt,
	jobRunStatusAt,
	latestRollout,
	operationStatusAt,
	rolloutStatusAt,
	servingBuildId,
} from '../lifecycle.js';
import type {DatabaseConnection} from '../../core/database.js';
import type {
	AddonRecord,
	BackupRecord,
	BuildRecord,
	JobRecord,
	JobRunRecord,
	ProjectRecord,
	RestoreRecord,
	SandboxState,
	ServiceRecord,
} from '../state.js';

/** Where a record lives, for ids that embed the team and project. */
export type Scope = {state: SandboxState; project: ProjectRecord; t: number};

const iso = (ms: number) => new Date(ms).toISOString();
const unixSeconds = (ms: number) => Math.floor(ms / 1000);
const appId = (scope: Scope, id: string) => `/${scope.state.team.id}/${scope.project.id}/${id}`;

function cluster(project: ProjectRecord) {
	return {id: `nf-${project.region}`, name: `nf-${project.region}`, namespace: `ns-${project.id}`};
}

export function projectSummary(project: ProjectRecord) {
	return {id: project.id, name: project.name, description: project.description};
}

export function projectDetail(scope: Scope) {
	const {project} = scope;
	return {
		...projectSummary(project),
		deployment: {region: project.region},
		createdAt: iso(project.createdAt),
		services: project.services.map(service => ({id: service.id, appId: appId(scope, service.id), name: service.name, description: service.description, serviceType: service.serviceType})),
		jobs: project.jobs.map(job => ({id: job.id, appId: appId(scope, job.id), name: job.name, description: job.description, jobType: job.jobType})),
		addons: project.addons.map(addon => ({id: addon.id, appId: appId(scope, addon.id), name: addon.name, description: addon.description, spec: {type: addon.type}})),
		cluster: cluster(project),
	};
}

function serviceStatus(service: ServiceRecord, t: number) {
	const newestBuild = service.builds[0];
	const rollout = latestRollout(service);
	const build = newestBuild ? buildStatusAt(newestBuild, t) : undefined;
	const deployment = rollout ? rolloutStatusAt(rollout, t) : undefined;
	return {
		...(build ? {build: {status: build.status, lastTransitionTime: iso(build.since)}} : {}),
		...(deployment ? {deployment: {status: deployment.status, reason: 'DEPLOYING', lastTransitionTime: iso(deployment.since)}} : {}),
	};
}

export function serviceSummary(scope: Scope, service: ServiceRecord) {
	return {
		id: service.id,
		appId: appId(scope, service.id),
		projectId: scope.project.id,
		name: service.name,
		tags: [],
		description: service.description,
		serviceType: service.serviceType,
		// Releases go through the console (migrate, then deploy), so pushes neither build nor deploy.
		disabledCI: true,
		disabledCD: true,
		status: serviceStatus(service, scope.t),
	};
}

function shaOf(service: ServiceRecord, buildId: string | undefined): string | undefined {
	return service.builds.find(build => build.id === buildId)?.sha;
}

function internalSource(scope: Scope, service: ServiceRecord) {
	const deployedSHA = shaOf(service, servingBuildId(service, scope.t));
	return {
		nfObjectId: service.id,
		nfObjectType: 'service',
		repository: service.repository.url,
		branch: service.repository.branch,
		buildSHA: shaOf(service, service.deployedBuildId) ?? '',
		...(deployedSHA ? {deployedSHA} : {}),
	};
}

export function portsView(scope: Scope, service: ServiceRecord) {
	return service.ports.map(port => ({
		...port,
		...(port.public ? {dns: `${port.name}--${service.id}--${scope.project.id}.sandbox.localhost`} : {}),
		domains: [],
	}));
}

export function healthChecksView(service: ServiceRecord) {
	return service.healthChecks.map(check => ({
		protocol: check.protocol,
		type: check.type,
		path: check.path,
		httpPort: check.port,
		initialDelaySeconds: check.initialDelaySeconds,
		periodSeconds: check.periodSeconds,
		timeoutSeconds: check.timeoutSeconds,
		failureThreshold: check.failureThreshold,
		successThreshold: 1,
	}));
}

export function serviceDetail(scope: Scope, service: ServiceRecord) {
	return {
		...serviceSummary(scope, service),
		createdAt: iso(service.createdAt),
		billing: {deploymentPlan: service.deploymentPlan},
		servicePaused: false,
		buildSource: 'git',
		vcsData: {
			projectUrl: service.repository.url,
			projectType: service.repository.projectType,
			projectBranch: service.repository.branch,
			publicRepo: false,
			dockerWorkDir: service.repository.dockerWorkDir,
			dockerFilePath: service.repository.dockerFilePath,
		},
		deployment: {
			region: scope.project.region,
			instances: service.instances,
			internal: internalSource(scope, service),
			docker: service.docker,
		},
		ports: portsView(scope, service),
		cluster: cluster(scope.project),
	};
}

export function serviceDeploymentView(scope: Scope, service: ServiceRecord) {
	return {
		region: scope.project.region,
		instances: service.instances,
		docker: service.docker,
		internal: {
			appId: appId(scope, service.id),
			...internalSource(scope, service),
			buildId: service.deployedBuildId,
		},
	};
}

export function buildView(scope: Scope, service: ServiceRecord, build: BuildRecord) {
	const {status} = buildStatusAt(build, scope.t);
	const concluded = scope.t >= build.concludesAt;
	return {
		id: build.id,
		branch: build.branch,
		pullRequestId: null,
		status,
		sha: build.sha,
		...(status === 'SUCCESS' ? {registry: {uri: `registry.sandbox.localhost/${scope.state.team.id}/${scope.project.id}/${service.id}:${build.id}`}} : {}),
		concluded,
		createdAt: iso(build.createdAt),
		...(concluded ? {success: build.result === 'SUCCESS', buildConcludedAt: unixSeconds(build.concludesAt)} : {}),
		message: buildMessage(build, status),
	};
}

function buildMessage(build: BuildRecord, status: string): string {
	switch (status) {
		case 'SUCCESS': {
			return 'Image successfully built';
		}

		case 'FAILURE': {
			return build.failureReason ?? 'Build failed';
		}

		case 'ABORTED': {
			return 'Build aborted';
		}

		case 'QUEUED': {
			return 'Build queued';
		}

		default: {
			return `Build in progress: ${status.toLowerCase()}`;
		}
	}
}

export function containersView(service: ServiceRecord, t: number) {
	return service.containers.flatMap(container => {
		const status = containerStatusAt(container, t);
		return status
			? [{name: container.name, createdAt: unixSeconds(container.createdAt), status: status.status, nodeName: 'sandbox-node-1', host: '127.0.0.1', updatedAt: unixSeconds(status.since)}]
			: [];
	});
}

export function addonSummary(scope: Scope, addon: AddonRecord) {
	return {
		id: addon.id,
		name: addon.name,
		appId: appId(scope, addon.id),
		tags: [],
		description: addon.description,
		spec: {type: addon.type},
		status: addonStatusAt(addon, scope.t),
	};
}

export function addonDetail(scope: Scope, addon: AddonRecord) {
	return {
		...addonSummary(scope, addon),
		createdAt: iso(addon.createdAt),
		spec: {
			type: addon.type,
			config: {
				versionTag: addon.versionTag,
				lifecycleStatus: 'active',
				deployment: {replicas: addon.replicas, storageClass: addon.storageClass, storageSize: addon.storageSizeMb, planId: addon.planId, region: scope.project.region},
				networking: {tlsEnabled: addon.tlsEnabled, externalAccessEnabled: addon.externalAccessEnabled},
			},
		},
		cluster: cluster(scope.project),
	};
}

/** A PostgreSQL addon's credentials; the password is the addon's secret and goes nowhere else. */
export function credentialsView(connection: DatabaseConnection) {
	return {
		secrets: {username: connection.user, password: connection.password ?? ''},
		envs: {HOST: connection.host, PORT: String(connection.port), DATABASE: connection.database, TLS_ENABLED: 'false'},
	};
}

export function addonContainersView(addon: AddonRecord, t: number) {
	const since = addon.restores.find(restore => restore.running !== true && restore.completesAt <= t)?.completesAt ?? addon.createdAt;
	return Array.from({length: addon.replicas}, (_, index) => ({
		name: `${addon.id}-${index}`,
		createdAt: unixSeconds(addon.createdAt),
		status: 'TASK_RUNNING',
		nodeName: 'sandbox-node-1',
		host: '127.0.0.1',
		updatedAt: unixSeconds(since),
	}));
}

export function backupView(addon: AddonRecord, backup: BackupRecord, t: number) {
	const status = operationStatusAt(backup, t);
	const lastRestore = addon.restores.find(restore => restore.backupId === backup.id);
	return {
		id: backup.id,
		name: backup.name,
		status: status.status,
		createdAt: iso(backup.createdAt),
		...(status.status === 'in-progress' ? {} : {completedAt: iso(backup.completesAt)}),
		config: {
			source: {type: backup.backupType === 'snapshot' ? 'snapshot' : 'liveInstance'},
			size: status.status === 'completed' ? String(backup.sizeBytes) : '0',
			...(backup.compressionType ? {compressionType: backup.compressionType} : {}),
			addonVersion: backup.addonVersion,
		},
		...(lastRestore ? {lastRestore: restoreSummary(lastRestore, t)} : {}),
	};
}

function restoreSummary(restore: RestoreRecord, t: number) {
	const status = operationStatusAt(restore, t);
	return {
		restoreTimestamp: iso(restore.startedAt),
		status: status.status,
		...(status.status === 'in-progress' ? {} : {completedAt: iso(restore.completesAt)}),
	};
}

export function restoreView(restore: RestoreRecord, t: number) {
	return {id: restore.id, ...restoreSummary(restore, t), backupId: restore.backupId};
}

export function jobSummary(scope: Scope, job: JobRecord) {
	return {
		id: job.id,
		projectId: scope.project.id,
		appId: appId(scope, job.id),
		name: job.name,
		tags: [],
		description: job.description,
		jobType: job.jobType,
		disabledCI: true,
		disabledCD: true,
		suspended: false,
	};
}

export function jobDetail(scope: Scope, job: JobRecord) {
	return {
		...jobSummary(scope, job),
		createdAt: iso(job.createdAt),
		deployment: {region: scope.project.region, docker: job.docker},
		billing: {deploymentPlan: job.deploymentPlan},
		settings: {backoffLimit: job.backoffLimit, activeDeadlineSeconds: job.activeDeadlineSeconds},
		cluster: cluster(scope.project),
	};
}

export function jobDeploymentView(scope: Scope, job: JobRecord) {
	const source = scope.project.services.find(service => service.id === job.source.serviceId);
	const build = source?.builds.find(candidate => candidate.id === job.source.buildId);
	return {
		region: scope.project.region,
		docker: job.docker,
		internal: {
			appId: appId(scope, job.source.serviceId),
			nfObjectId: job.source.serviceId,
			repository: source?.repository.url ?? '',
			branch: build?.branch ?? source?.repository.branch ?? '',
			buildId: job.source.buildId,
			buildSHA: build?.sha ?? '',
		},
	};
}

export function jobRunView(job: JobRecord, run: JobRunRecord, t: number) {
	const {status} = jobRunStatusAt(run, t);
	const concluded = status !== 'RUNNING';
	return {
		id: run.id,
		runName: run.runName,
		status,
		active: concluded ? 0 : 1,
		succeeded: status === 'SUCCESS' ? 1 : 0,
		failed: status === 'FAILED' ? 1 : 0,
		completions: 1,
		backoffLimit: job.backoffLimit,
		concluded,
		startedAt: iso(run.startedAt),
		...(concluded ? {concludedAt: iso(run.concludesAt)} : {}),
	};
}
