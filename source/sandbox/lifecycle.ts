// Statuses at a moment in time, derived from the timestamps in the state. Pure functions: the same
// state and the same `t` always give the same answer, which keeps the sandbox deterministic.
import type {
	AddonRecord,
	BackupRecord,
	BuildRecord,
	ContainerRecord,
	JobRunRecord,
	RestoreRecord,
	RolloutRecord,
	ServiceRecord,
} from './state.js';

export type BuildStatus = 'QUEUED' | 'CLONING' | 'BUILDING' | 'UPLOADING' | 'SUCCESS' | 'FAILURE' | 'ABORTED';
export type ContainerStatus = 'TASK_STARTING' | 'TASK_RUNNING' | 'TASK_FAILED' | 'TASK_KILLING';
export type DeploymentStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
export type AddonStatus = 'running' | 'backup' | 'restore';
export type OperationStatus = 'in-progress' | 'completed' | 'failed';
export type JobRunStatus = 'RUNNING' | 'SUCCESS' | 'FAILED';

export type Timed<S> = {status: S; since: number};

export function buildStatusAt(build: BuildRecord, t: number): Timed<BuildStatus> {
	if (t >= build.concludesAt) {
		return {status: build.result, since: build.concludesAt};
	}

	if (build.uploadingAt !== undefined && t >= build.uploadingAt) {
		return {status: 'UPLOADING', since: build.uploadingAt};
	}

	if (t >= build.buildingAt) {
		return {status: 'BUILDING', since: build.buildingAt};
	}

	if (t >= build.cloningAt) {
		return {status: 'CLONING', since: build.cloningAt};
	}

	return {status: 'QUEUED', since: build.createdAt};
}

export function isBuildConcluded(build: BuildRecord, t: number): boolean {
	return t >= build.concludesAt;
}

/** Undefined once the container is gone. */
export function containerStatusAt(container: ContainerRecord, t: number): Timed<ContainerStatus> | undefined {
	if (container.goneAt !== undefined && t >= container.goneAt) {
		return undefined;
	}

	if (container.killingAt !== undefined && t >= container.killingAt) {
		return {status: 'TASK_KILLING', since: container.killingAt};
	}

	if (t >= container.settlesAt) {
		return {status: container.fails ? 'TASK_FAILED' : 'TASK_RUNNING', since: container.settlesAt};
	}

	return {status: 'TASK_STARTING', since: container.createdAt};
}

export function rolloutStatusAt(rollout: RolloutRecord, t: number): Timed<DeploymentStatus> {
	if (t < rollout.completesAt) {
		return {status: 'IN_PROGRESS', since: rollout.startedAt};
	}

	return {status: rollout.result, since: rollout.completesAt};
}

export function latestRollout(service: ServiceRecord): RolloutRecord | undefined {
	return service.rollouts.at(-1);
}

/** The build whose containers serve traffic: the newest rollout that finished well by `t`. */
export function servingBuildId(service: ServiceRecord, t: number): string | undefined {
	for (let index = service.rollouts.length - 1; index >= 0; index--) {
		const rollout = service.rollouts[index]!;
		if (rollout.supersededAt === undefined && rollout.result === 'COMPLETED' && t >= rollout.completesAt) {
			return rollout.buildId;
		}
	}

	return undefined;
}

export function operationStatusAt(operation: BackupRecord | RestoreRecord, t: number): Timed<OperationStatus> {
	if (!isOperationRunning(operation, t)) {
		return {status: operation.result, since: operation.completesAt};
	}

	return {status: 'in-progress', since: 'createdAt' in operation ? operation.createdAt : operation.startedAt};
}

/** A real operation runs until its process exits; a simulated one until `completesAt`. */
export function isOperationRunning(operation: BackupRecord | RestoreRecord, t: number): boolean {
	return operation.running === true || t < operation.completesAt;
}

export function addonStatusAt(addon: AddonRecord, t: number): AddonStatus {
	if (addon.restores.some(restore => isOperationRunning(restore, t))) {
		return 'restore';
	}

	if (addon.backups.some(backup => isOperationRunning(backup, t))) {
		return 'backup';
	}

	return 'running';
}

/** A real run is RUNNING until its command ends, whatever the clock says; a simulated one until `concludesAt`. */
export function jobRunStatusAt(run: JobRunRecord, t: number): Timed<JobRunStatus> {
	if (run.running !== true && t >= run.concludesAt) {
		return {status: run.result, since: run.concludesAt};
	}

	return {status: 'RUNNING', since: run.startedAt};
}
