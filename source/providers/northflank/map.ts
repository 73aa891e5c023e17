import type {Addon, AddonStatus, Backup, BackupStatus, Build, BuildStatus, Container, ContainerStatus, DeploymentStatus, Job, JobRun, JobRunStatus, Project, Service} from '../../core/types.js';
import type {WireAddon, WireBackup, WireBuild, WireContainer, WireHealthCheck, WireJob, WireJobRun, WireProject, WireService, WireServiceSummary} from './wire.js';

/** Northflank mixes ISO strings and Unix seconds; both become Dates. */
export function toDate(value: number | string | undefined): Date | undefined {
	if (value === undefined || value === null || value === '') {
		return undefined;
	}

	const date = typeof value === 'number' ? new Date(value < 1e12 ? value * 1000 : value) : new Date(value);
	return Number.isNaN(date.getTime()) ? undefined : date;
}

const buildStatuses: Record<string, BuildStatus> = {
	QUEUED: 'queued',
	PENDING: 'queued',
	UNSCHEDULABLE: 'queued',
	STARTING: 'building',
	CLONING: 'building',
	BUILDING: 'building',
	UPLOADING: 'building',
	IN_PROGRESS: 'building',
	SUCCESS: 'success',
	FAILURE: 'failure',
	SUBMISSION_FAILURE: 'failure',
	CRASHED: 'failure',
	ABORTED: 'aborted',
};

const deploymentStatuses: Record<string, DeploymentStatus> = {
	PENDING: 'pending',
	IN_PROGRESS: 'in-progress',
	COMPLETED: 'completed',
	FAILED: 'failed',
};

const containerStatuses: Record<string, ContainerStatus> = {
	TASK_RUNNING: 'running',
	TASK_STARTING: 'starting',
	TASK_STAGING: 'starting',
	TASK_KILLING: 'stopping',
	TASK_KILLED: 'stopped',
	TASK_FAILED: 'failed',
	TASK_FINISHED: 'finished',
};

const addonStatuses: Record<string, AddonStatus> = {
	running: 'running',
	paused: 'paused',
	failed: 'failed',
	error: 'failed',
	errorAllocating: 'failed',
	deleted: 'failed',
};

const backupStatuses: Record<string, BackupStatus> = {
	scheduled: 'scheduled',
	'in-progress': 'in-progress',
	completed: 'completed',
	failed: 'failed',
	aborting: 'in-progress',
	aborted: 'aborted',
	'not-supported': 'failed',
};

const jobRunStatuses: Record<string, JobRunStatus> = {
	RUNNING: 'running',
	SUCCESS: 'success',
	FAILED: 'failed',
};

export const mapBuildStatus = (raw: string | undefined): BuildStatus => buildStatuses[raw ?? ''] ?? 'unknown';
export const mapDeploymentStatus = (raw: string | undefined): DeploymentStatus => deploymentStatuses[raw ?? ''] ?? 'unknown';

export function mapProject(wire: WireProject): Project {
	return {id: wire.id, name: wire.name, region: wire.deployment?.region};
}

export function mapService(wire: WireService | WireServiceSummary, healthChecks: WireHealthCheck[] = []): Service {
	const detail = wire as WireService;
	const internal = detail.deployment?.internal;
	const build = wire.status?.build;
	const deployment = wire.status?.deployment;
	const httpCheck = healthChecks.find(check => check.path !== undefined && (check.protocol ?? 'HTTP').toUpperCase().startsWith('HTTP'));
	return {
		id: wire.id,
		name: wire.name,
		kind: wire.serviceType ?? 'service',
		deployment: {
			status: mapDeploymentStatus(deployment?.status),
			rawStatus: deployment?.status ?? 'UNKNOWN',
			reason: deployment?.reason,
			since: toDate(deployment?.lastTransitionTime),
		},
		build: build?.status ? {status: mapBuildStatus(build.status), rawStatus: build.status, since: toDate(build.lastTransitionTime)} : undefined,
		paused: detail.servicePaused ?? false,
		instances: detail.deployment?.instances,
		deployedSha: internal?.deployedSHA ?? internal?.buildSHA,
		deployedBuildId: internal?.buildId,
		branch: internal?.branch,
		repository: internal?.repository,
		ports: detail.ports?.map(port => ({
			name: port.name ?? String(port.internalPort ?? ''),
			port: port.internalPort ?? 0,
			protocol: port.protocol ?? 'HTTP',
			public: port.public ?? false,
		})),
		healthPath: httpCheck?.path,
	};
}

export function mapContainer(wire: WireContainer): Container {
	return {
		name: wire.name,
		status: containerStatuses[wire.status ?? ''] ?? 'unknown',
		rawStatus: wire.status ?? 'UNKNOWN',
		createdAt: toDate(wire.createdAt),
	};
}

export function mapBuild(wire: WireBuild): Build {
	return {
		id: wire.id,
		sha: wire.sha,
		branch: wire.branch,
		message: wire.message,
		status: mapBuildStatus(wire.status),
		rawStatus: wire.status ?? 'UNKNOWN',
		createdAt: toDate(wire.createdAt),
		concludedAt: toDate(wire.buildConcludedAt),
	};
}

export function mapAddon(wire: WireAddon): Addon {
	const raw = wire.status ?? 'unknown';
	return {
		id: wire.id,
		name: wire.name,
		type: wire.spec?.type ?? 'addon',
		version: wire.spec?.config?.versionTag,
		status: addonStatuses[raw] ?? (raw === 'unknown' ? 'unknown' : 'busy'),
		rawStatus: raw,
		storageMb: wire.spec?.config?.deployment?.storageSize,
		replicas: wire.spec?.config?.deployment?.replicas,
	};
}

export function mapBackup(wire: WireBackup): Backup {
	return {
		id: wire.id,
		name: wire.name,
		status: backupStatuses[wire.status ?? ''] ?? 'unknown',
		rawStatus: wire.status ?? 'unknown',
		kind: wire.backupType ?? wire.config?.backupType ?? wire.config?.source?.type,
		sizeBytes: wire.config?.size,
		createdAt: toDate(wire.createdAt),
		completedAt: toDate(wire.completedAt),
	};
}

export function mapJob(wire: WireJob): Job {
	return {
		id: wire.id,
		name: wire.name,
		kind: wire.jobType ?? 'manual',
		suspended: wire.suspended ?? false,
		schedule: wire.settings?.cron?.schedule,
	};
}

export function mapJobRun(wire: WireJobRun): JobRun {
	return {
		id: wire.id,
		name: wire.runName,
		status: jobRunStatuses[wire.status ?? ''] ?? 'unknown',
		rawStatus: wire.status ?? 'UNKNOWN',
		startedAt: toDate(wire.startedAt),
		concludedAt: toDate(wire.concludedAt),
	};
}
