// The platform's records as log-writing containers: a service's pods, a build, a job run, the
// PostgreSQL addon's replicas, a backup, a restore. Phases follow the records' timestamps, which
// are all fixed before the clock reaches them (an abort keeps what was planned in `planned`).
import type {
	AddonRecord,
	BackupRecord,
	BuildRecord,
	ContainerRecord,
	JobRecord,
	JobRunRecord,
	ProjectRecord,
	RestoreRecord,
	ServiceRecord,
} from '../state.js';
import {backupScript, restoreScript} from './content/backup.js';
import {bootScript, crashLoopLine, failingBootScript, servingLine, stopScript} from './content/django.js';
import {cloneScript, dockerSteps, failedStep, failedStepScript, pushScript, stepScript, type BuildFacts} from './content/docker-build.js';
import {scriptPhase} from './content/format.js';
import {jobRunScript} from './content/job-run.js';
import {postgresBootScript, postgresLine} from './content/postgres.js';
import type {ContainerSpec, Phase} from './container-log.js';
import {hashText} from './dice.js';

/** Everything a container's log needs besides its record. */
export type LogWorld = {seed: number; teamId: string; project: ProjectRecord};

const seedOf = (world: LogWorld, id: string) => hashText(`${world.seed}:${world.project.id}:${id}`);

export function serviceContainer(world: LogWorld, service: ServiceRecord, container: ContainerRecord): ContainerSpec {
	const build = service.builds.find(candidate => candidate.id === container.buildId);
	const phases: Phase[] = [
		scriptPhase(container.createdAt, container.settlesAt, container.fails ? failingBootScript() : bootScript(build?.sha.slice(0, 7) ?? 'unknown')),
		container.fails
			? {from: container.settlesAt, lines: {kind: 'flow', factor: 0.5}, render: crashLoopLine}
			: {from: container.settlesAt, lines: {kind: 'flow', factor: 1}, render: servingLine},
	];
	if (container.killingAt !== undefined) {
		phases.push(scriptPhase(container.killingAt, container.goneAt ?? container.killingAt, stopScript(!container.fails)));
	}

	return {id: container.name, type: 'runtime', seed: seedOf(world, container.name), phases, end: container.goneAt};
}

export function buildContainer(world: LogWorld, service: ServiceRecord, build: BuildRecord): ContainerSpec {
	const id = `build-${build.id}`;
	const planned = build.planned ?? {concludesAt: build.concludesAt, result: build.result};
	const facts: BuildFacts = {
		seed: seedOf(world, id),
		buildId: build.id,
		sha: build.sha,
		commitMessage: build.commitMessage,
		branch: build.branch,
		repositoryUrl: service.repository.url,
		repository: `registry.sandbox.localhost/${world.teamId}/${world.project.id}/${service.id}`,
	};
	const phases: Phase[] = [scriptPhase(build.cloningAt, build.buildingAt, cloneScript(facts))];
	if (planned.result === 'FAILURE') {
		const reason = build.failureReason ?? 'Build failed: step 7/14 RUN pip install -r backend/requirements.txt exited with code 1';
		const failAt = planned.concludesAt - Math.round(Math.min(4000, (planned.concludesAt - build.buildingAt) / 4));
		phases.push(...stepPhases(facts, build.buildingAt, failAt, failedStep(reason).step), scriptPhase(failAt, planned.concludesAt, failedStepScript(facts, reason)));
	} else {
		const uploadingAt = build.uploadingAt ?? planned.concludesAt;
		phases.push(...stepPhases(facts, build.buildingAt, uploadingAt, dockerSteps.length), scriptPhase(uploadingAt, planned.concludesAt, pushScript(facts)));
	}

	return {id, type: 'build', seed: facts.seed, phases, end: build.concludesAt};
}

/** The first `count` Dockerfile steps, sharing [from, to) by their weights. */
function stepPhases(facts: BuildFacts, from: number, to: number, count: number): Phase[] {
	const weights = dockerSteps.slice(0, count).map(step => step.weight);
	const total = weights.reduce((sum, weight) => sum + weight, 0);
	let done = 0;
	return weights.map((weight, step) => {
		const start = from + Math.round((to - from) * done / total);
		done += weight;
		return scriptPhase(start, from + Math.round((to - from) * done / total), stepScript(facts, step));
	});
}

export function jobRunContainer(world: LogWorld, job: JobRecord, run: JobRunRecord): ContainerSpec {
	const planned = run.planned ?? {concludesAt: run.concludesAt, result: run.result};
	const source = world.project.services.find(service => service.id === job.source.serviceId);
	const build = source?.builds.find(candidate => candidate.id === run.buildId);
	const script = jobRunScript({
		command: run.command ?? 'the image\'s default command',
		commitMessage: build?.commitMessage ?? '',
		fails: planned.result === 'FAILED',
	});
	return {id: run.runName, type: 'runtime', seed: seedOf(world, run.runName), phases: [scriptPhase(run.startedAt, planned.concludesAt, script)], end: run.concludesAt};
}

const postgresBootMs = 12_000;

export function addonContainers(world: LogWorld, addon: AddonRecord): ContainerSpec[] {
	const version = `${addon.versionTag}.4`;
	const dumpingAt = (ms: number) => addon.backups.some(backup => backup.backupType === 'dump' && backup.createdAt <= ms && ms < backup.completesAt);
	return Array.from({length: addon.replicas}, (_, index) => {
		const id = `${addon.id}-${index}`;
		return {
			id,
			type: 'runtime',
			seed: seedOf(world, id),
			phases: [
				scriptPhase(addon.createdAt, addon.createdAt + postgresBootMs, postgresBootScript(version)),
				{from: addon.createdAt + postgresBootMs, lines: {kind: 'flow', factor: 0.4}, render: line => postgresLine(line, dumpingAt(line.time.ms))},
			],
		};
	});
}

export function backupContainer(world: LogWorld, addon: AddonRecord, backup: BackupRecord): ContainerSpec {
	const id = `backup-${backup.id}`;
	const script = backupScript({
		name: backup.name,
		addon: addon.id,
		version: backup.addonVersion,
		kind: backup.backupType,
		compression: backup.compressionType,
		sizeBytes: backup.sizeBytes,
		fails: backup.result === 'failed',
	});
	return {id, type: 'backup', seed: seedOf(world, id), phases: [scriptPhase(backup.createdAt, backup.completesAt, script)], end: backup.completesAt};
}

export function restoreContainer(world: LogWorld, addon: AddonRecord, restore: RestoreRecord): ContainerSpec {
	const id = `restore-${restore.id}`;
	const script = restoreScript({backup: restore.backupId, addon: addon.id, fails: restore.result === 'failed'});
	return {id, type: 'restore', seed: seedOf(world, id), phases: [scriptPhase(restore.startedAt, restore.completesAt, script)], end: restore.completesAt};
}
