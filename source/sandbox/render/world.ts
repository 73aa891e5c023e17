// Finding the sandbox's records by their Render ids, and the Render-only operations on them.
import {ApiError, badRequest, conflict} from '../api-error.js';
import type {SandboxDurations} from '../clock.js';
import {buildStatusAt, containerStatusAt, jobRunStatusAt, rolloutStatusAt, servingBuildId} from '../lifecycle.js';
import type {SandboxPlatform} from '../platform.js';
import type {AddonRecord, JobRecord, JobRunRecord, ProjectRecord, ServiceRecord} from '../state.js';
import {deploysOf, type DeployRecordView} from './deploys.js';
import type {DeployTrigger, RecoveredPostgres, RenderFaceState} from './face-state.js';
import {renderIds, renderSuffix} from './render-ids.js';

export type RenderWorld = {platform: SandboxPlatform; memo: RenderFaceState; durations: SandboxDurations};

export type ServiceRef = {project: ProjectRecord; service: ServiceRecord};

export function findService(world: RenderWorld, serviceId: string): ServiceRef {
	for (const project of world.platform.state.projects) {
		const service = project.services.find(candidate => renderIds.service(candidate.id) === serviceId);
		if (service) {
			return {project, service};
		}
	}

	throw new ApiError(404, `service ${serviceId} not found`);
}

export function findDeploy(world: RenderWorld, {service}: ServiceRef, deployId: string): DeployRecordView {
	return deploysOf(service, world.memo, world.platform.now()).find(deploy => deploy.id === deployId) ?? raise(new ApiError(404, `deploy ${deployId} not found`));
}

export function findPostgres(world: RenderWorld, postgresId: string): {project: ProjectRecord; addon: AddonRecord; recovered?: RecoveredPostgres} {
	for (const project of world.platform.state.projects) {
		const addon = project.addons.find(candidate => renderIds.postgres(candidate.id) === postgresId);
		if (addon) {
			return {project, addon};
		}
	}

	const recovered = world.memo.recovered.find(candidate => candidate.id === postgresId);
	if (recovered) {
		const project = world.platform.project(recovered.projectId);
		return {project, addon: world.platform.addon(project, recovered.sourceAddonId), recovered};
	}

	throw new ApiError(404, `postgres ${postgresId} not found`);
}

/** The job that carries a service's one-off jobs: the project's job built from that service. */
export function carrierJob({project, service}: ServiceRef): JobRecord {
	return project.jobs.find(job => job.source.serviceId === service.id)
		?? raise(conflict(`service ${renderIds.service(service.id)} cannot run one-off jobs in the sandbox: no job of its project is built from it`));
}

export function findJobRun(ref: ServiceRef, jobId: string): {job: JobRecord; run: JobRunRecord} {
	const job = carrierJob(ref);
	const run = job.runs.find(candidate => renderIds.job(candidate.id) === jobId);
	return run ? {job, run} : raise(new ApiError(404, `job ${jobId} not found`));
}

/** Rolls out builds of build-and-deploy requests that have finished building; drops those that failed. */
export function advancePendingDeploys(world: RenderWorld): void {
	const {platform, memo} = world;
	const now = platform.now();
	memo.pending = memo.pending.filter(pending => {
		const project = platform.project(pending.projectId);
		const service = platform.service(project, pending.serviceId);
		const build = platform.build(service, pending.buildId);
		const {status} = buildStatusAt(build, now);
		if (status === 'SUCCESS') {
			// A deploy queued behind another rolls out once that one has finished rolling out.
			const current = service.rollouts.at(-1);
			if (current && rolloutStatusAt(current, now).status === 'IN_PROGRESS') {
				return true;
			}

			const preDeploy = preDeployPhase(world, {project, service}, build.id);
			if (preDeploy !== 'passed') {
				return preDeploy === 'running';
			}

			platform.deployBuild(project, service, {serviceId: service.id, buildId: build.id});
			return false;
		}

		return status !== 'FAILURE' && status !== 'ABORTED';
	});
}

/**
 * Render runs the pre-deploy command from the new build, before it takes traffic: here a real job run of
 * the build (against the addon database). A failure ends the deploy `pre_deploy_failed`; the service
 * keeps its live deploy. A service without a command passes at once.
 */
function preDeployPhase(world: RenderWorld, ref: ServiceRef, buildId: string): 'running' | 'passed' | 'failed' {
	const {platform, memo} = world;
	const started = memo.preDeploys.get(buildId);
	if (!started) {
		const command = memo.preDeployCommands.get(ref.service.id);
		if (command === undefined) {
			return 'passed';
		}

		const run = platform.startJobRun(ref.project, carrierJob(ref), {
			build: {serviceId: ref.service.id, buildId},
			docker: {configType: 'customCommand', customCommand: command},
			environment: {RENDER_PRE_DEPLOY: 'true'},
		});
		memo.preDeploys.set(buildId, {run, command});
		return 'running';
	}

	const {status} = jobRunStatusAt(started.run, platform.now());
	return status === 'RUNNING' ? 'running' : status === 'SUCCESS' ? 'passed' : 'failed';
}

/** `POST /services/{id}/deploys`: build then deploy, or redeploy the serving build (`deploy_only`). */
export function triggerDeploy(world: RenderWorld, ref: ServiceRef, body: {commitId?: string; deployMode?: string}): {deployId: string; queued: boolean} {
	const {platform, memo} = world;
	const now = platform.now();
	const busy = deploysOf(ref.service, memo, now).some(deploy => ['created', 'queued', 'build_in_progress', 'update_in_progress', 'pre_deploy_in_progress'].includes(deploy.status));
	if (body.deployMode === 'deploy_only') {
		if (body.commitId !== undefined) {
			throw badRequest('deployMode deploy_only cannot be combined with commitId');
		}

		const buildId = servingBuildId(ref.service, now) ?? raise(conflict('deploy_only needs a live deploy to redeploy; this service has none'));
		const rollout = platform.deployBuild(ref.project, ref.service, {serviceId: ref.service.id, buildId});
		return remember(memo, renderIds.deployOfRollout(rollout.id), 'api', false);
	}

	const build = platform.startBuild(ref.service, body.commitId === undefined ? {} : {sha: body.commitId});
	memo.pending.push({projectId: ref.project.id, serviceId: ref.service.id, buildId: build.id});
	const deployId = renderIds.deployOfBuild(build.id);
	if (busy) {
		memo.queued.add(deployId);
	}

	return remember(memo, deployId, 'api', busy);
}

function remember(memo: RenderFaceState, deployId: string, trigger: DeployTrigger, queued: boolean) {
	memo.triggers.set(deployId, trigger);
	return {deployId, queued};
}

/** `POST /services/{id}/rollback`: the target deploy's build rolls out again (no rebuild). */
export function rollBack(world: RenderWorld, ref: ServiceRef, deployId: string): string {
	const target = findDeploy(world, ref, deployId);
	if (target.status !== 'live' && target.status !== 'deactivated') {
		throw badRequest(`deploy ${deployId} is ${target.status}; only a deploy that went live can be rolled back to`);
	}

	const rollout = world.platform.deployBuild(ref.project, ref.service, {serviceId: ref.service.id, buildId: target.build.id});
	const id = renderIds.deployOfRollout(rollout.id);
	world.memo.triggers.set(id, 'rollback');
	return id;
}

/** Suspending stops every instance (they shut down as on a scale to zero); the deploy stays live. */
export function suspend(world: RenderWorld, {service}: ServiceRef): void {
	const now = world.platform.now();
	if (world.memo.suspended.has(service.id)) {
		return;
	}

	for (const container of service.containers) {
		if (containerStatusAt(container, now) !== undefined) {
			container.killingAt = Math.min(container.killingAt ?? Number.POSITIVE_INFINITY, now);
			container.goneAt = Math.min(container.goneAt ?? Number.POSITIVE_INFINITY, now + world.durations.containerStop);
		}
	}

	world.memo.suspended.set(service.id, now);
	world.memo.notices.push({serviceId: service.id, type: 'service_suspended', at: now});
}

/** Resuming starts the serving build's instances again. */
export function resume(world: RenderWorld, {service}: ServiceRef): void {
	if (!world.memo.suspended.delete(service.id)) {
		return;
	}

	world.platform.restartService(service);
	world.memo.notices.push({serviceId: service.id, type: 'service_resumed', at: world.platform.now()});
}

/** A point-in-time recovery: a new database record that becomes available after a restore's time. */
export function recover(world: RenderWorld, project: ProjectRecord, addon: AddonRecord, body: {restoreTime: number; restoreName?: string}): RecoveredPostgres {
	const now = world.platform.now();
	if (body.restoreTime > now) {
		throw badRequest('restoreTime must not be in the future');
	}

	if (body.restoreTime < addon.createdAt) {
		throw badRequest(`restoreTime is before the database existed (${new Date(addon.createdAt).toISOString()})`);
	}

	const sequence = world.memo.recovered.length + 1;
	const recovered: RecoveredPostgres = {
		id: `dpg-${renderSuffix(`recovery:${addon.id}:${now}:${sequence}`)}-a`,
		name: body.restoreName ?? `${addon.name}-recovery-${sequence}`,
		projectId: project.id,
		sourceAddonId: addon.id,
		restoreTime: body.restoreTime,
		createdAt: now,
		recoveredAt: now + world.durations.restore,
		availableAt: now + world.durations.restore + world.durations.containerStart,
	};
	world.memo.recovered.push(recovered);
	return recovered;
}

export function raise(error: Error): never {
	throw error;
}
