// Render deploys derived from the shared world: a build and the rollout that first ships it are one
// deploy (its id follows the build, so it keeps it from `build_in_progress` to `live`); a later rollout
// of an already shipped build (a rollback, a deploy_only redeploy) is a deploy of its own. Restarts are
// not deploys on Render. A successful build that was never rolled out (built through the Northflank
// face and left there) is not listed.
import {buildStatusAt, jobRunStatusAt, rolloutStatusAt} from '../lifecycle.js';
import type {BuildRecord, JobRunRecord, RolloutRecord, ServiceRecord} from '../state.js';
import type {RenderFaceState} from './face-state.js';
import {renderIds} from './render-ids.js';

export type DeployStatus =
	| 'created'
	| 'queued'
	| 'build_in_progress'
	| 'update_in_progress'
	| 'live'
	| 'deactivated'
	| 'build_failed'
	| 'update_failed'
	| 'canceled'
	| 'pre_deploy_in_progress'
	| 'pre_deploy_failed';

export type DeployRecordView = {
	id: string;
	build: BuildRecord;
	rollout?: RolloutRecord;
	status: DeployStatus;
	trigger: string;
	createdAt: number;
	finishedAt?: number;
	updatedAt: number;
};

const terminal = new Set<DeployStatus>(['live', 'deactivated', 'build_failed', 'update_failed', 'canceled', 'pre_deploy_failed']);

export function isDeployTerminal(status: DeployStatus): boolean {
	return terminal.has(status);
}

/** The rollout whose containers serve now (a restart counts), as lifecycle.ts's servingBuildId sees it. */
function servingIndex(service: ServiceRecord, t: number): number {
	for (let index = service.rollouts.length - 1; index >= 0; index--) {
		const rollout = service.rollouts[index]!;
		if (rollout.supersededAt === undefined && rollout.result === 'COMPLETED' && t >= rollout.completesAt) {
			return index;
		}
	}

	return -1;
}

/** Every deploy of the service at time `t`, newest first. */
export function deploysOf(service: ServiceRecord, memo: RenderFaceState, t: number): DeployRecordView[] {
	const builds = new Map(service.builds.map(build => [build.id, build]));
	const serving = servingIndex(service, t);
	let liveRolloutId: string | undefined;
	for (let index = serving; index >= 0; index--) {
		const rollout = service.rollouts[index]!;
		if (rollout.kind === 'deploy' && rollout.buildId === service.rollouts[serving]!.buildId) {
			liveRolloutId = rollout.id;
			break;
		}
	}

	const deploys: DeployRecordView[] = [];
	const shipped = new Set<string>();
	for (const rollout of service.rollouts) {
		const build = builds.get(rollout.buildId);
		if (rollout.kind !== 'deploy' || !build) {
			continue;
		}

		const first = !shipped.has(build.id);
		shipped.add(build.id);
		const id = first ? renderIds.deployOfBuild(build.id) : renderIds.deployOfRollout(rollout.id);
		const {status, finishedAt} = rolloutDeployStatus(rollout, rollout.id === liveRolloutId, t);
		const createdAt = first ? build.createdAt : rollout.startedAt;
		deploys.push({
			id,
			build,
			rollout,
			status,
			trigger: memo.triggers.get(id) ?? (first ? 'new_commit' : 'manual'),
			createdAt,
			...(finishedAt === undefined ? {} : {finishedAt}),
			updatedAt: finishedAt ?? (t >= rollout.startedAt ? rollout.startedAt : createdAt),
		});
	}

	const pending = new Set(memo.pending.filter(entry => entry.serviceId === service.id).map(entry => entry.buildId));
	for (const build of service.builds) {
		if (shipped.has(build.id)) {
			continue;
		}

		const id = renderIds.deployOfBuild(build.id);
		const view = buildDeployStatus(build, pending.has(build.id), memo.queued.has(id), t, memo.preDeploys.get(build.id)?.run);
		if (view) {
			deploys.push({id, build, status: view.status, trigger: memo.triggers.get(id) ?? 'new_commit', createdAt: build.createdAt, ...(view.finishedAt === undefined ? {} : {finishedAt: view.finishedAt}), updatedAt: view.finishedAt ?? view.since});
		}
	}

	return deploys.sort((a, b) => b.createdAt - a.createdAt);
}

function rolloutDeployStatus(rollout: RolloutRecord, live: boolean, t: number): {status: DeployStatus; finishedAt?: number} {
	if (live) {
		return {status: 'live', finishedAt: rollout.completesAt};
	}

	if (rollout.supersededAt !== undefined && t >= rollout.supersededAt && rollout.supersededAt < rollout.completesAt) {
		return {status: 'canceled', finishedAt: rollout.supersededAt};
	}

	if (rolloutStatusAt(rollout, t).status === 'IN_PROGRESS') {
		return {status: 'update_in_progress'};
	}

	return rollout.result === 'FAILED' ? {status: 'update_failed', finishedAt: rollout.completesAt} : {status: 'deactivated', finishedAt: rollout.completesAt};
}

function buildDeployStatus(build: BuildRecord, pending: boolean, queued: boolean, t: number, preDeploy?: JobRunRecord): {status: DeployStatus; since: number; finishedAt?: number} | undefined {
	const {status, since} = buildStatusAt(build, t);
	switch (status) {
		case 'QUEUED': {
			return {status: queued ? 'queued' : 'created', since};
		}

		case 'CLONING':
		case 'BUILDING':
		case 'UPLOADING': {
			return {status: 'build_in_progress', since};
		}

		case 'FAILURE': {
			return {status: 'build_failed', since, finishedAt: build.concludesAt};
		}

		case 'ABORTED': {
			return {status: 'canceled', since, finishedAt: build.concludesAt};
		}

		case 'SUCCESS': {
			if (preDeploy) {
				const run = jobRunStatusAt(preDeploy, t);
				if (run.status === 'RUNNING') {
					return {status: 'pre_deploy_in_progress', since: run.since};
				}

				if (run.status !== 'SUCCESS') {
					return {status: 'pre_deploy_failed', since: run.since, finishedAt: run.since};
				}
			}

			// Built, about to be rolled out (the face rolls it out on its next turn).
			return pending ? {status: 'update_in_progress', since} : undefined;
		}
	}
}
