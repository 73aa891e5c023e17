// The sandbox platform's whole world as plain JSON: what is persisted with --state and what every API
// face renders. Times are epoch milliseconds. Nothing here stores a status: statuses are derived from
// these timestamps and the clock (see lifecycle.ts), so a reloaded state keeps moving correctly.

export const stateVersion = 1;

/** `backup-corrupt`: the backup completes, but its archive cannot be read (pg_restore --list fails). */
export type FailureKind = 'build' | 'job-run' | 'deploy' | 'backup' | 'backup-corrupt';

export const failureKinds: readonly FailureKind[] = ['build', 'job-run', 'deploy', 'backup', 'backup-corrupt'];

export type SandboxState = {
	version: typeof stateVersion;
	seed: number;
	/** Counter behind every generated id and sha, so ids stay unique across restarts. */
	sequence: number;
	team: {id: string; name: string};
	projects: ProjectRecord[];
	/** How many of the next operations of each kind are forced to fail. */
	failNext: Record<FailureKind, number>;
	/**
	 * Log lines per second per service container over time, oldest first; absent in states saved before
	 * logs existed (then the default rate held all along). Kept so that past log lines never change.
	 */
	logRates?: LogRateSegment[];
	/**
	 * The managed cluster's addon role password, generated once. A secret: it is handed out by the
	 * credentials endpoint only, never logged or shown elsewhere.
	 */
	database?: {password: string};
	/** The Render face's SSH gateway: its host key (generated once; a secret) and the public keys registered to log in. */
	renderSsh?: {hostKey: string; authorizedKeys: string[]};
};

export type LogRateSegment = {from: number; linesPerSecond: number};

/** What an operation was scheduled to do before it was aborted; the logs of its past stay as they were. */
export type PlannedOutcome<R> = {concludesAt: number; result: R};

export type ProjectRecord = {
	id: string;
	name: string;
	description: string;
	region: string;
	createdAt: number;
	services: ServiceRecord[];
	addons: AddonRecord[];
	jobs: JobRecord[];
};

export type Commit = {sha: string; message: string};

export type RepositoryRecord = {
	url: string;
	projectType: 'github';
	branch: string;
	dockerFilePath: string;
	dockerWorkDir: string;
};

export type PortRecord = {id: string; name: string; internalPort: number; protocol: 'HTTP' | 'HTTP/2' | 'TCP' | 'UDP'; public: boolean};

export type HealthCheckRecord = {
	protocol: 'HTTP';
	type: 'readinessProbe' | 'livenessProbe';
	path: string;
	port: number;
	initialDelaySeconds: number;
	periodSeconds: number;
	timeoutSeconds: number;
	failureThreshold: number;
};

export type DockerConfig = {
	configType: 'default' | 'customEntrypoint' | 'customCommand' | 'customEntrypointCustomCommand';
	customEntrypoint?: string;
	customCommand?: string;
};

export type ServiceRecord = {
	id: string;
	name: string;
	description: string;
	serviceType: 'combined';
	createdAt: number;
	deploymentPlan: string;
	repository: RepositoryRecord;
	/** Commits on the branch that no build has picked up yet; the next branch build takes the oldest. */
	pendingCommits: Commit[];
	instances: number;
	ports: PortRecord[];
	healthChecks: HealthCheckRecord[];
	docker: DockerConfig;
	builds: BuildRecord[];
	/** The build the deployment is configured to run (changes as soon as a deploy is requested). */
	deployedBuildId: string;
	rollouts: RolloutRecord[];
	containers: ContainerRecord[];
};

export type BuildResult = 'SUCCESS' | 'FAILURE' | 'ABORTED';

export type BuildRecord = {
	id: string;
	branch: string;
	sha: string;
	/** The commit message; the API's `message` field describes the build status instead. */
	commitMessage: string;
	createdAt: number;
	cloningAt: number;
	buildingAt: number;
	/** Absent when the build fails before uploading. */
	uploadingAt?: number;
	concludesAt: number;
	result: BuildResult;
	failureReason?: string;
	/** Set when the build is aborted. */
	planned?: PlannedOutcome<BuildResult>;
	/**
	 * How many of the sandbox's built-in migrations (database/builtin-migrations.ts) this build's code
	 * has; absent in states saved before they existed.
	 */
	migrationLevel?: number;
};

/** A deploy or restart: replaces every container with new ones, old ones go once new ones are ready. */
export type RolloutRecord = {
	id: string;
	kind: 'deploy' | 'restart';
	buildId: string;
	startedAt: number;
	completesAt: number;
	result: 'COMPLETED' | 'FAILED';
	/** Set when a newer rollout started before this one finished: it then never completes. */
	supersededAt?: number;
};

/** Containers gone longer ago than this are forgotten; until then their logs can still be read. */
export const containerRetentionMs = 7 * 24 * 60 * 60 * 1000;

export type ContainerRecord = {
	name: string;
	buildId: string;
	createdAt: number;
	/** When it leaves TASK_STARTING: for TASK_RUNNING, or TASK_FAILED when `fails`. */
	settlesAt: number;
	fails: boolean;
	killingAt?: number;
	goneAt?: number;
};

export type AddonRecord = {
	id: string;
	name: string;
	description: string;
	type: 'postgresql';
	versionTag: string;
	createdAt: number;
	replicas: number;
	storageSizeMb: number;
	storageClass: string;
	planId: string;
	tlsEnabled: boolean;
	externalAccessEnabled: boolean;
	backups: BackupRecord[];
	restores: RestoreRecord[];
};

/**
 * Real work (pg_dump, pg_restore) of the sandbox's database: while `running`, the operation is in
 * progress whatever the clock says, and `completesAt` is only an estimate; when the process exits,
 * `running` goes, `completesAt` becomes the exit time and `result` what the process did.
 */
export type RealOperation = {
	running?: true;
	/** Why a real operation failed (for the sandbox's own diagnostics; no secrets). */
	failureReason?: string;
};

export type BackupRecord = RealOperation & {
	id: string;
	name: string;
	backupType: 'dump' | 'snapshot';
	compressionType?: 'gz' | 'zstd';
	createdAt: number;
	completesAt: number;
	result: 'completed' | 'failed';
	sizeBytes: number;
	addonVersion: string;
	/** The pg_dump archive's file name in the database's backups directory; absent for simulated backups. */
	archive?: string;
	/** Seeded history or a backup of a sandbox without a database: it only took time, there is no archive. */
	simulated?: true;
};

export type RestoreRecord = RealOperation & {
	id: string;
	backupId: string;
	startedAt: number;
	completesAt: number;
	result: 'completed' | 'failed';
};

export type JobRecord = {
	id: string;
	name: string;
	description: string;
	jobType: 'manual';
	createdAt: number;
	deploymentPlan: string;
	backoffLimit: number;
	activeDeadlineSeconds: number;
	/** The build service and build the job runs, as set by deploying a build to the job. */
	source: {serviceId: string; buildId: string};
	docker: DockerConfig;
	runs: JobRunRecord[];
};

/**
 * A job run. A simulated one (seeded history, a sandbox on a hand-stepped clock) takes its scheduled
 * time and its outcome is fixed at start. A real one (`execution` set, see jobs/) runs its command:
 * while `running` it is RUNNING whatever the clock says (`concludesAt` and `result` mean nothing yet);
 * when the command ends, `running` goes, `concludesAt` becomes the end time and `result` follows the
 * exit status.
 */
export type JobRunRecord = RealOperation & {
	id: string;
	runName: string;
	buildId: string;
	command?: string;
	environment: Record<string, string>;
	startedAt: number;
	concludesAt: number;
	result: 'SUCCESS' | 'FAILED';
	aborted?: boolean;
	/** Set when a simulated run is aborted. */
	planned?: PlannedOutcome<'SUCCESS' | 'FAILED'>;
	/** How a real run ran: the build's app directory, or the sandbox's built-in migrator. */
	execution?: 'app' | 'builtin';
	/** A real run's exit status once it ended (128 + signal number when a signal ended it). */
	exitCode?: number;
};
