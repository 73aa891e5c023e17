// The sandbox platform's behaviour, independent of any API face: find things, and start builds,
// deploys, backups, restores and job runs. Every change is reported through `onChange` so it can be
// persisted; statuses are never stored, they follow from timestamps (lifecycle.ts).
import {badRequest, conflict, notFound} from './api-error.js';
import type {Clock} from './clock.js';
import {noArchive, type AddonDataPlane, type BackupFault} from './database/addon-data-plane.js';
import type {SandboxDatabase} from './database/sandbox-database.js';
import {IdSource} from './ids.js';
import {emptyRunLog, type JobRunner} from './jobs/job-runner.js';
import type {LogReader} from './logs/recorded-log.js';
import {changeLogRate, logRateAt, logRateSegments} from './logs/log-rates.js';
import {addonStatusAt, buildStatusAt, isBuildConcluded, jobRunStatusAt, operationStatusAt} from './lifecycle.js';
import {rollOut, scheduleBuild} from './schedules.js';
import type {
	AddonRecord,
	BackupRecord,
	BuildRecord,
	Commit,
	DockerConfig,
	FailureKind,
	JobRecord,
	JobRunRecord,
	ProjectRecord,
	RestoreRecord,
	RolloutRecord,
	SandboxState,
	ServiceRecord,
} from './state.js';

const commitMessages = [
	'Cache the planner week view for 60 s',
	'Fix timezone handling in due-date reminders',
	'Paginate the notes API at 50 items',
	'Log queries slower than 500 ms',
	'Bump Django to 4.2.16',
	'Tidy up admin list filters for courses',
	'Retry R2 uploads on 503',
	'Show course colour in the editor sidebar',
];

/** Which build to run: the shape of `internal` in Northflank's deploy and job-run bodies. */
export type BuildReference = {serviceId: string; buildId?: string; buildSHA?: string; branch?: string};

export class SandboxPlatform {
	readonly ids: IdSource;
	/** Runs job-run commands for real and keeps their logs (see jobs/); when absent or not executing, new runs are simulated. */
	jobRunner: JobRunner | undefined;

	constructor(
		readonly state: SandboxState,
		private readonly clock: Clock,
		private readonly onChange: () => void = () => undefined,
		/** The addon's real PostgreSQL and the processes working on it; absent when the addon is simulated. */
		readonly dataPlane?: AddonDataPlane,
	) {
		this.ids = new IdSource(state);
	}

	/** The PostgreSQL addon's real database, when the sandbox has one. */
	get database(): SandboxDatabase | undefined {
		return this.dataPlane?.database;
	}

	now(): number {
		return this.clock.now();
	}

	project(projectId: string): ProjectRecord {
		return this.state.projects.find(project => project.id === projectId) ?? raise(notFound('Project', projectId));
	}

	service(project: ProjectRecord, serviceId: string): ServiceRecord {
		return project.services.find(service => service.id === serviceId) ?? raise(notFound('Service', serviceId));
	}

	addon(project: ProjectRecord, addonId: string): AddonRecord {
		return project.addons.find(addon => addon.id === addonId) ?? raise(notFound('Addon', addonId));
	}

	job(project: ProjectRecord, jobId: string): JobRecord {
		return project.jobs.find(job => job.id === jobId) ?? raise(notFound('Job', jobId));
	}

	build(service: ServiceRecord, buildId: string): BuildRecord {
		return service.builds.find(build => build.id === buildId) ?? raise(notFound('Build', buildId));
	}

	backup(addon: AddonRecord, backupId: string): BackupRecord {
		return addon.backups.find(backup => backup.id === backupId) ?? raise(notFound('Backup', backupId));
	}

	run(job: JobRecord, runId: string): JobRunRecord {
		return job.runs.find(run => run.id === runId) ?? raise(notFound('Job run', runId));
	}

	/** Makes the next `count` operations of `kind` fail (a build breaks, a container crashes, ...). */
	failNext(kind: FailureKind, count = 1): Record<FailureKind, number> {
		this.state.failNext[kind] += count;
		this.onChange();
		return {...this.state.failNext};
	}

	/** Log lines per second per service container now (see logs/log-rates.ts). */
	logRate(): number {
		return logRateAt(logRateSegments(this.state), this.now());
	}

	/** Changes the log rate from now on; lines already written stay as they were. */
	setLogRate(linesPerSecond: number): number {
		if (changeLogRate(this.state, this.now(), linesPerSecond)) {
			this.onChange();
		}

		return this.logRate();
	}

	startBuild(service: ServiceRecord, options: {sha?: string; branch?: string}): BuildRecord {
		const branch = options.branch ?? service.repository.branch;
		const {durations} = this.clock;
		const failing = this.takeFailure('build');
		const build = scheduleBuild({
			id: this.ids.buildId(),
			branch,
			commit: this.commitToBuild(service, branch, options.sha),
			at: this.now(),
			phases: {queued: durations.buildQueued, cloning: durations.buildCloning, building: durations.buildBuilding, uploading: durations.buildUploading},
			failureReason: failing ? 'Build failed: step 7/14 RUN pip install -r backend/requirements.txt exited with code 1 (sandbox: forced failure)' : undefined,
		});
		// Every new build brings one more built-in migration than any before it.
		build.migrationLevel = Math.max(0, ...service.builds.map(earlier => earlier.migrationLevel ?? 0)) + 1;
		service.builds.unshift(build);
		this.onChange();
		return build;
	}

	abortBuild(service: ServiceRecord, buildId: string): BuildRecord {
		const build = this.build(service, buildId);
		const now = this.now();
		if (isBuildConcluded(build, now)) {
			throw conflict(`Build "${build.id}" has already concluded with ${build.result}; only a running build can be aborted`);
		}

		build.planned ??= {concludesAt: build.concludesAt, result: build.result};
		build.concludesAt = now;
		build.result = 'ABORTED';
		this.onChange();
		return build;
	}

	/** Points the service at a build and rolls it out. */
	deployBuild(project: ProjectRecord, service: ServiceRecord, reference: BuildReference): RolloutRecord {
		const build = this.resolveDeployableBuild(project, reference);
		service.deployedBuildId = build.id;
		const rollout = rollOut(service, this.ids, {
			kind: 'deploy',
			buildId: build.id,
			at: this.now(),
			containerStart: this.clock.durations.containerStart,
			containerStop: this.clock.durations.containerStop,
			fails: this.takeFailure('deploy'),
		});
		this.onChange();
		return rollout;
	}

	restartService(service: ServiceRecord): RolloutRecord {
		const rollout = rollOut(service, this.ids, {
			kind: 'restart',
			buildId: service.deployedBuildId,
			at: this.now(),
			containerStart: this.clock.durations.containerStart,
			containerStop: this.clock.durations.containerStop,
			fails: false,
		});
		this.onChange();
		return rollout;
	}

	createBackup(addon: AddonRecord, options: {name?: string; backupType?: 'dump' | 'snapshot'; compressionType?: 'gz' | 'zstd'}): BackupRecord {
		const now = this.now();
		this.assertAddonIdle(addon, now, 'back it up');
		const backupType = options.backupType ?? 'snapshot';
		const name = options.name ?? `manual-backup-${new Date(now).toISOString().slice(0, 16).replaceAll(/[:T]/g, '-')}`;
		const fault: BackupFault | undefined = this.takeFailure('backup') ? 'fail' : (this.takeFailure('backup-corrupt') ? 'corrupt' : undefined);
		const backup: BackupRecord = {
			id: this.uniqueBackupId(addon, name),
			name,
			backupType,
			...(backupType === 'dump' ? {compressionType: options.compressionType ?? 'gz'} : {}),
			createdAt: now,
			completesAt: now + this.clock.durations.backup,
			result: fault === 'fail' ? 'failed' : 'completed',
			sizeBytes: 46_000_000 + this.ids.int(6_000_000),
			addonVersion: `${addon.versionTag}.4`,
		};
		addon.backups.unshift(backup);
		if (this.dataPlane) {
			this.dataPlane.backUp(backup, fault);
		} else {
			backup.simulated = true;
		}

		this.onChange();
		return backup;
	}

	restoreBackup(addon: AddonRecord, backupId: string): RestoreRecord {
		const backup = this.backup(addon, backupId);
		const now = this.now();
		const backupStatus = operationStatusAt(backup, now).status;
		if (backupStatus !== 'completed') {
			throw conflict(`Backup "${backup.id}" is ${backupStatus}; only a completed backup can be restored`);
		}

		this.assertAddonIdle(addon, now, 'restore it');
		if (this.dataPlane && backup.archive === undefined) {
			throw conflict(noArchive(backup));
		}

		const restore: RestoreRecord = {
			id: this.ids.hex(24),
			backupId: backup.id,
			startedAt: now,
			completesAt: now + this.clock.durations.restore,
			result: 'completed',
		};
		addon.restores.unshift(restore);
		this.dataPlane?.restore(restore, backup);
		this.onChange();
		return restore;
	}

	/** A temporary link to a completed backup's archive (see AddonDataPlane.downloadLink). */
	backupDownloadLink(addon: AddonRecord, backupId: string): string {
		const backup = this.backup(addon, backupId);
		const {status} = operationStatusAt(backup, this.now());
		if (status !== 'completed') {
			throw conflict(`Backup "${backup.id}" is ${status}; only a completed backup can be downloaded`);
		}

		if (!this.dataPlane) {
			throw conflict(noArchive(backup));
		}

		return this.dataPlane.downloadLink(backup);
	}

	updateJobDeployment(project: ProjectRecord, job: JobRecord, reference: BuildReference, docker?: DockerConfig): void {
		const build = this.resolveDeployableBuild(project, reference);
		job.source = {serviceId: reference.serviceId, buildId: build.id};
		if (docker) {
			job.docker = docker;
		}

		this.onChange();
	}

	startJobRun(project: ProjectRecord, job: JobRecord, options: {build?: BuildReference; docker?: DockerConfig; environment?: Record<string, string>}): JobRunRecord {
		const build = options.build
			? this.resolveDeployableBuild(project, options.build)
			: this.build(this.service(project, job.source.serviceId), job.source.buildId);
		const docker = options.docker ?? job.docker;
		const now = this.now();
		const run: JobRunRecord = {
			id: this.ids.uuid(),
			runName: `${job.id}-${this.ids.hex(24)}`,
			buildId: build.id,
			...(docker.configType === 'default' ? {} : {command: docker.customCommand}),
			environment: options.environment ?? {},
			startedAt: now,
			concludesAt: now + this.clock.durations.jobRun,
			result: 'SUCCESS',
		};
		// A forced failure is meant for the next run that changes something, not a read of the plan.
		const readsOnly = this.jobRunner?.executes === true && /\bshowmigrations\b|(?:^|\s)--(?:plan|check)\b|\balembic\s+(?:heads|current|history)\b/.test(run.command ?? '');
		const failing = !readsOnly && this.takeFailure('job-run');
		if (this.jobRunner?.executes) {
			this.jobRunner.start(job, run, build, failing);
		} else if (failing) {
			run.result = 'FAILED';
		}

		job.runs.unshift(run);
		this.onChange();
		return run;
	}

	abortJobRun(job: JobRecord, runId: string): JobRunRecord {
		const run = this.run(job, runId);
		const now = this.now();
		if (jobRunStatusAt(run, now).status !== 'RUNNING') {
			throw conflict(`Job run "${run.id}" has already concluded`);
		}

		if (run.running) {
			// A real run ends FAILED when its command has stopped (at most the kill grace period later).
			this.jobRunner?.abort(run);
			this.onChange();
			return run;
		}

		run.planned ??= {concludesAt: run.concludesAt, result: run.result};
		run.concludesAt = now;
		run.result = 'FAILED';
		run.aborted = true;
		this.onChange();
		return run;
	}

	/** The recorded log of a run that really ran (empty when this sandbox has none of its lines). */
	jobRunLog(run: JobRunRecord): LogReader {
		return this.jobRunner?.logOf(run) ?? emptyRunLog(run);
	}

	private resolveDeployableBuild(project: ProjectRecord, reference: BuildReference): BuildRecord {
		const source = this.service(project, reference.serviceId);
		const now = this.now();
		let build: BuildRecord | undefined;
		if (reference.buildId !== undefined) {
			build = this.build(source, reference.buildId);
		} else if (reference.buildSHA === undefined || reference.buildSHA === 'latest') {
			const branch = reference.branch ?? source.repository.branch;
			build = source.builds.find(candidate => candidate.branch === branch && buildStatusAt(candidate, now).status === 'SUCCESS');
			if (!build) {
				throw conflict(`Service "${source.id}" has no successful build on branch "${branch}" to deploy`);
			}
		} else {
			const sha = reference.buildSHA;
			const ofSha = source.builds.filter(candidate => candidate.sha === sha);
			build = ofSha.find(candidate => buildStatusAt(candidate, now).status === 'SUCCESS') ?? ofSha[0];
			if (!build) {
				throw notFound('Build of commit', sha);
			}
		}

		const status = buildStatusAt(build, now).status;
		if (status !== 'SUCCESS') {
			throw conflict(`Build "${build.id}" is ${status}; only a build with status SUCCESS can be deployed`);
		}

		return build;
	}

	private commitToBuild(service: ServiceRecord, branch: string, sha: string | undefined): Commit {
		if (sha !== undefined) {
			if (!/^[\da-f]{40}$/.test(sha)) {
				throw badRequest('"sha" must be a full 40-character commit sha', {sha});
			}

			const known = [...service.pendingCommits, ...service.builds.map(build => ({sha: build.sha, message: build.commitMessage}))].find(commit => commit.sha === sha);
			return known ?? {sha, message: `Build of ${sha.slice(0, 7)}`};
		}

		if (branch === service.repository.branch) {
			const pending = service.pendingCommits.shift();
			if (pending) {
				return pending;
			}
		}

		// Nothing new on the branch: pretend a teammate pushed, so every build in a demo ships something.
		return {sha: this.ids.sha(), message: this.ids.pick(commitMessages)};
	}

	private assertAddonIdle(addon: AddonRecord, now: number, action: string): void {
		const status = addonStatusAt(addon, now);
		if (status !== 'running') {
			throw conflict(`Addon "${addon.id}" is busy (status ${status}); wait until it is running to ${action}`);
		}
	}

	private uniqueBackupId(addon: AddonRecord, name: string): string {
		const slug = name.toLowerCase().replaceAll(/[^a-z\d]+/g, '-').replaceAll(/^-+|-+$/g, '') || 'backup';
		return addon.backups.some(backup => backup.id === slug) ? `${slug}-${this.ids.hex(6)}` : slug;
	}

	private takeFailure(kind: FailureKind): boolean {
		if (this.state.failNext[kind] <= 0) {
			return false;
		}

		this.state.failNext[kind] -= 1;
		return true;
	}
}

function raise(error: Error): never {
	throw error;
}
