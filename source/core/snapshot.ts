import type {Provider} from './provider.js';
import {deriveServiceHealth} from './status.js';
import type {Addon, Backup, Build, Container, DashboardSnapshot, Job, JobRun, Project, Service} from './types.js';

/** What has been fetched so far; maps are keyed by service, addon or job id. */
export type SnapshotParts = {
	project?: Project;
	services: Service[];
	addons: Addon[];
	jobs: Job[];
	serviceDetails: ReadonlyMap<string, Service>;
	addonDetails: ReadonlyMap<string, Addon>;
	containers: ReadonlyMap<string, Container[]>;
	builds: ReadonlyMap<string, Build[]>;
	backups: ReadonlyMap<string, Backup[]>;
	runs: ReadonlyMap<string, JobRun[]>;
};

export function assembleSnapshot(parts: SnapshotParts): DashboardSnapshot {
	return {
		project: parts.project,
		services: parts.services.map(summary => {
			// The list is fresher for statuses; the detail adds instances, SHA, ports and health path.
			const detail = parts.serviceDetails.get(summary.id);
			const service: Service = detail ? {...detail, deployment: summary.deployment, build: summary.build ?? detail.build, name: summary.name} : {...summary};
			// Northflank's service detail names the deployed SHA, not the build; the build list has both.
			service.deployedBuildId ??= parts.builds.get(summary.id)?.find(build => build.sha !== undefined && build.sha === service.deployedSha)?.id;
			const containers = parts.containers.get(summary.id);
			const {health, reason} = deriveServiceHealth(service, containers, parts.builds.get(summary.id)?.[0]);
			return {...service, containers: containers ?? [], health, healthReason: reason};
		}),
		addons: parts.addons.map(summary => {
			const detail = parts.addonDetails.get(summary.id);
			// The list's status is the fresher one.
			const addon: Addon = detail ? {...detail, status: summary.status, rawStatus: summary.rawStatus, name: summary.name} : summary;
			const backups = parts.backups.get(addon.id) ?? [];
			return {...addon, backups, lastBackup: backups.find(backup => backup.status === 'completed') ?? backups[0]};
		}),
		jobs: parts.jobs.map(job => {
			const runs = parts.runs.get(job.id) ?? [];
			return {...job, runs, lastRun: runs[0]};
		}),
		builds: Object.fromEntries(parts.builds),
	};
}

/** Fetches everything once: for one-shot commands such as `wheelhouse status`. */
export async function loadSnapshot(provider: Provider): Promise<DashboardSnapshot> {
	const [project, services, addons, jobs] = await Promise.all([
		provider.getProject(),
		provider.listServices(),
		provider.listAddons(),
		provider.listJobs(),
	]);
	const serviceDetails = new Map<string, Service>();
	const addonDetails = new Map<string, Addon>();
	const containers = new Map<string, Container[]>();
	const builds = new Map<string, Build[]>();
	const backups = new Map<string, Backup[]>();
	const runs = new Map<string, JobRun[]>();
	await Promise.all([
		...services.map(async service => {
			const [detail, serviceContainers, serviceBuilds] = await Promise.all([
				provider.getService(service.id),
				provider.listContainers(service.id),
				provider.listBuilds(service.id, 20),
			]);
			serviceDetails.set(service.id, detail);
			containers.set(service.id, serviceContainers);
			builds.set(service.id, serviceBuilds);
		}),
		...addons.map(async addon => {
			const [detail, addonBackups] = await Promise.all([provider.getAddon(addon.id), provider.listBackups(addon.id, 20)]);
			addonDetails.set(addon.id, detail);
			backups.set(addon.id, addonBackups);
		}),
		...jobs.map(async job => {
			runs.set(job.id, await provider.listJobRuns(job.id, 20));
		}),
	]);
	return assembleSnapshot({project, services, addons, jobs, serviceDetails, addonDetails, containers, builds, backups, runs});
}
