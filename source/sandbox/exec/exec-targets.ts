// Which containers an exec session may enter: the running instances of a service, a job or an addon,
// and the one the client asked for (or a random one).
import {ApiError} from '../api-error.js';
import {containerStatusAt, jobRunStatusAt} from '../lifecycle.js';
import type {SandboxPlatform} from '../platform.js';
import type {Route} from '../router.js';

/** A pod and the container in it; the sandbox gives every pod one container, named after its workload. */
export type RunningInstance = {instanceName: string; containerName: string};

export type ExecWorkload = {kind: 'service' | 'job' | 'addon'; id: string; instances: RunningInstance[]};

export type WorkloadFinder = (platform: SandboxPlatform, params: Record<string, string>) => ExecWorkload;

const route = (pattern: string, handler: WorkloadFinder): Route<WorkloadFinder> => ({method: 'GET', pattern, handler});

/** Paths below `/v1/command-exec`, once the team scope is taken off. */
export const execRoutes: ReadonlyArray<Route<WorkloadFinder>> = [
	route('/projects/:projectId/services/:serviceId', (platform, params) => {
		const service = platform.service(platform.project(params.projectId!), params.serviceId!);
		const t = platform.now();
		const running = service.containers.filter(container => containerStatusAt(container, t)?.status === 'TASK_RUNNING');
		return {kind: 'service', id: service.id, instances: running.map(container => ({instanceName: container.name, containerName: service.id}))};
	}),
	route('/projects/:projectId/jobs/:jobId', (platform, params) => {
		const job = platform.job(platform.project(params.projectId!), params.jobId!);
		const t = platform.now();
		const running = job.runs.filter(run => jobRunStatusAt(run, t).status === 'RUNNING');
		return {kind: 'job', id: job.id, instances: running.map(run => ({instanceName: run.runName, containerName: job.id}))};
	}),
	route('/projects/:projectId/addons/:addonId', (platform, params) => {
		const addon = platform.addon(platform.project(params.projectId!), params.addonId!);
		const instances = Array.from({length: addon.replicas}, (_, index) => ({instanceName: `${addon.id}-${index}`, containerName: addon.id}));
		return {kind: 'addon', id: addon.id, instances};
	}),
];

/** The instance and container to run in, as asked; a random running one when no instance is named. */
export function chooseInstance(workload: ExecWorkload, wanted: {instanceName?: string; containerName?: string}, random: () => number = Math.random): RunningInstance {
	const what = `${workload.kind} "${workload.id}"`;
	if (workload.instances.length === 0) {
		throw new ApiError(409, `Cannot exec into ${what}: it is not running (no running container)`);
	}

	let candidates = workload.instances;
	if (wanted.instanceName !== undefined) {
		candidates = candidates.filter(instance => instance.instanceName === wanted.instanceName);
		if (candidates.length === 0) {
			throw new ApiError(404, `Instance "${wanted.instanceName}" is not a running instance of ${what}; running: ${names(workload.instances.map(instance => instance.instanceName))}`);
		}
	}

	if (wanted.containerName !== undefined) {
		const inInstance = candidates;
		candidates = candidates.filter(instance => instance.containerName === wanted.containerName);
		if (candidates.length === 0) {
			throw new ApiError(404, `Container "${wanted.containerName}" not found in ${what}; its containers: ${names(inInstance.map(instance => instance.containerName))}`);
		}
	}

	return candidates[Math.floor(random() * candidates.length)]!;
}

function names(list: string[]): string {
	return [...new Set(list)].join(', ');
}
