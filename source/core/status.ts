import type {Build, Container, Health, JobRun, Service, Backup, Addon} from './types.js';

export type DerivedHealth = {health: Health; reason: string};

/**
 * How a service is doing, from its deployment status, its containers and its latest build.
 * `containers` undefined means they have not been fetched yet.
 */
export function deriveServiceHealth(service: Service, containers: Container[] | undefined, latestBuild?: Build): DerivedHealth {
	if (service.paused) {
		return {health: 'paused', reason: 'service is paused'};
	}

	const running = containers?.filter(container => container.status === 'running').length;
	const failed = containers?.filter(container => container.status === 'failed').length ?? 0;
	const wanted = service.instances;
	const deployment = service.deployment.status;

	if (deployment === 'pending' || deployment === 'in-progress') {
		const serving = running === undefined ? '' : `, ${running} serving`;
		return {health: 'deploying', reason: `deployment ${service.deployment.reason?.toLowerCase() ?? 'in progress'}${serving}`};
	}

	if (deployment === 'failed') {
		return running !== undefined && running > 0
			? {health: 'degraded', reason: `last deployment failed; ${running} container${running === 1 ? '' : 's'} still serving`}
			: {health: 'down', reason: 'last deployment failed and nothing is running'};
	}

	if (running !== undefined) {
		if (running === 0) {
			return wanted === 0
				? {health: 'paused', reason: 'scaled to 0 instances'}
				: {health: 'down', reason: failed > 0 ? `${failed} container${failed === 1 ? '' : 's'} failed, none running` : 'no container running'};
		}

		if (failed > 0 || (wanted !== undefined && running < wanted)) {
			return {health: 'degraded', reason: `${running} of ${wanted ?? running + failed} instances running`};
		}
	}

	if (latestBuild?.status === 'failure') {
		return {health: 'degraded', reason: `latest build ${shortSha(latestBuild.sha) ?? latestBuild.id} failed; still serving the previous build`};
	}

	if (deployment === 'unknown') {
		return {health: 'unknown', reason: 'deployment status unknown'};
	}

	const instances = running ?? wanted;
	return {health: 'healthy', reason: instances === undefined ? 'deployment completed' : `${instances} instance${instances === 1 ? '' : 's'} running`};
}

export function shortSha(sha: string | undefined): string | undefined {
	return sha?.slice(0, 7);
}

export function isBuildInTransition(build: Pick<Build, 'status'> | undefined): boolean {
	return build?.status === 'queued' || build?.status === 'building';
}

/** Whether anything on the dashboard is moving, so it deserves quick refreshes. */
export function isServiceInTransition(service: Service, builds: Build[] = []): boolean {
	return service.deployment.status === 'pending'
		|| service.deployment.status === 'in-progress'
		|| isBuildInTransition(service.build)
		|| builds.some(build => isBuildInTransition(build));
}

export function isAddonInTransition(addon: Addon, backups: Backup[] = []): boolean {
	return addon.status === 'busy' || backups.some(backup => backup.status === 'in-progress');
}

export function isJobInTransition(runs: JobRun[] = []): boolean {
	return runs.some(run => run.status === 'running');
}
