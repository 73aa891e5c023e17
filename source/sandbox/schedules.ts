// Turns "this starts now" into the timestamps lifecycle.ts reads. Shared by the seed (history with
// real-world durations) and the live platform (durations from the clock).
import type {IdSource} from './ids.js';
import {containerStatusAt, rolloutStatusAt} from './lifecycle.js';
import {containerRetentionMs, type BuildRecord, type Commit, type RolloutRecord, type ServiceRecord} from './state.js';

export type BuildPhases = {queued: number; cloning: number; building: number; uploading: number};

export function scheduleBuild(options: {
	id: string;
	branch: string;
	commit: Commit;
	at: number;
	phases: BuildPhases;
	failureReason?: string;
}): BuildRecord {
	const {at, phases} = options;
	const cloningAt = at + phases.queued;
	const buildingAt = cloningAt + phases.cloning;
	const base = {
		id: options.id,
		branch: options.branch,
		sha: options.commit.sha,
		commitMessage: options.commit.message,
		createdAt: at,
		cloningAt,
		buildingAt,
	};
	if (options.failureReason !== undefined) {
		// A failing Dockerfile step usually breaks well into the build, not at its very end.
		return {...base, concludesAt: buildingAt + Math.round(phases.building * 0.6), result: 'FAILURE', failureReason: options.failureReason};
	}

	const uploadingAt = buildingAt + phases.building;
	return {...base, uploadingAt, concludesAt: uploadingAt + phases.uploading, result: 'SUCCESS'};
}

/**
 * Starts a deploy or restart at `at`: new containers start; once they are ready the previous ones
 * are killed. A failing rollout leaves the previous containers serving.
 */
export function rollOut(
	service: ServiceRecord,
	ids: IdSource,
	options: {kind: RolloutRecord['kind']; buildId: string; at: number; containerStart: number; containerStop: number; fails: boolean},
): RolloutRecord {
	const {at, containerStart, containerStop, fails} = options;
	const previous = service.rollouts.at(-1);
	if (previous && rolloutStatusAt(previous, at).status === 'IN_PROGRESS') {
		previous.supersededAt = at;
	}

	// Gone containers stay a while (their logs remain readable); only live ones take part in the rollout.
	service.containers = service.containers.filter(container => container.goneAt === undefined || container.goneAt > at - containerRetentionMs);
	const live = service.containers.filter(container => containerStatusAt(container, at) !== undefined);
	const readyAt = at + containerStart;
	let completesAt = readyAt;
	for (const container of live) {
		const replaceNow = container.fails;
		if (fails && !replaceNow) {
			continue;
		}

		const killingAt = Math.min(container.killingAt ?? Number.POSITIVE_INFINITY, replaceNow ? at : readyAt);
		container.killingAt = killingAt;
		container.goneAt = Math.min(container.goneAt ?? Number.POSITIVE_INFINITY, killingAt + containerStop);
		completesAt = Math.max(completesAt, container.goneAt);
	}

	const templateHash = ids.templateHash();
	for (let index = 0; index < service.instances; index++) {
		service.containers.push({
			name: ids.podName(service.id, templateHash),
			buildId: options.buildId,
			createdAt: at,
			settlesAt: readyAt,
			fails,
		});
	}

	const rollout: RolloutRecord = {
		id: ids.hex(24),
		kind: options.kind,
		buildId: options.buildId,
		startedAt: at,
		completesAt: fails ? readyAt : completesAt,
		result: fails ? 'FAILED' : 'COMPLETED',
	};
	service.rollouts.push(rollout);
	return rollout;
}
