// Platform-neutral model of a deployment. Providers translate their platform into these shapes;
// the UI and runbooks only ever see these.

export type BuildStatus =
	| 'queued'
	| 'building'
	| 'success'
	| 'failure'
	| 'aborted'
	| 'unknown';

export type DeploymentStatus = 'pending' | 'in-progress' | 'completed' | 'failed' | 'unknown';

export type ContainerStatus = 'running' | 'starting' | 'stopping' | 'stopped' | 'failed' | 'finished' | 'unknown';

export type Health = 'healthy' | 'degraded' | 'down' | 'deploying' | 'paused' | 'unknown';

export type AddonStatus = 'running' | 'busy' | 'paused' | 'failed' | 'unknown';

export type BackupStatus = 'scheduled' | 'in-progress' | 'completed' | 'failed' | 'aborted' | 'unknown';

export type JobRunStatus = 'running' | 'success' | 'failed' | 'unknown';

export type Project = {
	id: string;
	name: string;
	region?: string;
};

export type Container = {
	name: string;
	status: ContainerStatus;
	/** The platform's own word for the state, shown in detail views. */
	rawStatus: string;
	createdAt?: Date;
};

export type Build = {
	id: string;
	sha?: string;
	branch?: string;
	message?: string;
	status: BuildStatus;
	rawStatus: string;
	createdAt?: Date;
	concludedAt?: Date;
};

export type Service = {
	id: string;
	name: string;
	/** combined | build | deployment on Northflank; web | worker … elsewhere. */
	kind: string;
	deployment: {
		status: DeploymentStatus;
		rawStatus: string;
		reason?: string;
		since?: Date;
	};
	/** Status of the most recent build, as the platform summarises it. */
	build?: {status: BuildStatus; rawStatus: string; since?: Date};
	paused: boolean;
	instances?: number;
	deployedSha?: string;
	deployedBuildId?: string;
	branch?: string;
	repository?: string;
	ports?: Array<{name: string; port: number; protocol: string; public: boolean}>;
	healthPath?: string;
};

export type Backup = {
	id: string;
	name?: string;
	status: BackupStatus;
	rawStatus: string;
	kind?: string;
	sizeBytes?: number;
	createdAt?: Date;
	completedAt?: Date;
};

export type Addon = {
	id: string;
	name: string;
	type: string;
	version?: string;
	status: AddonStatus;
	rawStatus: string;
	storageMb?: number;
	replicas?: number;
};

export type JobRun = {
	id: string;
	name?: string;
	status: JobRunStatus;
	rawStatus: string;
	startedAt?: Date;
	concludedAt?: Date;
};

export type Job = {
	id: string;
	name: string;
	/** manual | cron */
	kind: string;
	suspended: boolean;
	schedule?: string;
};

/** Everything the dashboard shows, as one immutable value. */
export type DashboardSnapshot = {
	project?: Project;
	services: ServiceView[];
	addons: AddonView[];
	jobs: JobView[];
	/** Builds of each service, newest first, keyed by service id. */
	builds: Record<string, Build[]>;
};

export type ServiceView = Service & {
	containers: Container[];
	health: Health;
	healthReason: string;
};

export type AddonView = Addon & {
	lastBackup?: Backup;
	backups: Backup[];
};

export type JobView = Job & {
	lastRun?: JobRun;
	runs: JobRun[];
};
