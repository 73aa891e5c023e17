// Render's objects as the console's platform-neutral model. Render has no service status: a service's
// health comes from its suspension, its latest deploy, its instances and its recent events.
import type {DatabaseConnection} from '../../core/database.js';
import type {Addon, AddonStatus, Backup, Build, BuildStatus, Container, DeploymentStatus, JobRun, JobRunStatus, Service} from '../../core/types.js';
import type {WireConnectionInfo, WireDeploy, WireDeployStatus, WireEvent, WireExport, WireInstance, WireJob, WirePostgres, WireService} from './wire.js';

export function toDate(value: string | undefined): Date | undefined {
	if (value === undefined || value === '') {
		return undefined;
	}

	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Every deploy status Render documents, as a build (the deploy's build step) and a deployment (its roll-out). */
const deployStatuses: Record<WireDeployStatus, {build: BuildStatus; deployment: DeploymentStatus}> = {
	created: {build: 'queued', deployment: 'pending'},
	queued: {build: 'queued', deployment: 'pending'},
	build_in_progress: {build: 'building', deployment: 'in-progress'},
	update_in_progress: {build: 'success', deployment: 'in-progress'},
	pre_deploy_in_progress: {build: 'success', deployment: 'in-progress'},
	live: {build: 'success', deployment: 'completed'},
	deactivated: {build: 'success', deployment: 'completed'},
	build_failed: {build: 'failure', deployment: 'failed'},
	update_failed: {build: 'success', deployment: 'failed'},
	pre_deploy_failed: {build: 'success', deployment: 'failed'},
	canceled: {build: 'aborted', deployment: 'failed'},
};

export const deployStatusNames = Object.keys(deployStatuses) as WireDeployStatus[];

/** A deploy that has stopped moving (render-oss/cli's terminal set). */
export function isDeployFinished(status: string | undefined): boolean {
	return status === 'live' || status === 'deactivated' || status === 'build_failed' || status === 'update_failed' || status === 'canceled' || status === 'pre_deploy_failed';
}

export function mapDeployBuildStatus(status: string | undefined): BuildStatus {
	return deployStatuses[status as WireDeployStatus]?.build ?? 'unknown';
}

/** A deploy as a Build: on Render every deploy builds (or reuses) one artifact, and the deploy id names it. */
export function mapDeploy(wire: WireDeploy): Build {
	return {
		id: wire.id,
		sha: wire.commit?.id ?? wire.image?.sha,
		message: wire.commit?.message ?? wire.image?.ref,
		status: mapDeployBuildStatus(wire.status),
		rawStatus: wire.status ?? 'unknown',
		createdAt: toDate(wire.createdAt),
		concludedAt: toDate(wire.finishedAt),
	};
}

/**
 * The service's deployment as the console sees it. A deploy that failed or was canceled before it
 * went live leaves the previous live deploy serving (Render's zero-downtime model), so the service's
 * deployment is still `completed`; the failure shows as the latest build's status. An instance failing
 * after the last deploy ended (a `server_failed` event newer than every `deploy_ended`,
 * `server_available` and `server_restarted`) marks the deployment failed.
 */
export function mapService(wire: WireService, deploys: WireDeploy[] = [], events: WireEvent[] = []): Service {
	const latest = deploys[0];
	const live = deploys.find(deploy => deploy.status === 'live');
	const latestState = latest?.status === undefined ? undefined : deployStatuses[latest.status];
	let deployment: Service['deployment'] = {status: 'unknown', rawStatus: latest?.status ?? 'no deploys'};
	if (latest && latestState) {
		const failedBeforeLive = latestState.deployment === 'failed' && latest.status !== 'update_failed' && live !== undefined;
		deployment = failedBeforeLive
			? {status: 'completed', rawStatus: live.status!, reason: `latest deploy ${latest.status}; ${live.id} still live`, since: toDate(live.finishedAt)}
			: {status: latestState.deployment, rawStatus: latest.status!, reason: latest.status!.replaceAll('_', ' '), since: toDate(latest.finishedAt ?? latest.updatedAt ?? latest.createdAt)};
	}

	const failure = instanceFailure(events);
	if (failure && deployment.status === 'completed') {
		deployment = {status: 'failed', rawStatus: 'server_failed', reason: failure, since: deployment.since};
	}

	const details = wire.serviceDetails ?? {};
	return {
		id: wire.id,
		name: wire.name,
		kind: wire.type,
		deployment,
		...(latest ? {build: {status: mapDeployBuildStatus(latest.status), rawStatus: latest.status ?? 'unknown', since: toDate(latest.updatedAt ?? latest.createdAt)}} : {}),
		paused: wire.suspended === 'suspended',
		instances: details.numInstances,
		deployedSha: live?.commit?.id ?? live?.image?.sha,
		deployedBuildId: live?.id,
		branch: wire.branch,
		repository: wire.repo,
		ports: details.openPorts?.map(port => ({name: `${port.protocol.toLowerCase()}-${port.port}`, port: port.port, protocol: port.protocol, public: wire.type === 'web_service'})),
		healthPath: details.healthCheckPath || undefined,
	};
}

const settling = new Set(['deploy_ended', 'server_available', 'server_restarted', 'service_resumed']);

function instanceFailure(events: WireEvent[]): string | undefined {
	const newest = [...events].sort((a, b) => b.timestamp.localeCompare(a.timestamp)).find(event => event.type === 'server_failed' || settling.has(event.type));
	if (newest?.type !== 'server_failed') {
		return undefined;
	}

	const instance = typeof newest.details?.instanceID === 'string' ? newest.details.instanceID : 'an instance';
	return `${instance} failed at ${newest.timestamp}`;
}

/** Render lists instances without a status: each one listed is running. */
export function mapInstance(wire: WireInstance): Container {
	return {name: wire.id, status: 'running', rawStatus: 'listed', createdAt: toDate(wire.createdAt)};
}

const postgresStatuses: Record<string, AddonStatus> = {
	available: 'running',
	creating: 'busy',
	config_restart: 'busy',
	updating_instance: 'busy',
	maintenance_in_progress: 'busy',
	recovery_in_progress: 'busy',
	maintenance_scheduled: 'running',
	suspended: 'paused',
	unavailable: 'failed',
	recovery_failed: 'failed',
	unknown: 'unknown',
};

export function mapPostgres(wire: WirePostgres): Addon {
	return {
		id: wire.id,
		name: wire.name,
		type: 'postgresql',
		version: wire.version,
		status: wire.suspended === 'suspended' ? 'paused' : postgresStatuses[wire.status ?? ''] ?? 'unknown',
		rawStatus: wire.status ?? 'unknown',
		storageMb: wire.diskSizeGB === undefined ? undefined : wire.diskSizeGB * 1024,
	};
}

/** An export is Render's logical backup: it has a download `url` once it is complete. */
export function mapExport(wire: WireExport): Backup {
	return {
		id: wire.id,
		status: wire.url === undefined ? 'in-progress' : 'completed',
		rawStatus: wire.url === undefined ? 'exporting' : 'exported',
		kind: 'export',
		createdAt: toDate(wire.createdAt),
	};
}

const jobStatuses: Record<string, JobRunStatus> = {pending: 'running', running: 'running', succeeded: 'success', failed: 'failed', canceled: 'failed'};

export function mapJob(wire: WireJob): JobRun {
	return {
		id: wire.id,
		name: wire.startCommand,
		status: jobStatuses[wire.status ?? ''] ?? 'unknown',
		rawStatus: wire.status ?? 'unknown',
		startedAt: toDate(wire.startedAt ?? wire.createdAt),
		concludedAt: toDate(wire.finishedAt),
	};
}

/** Connection details from `connection-info`'s external URL; the password stays in the returned object only. */
export function mapConnectionInfo(wire: WireConnectionInfo, source: string): DatabaseConnection {
	const url = new URL(wire.externalConnectionString);
	const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
	return {
		host: url.hostname,
		port: url.port === '' ? 5432 : Number(url.port),
		database: decodeURIComponent(url.pathname.replace(/^\//, '')),
		user: decodeURIComponent(url.username),
		password: wire.password,
		ssl: local ? 'disable' : 'require',
		source,
	};
}
