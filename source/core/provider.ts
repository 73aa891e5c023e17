import type {DatabaseConnection, HealthProbe, Restore} from './database.js';
import type {ExecRequest, ExecSession, ExecTarget} from './exec.js';
import type {LogPage, LogQuery, LogTarget, RawTail, RawTailHandlers} from './logs.js';
import type {Addon, Backup, Build, Container, Job, JobRun, Project, Service} from './types.js';

/** What a provider knows about its own API budget, from the platform's response headers. */
export type RateBudget = {
	limit?: number;
	remaining?: number;
	/** When the window resets. */
	resetAt?: Date;
};

export type RequestStats = {
	requests: number;
	budget: RateBudget;
};

/**
 * One platform (Northflank, Render, a Compose host) seen through the console's eyes.
 * Later issues extend this with logs, exec and runbook operations.
 */
export type Provider = {
	readonly platform: 'northflank' | 'render' | 'compose';
	/** Checks credentials and reachability; throws a ProviderError that names the fix. */
	verify(): Promise<Project>;
	getProject(): Promise<Project>;
	listServices(): Promise<Service[]>;
	getService(serviceId: string): Promise<Service>;
	listContainers(serviceId: string): Promise<Container[]>;
	/** The build the service is set to run: record it before deploying, to roll back to. */
	getDeployment(serviceId: string): Promise<{buildId?: string; sha?: string; instances?: number}>;
	listBuilds(serviceId: string, limit?: number): Promise<Build[]>;
	getBuild(serviceId: string, buildId: string): Promise<Build>;
	startBuild(serviceId: string, options?: {branch?: string; sha?: string}): Promise<Build>;
	deployBuild(serviceId: string, build: {buildId: string; sourceServiceId?: string}): Promise<void>;
	restartService(serviceId: string): Promise<void>;
	listAddons(): Promise<Addon[]>;
	getAddon(addonId: string): Promise<Addon>;
	listBackups(addonId: string, limit?: number): Promise<Backup[]>;
	getBackup(addonId: string, backupId: string): Promise<Backup>;
	createBackup(addonId: string, options?: {name?: string; kind?: 'dump' | 'snapshot'}): Promise<Backup>;
	restoreBackup(addonId: string, backupId: string): Promise<{restoreId: string}>;
	listJobs(): Promise<Job[]>;
	getJob(jobId: string): Promise<Job>;
	listJobRuns(jobId: string, limit?: number): Promise<JobRun[]>;
	getJobRun(jobId: string, runId: string): Promise<JobRun>;
	startJobRun(jobId: string, options?: {command?: string; buildId?: string; sourceServiceId?: string; env?: Record<string, string>}): Promise<JobRun>;
	/** Log lines of a time window (REST range query). */
	fetchLogs(target: LogTarget, query: LogQuery): Promise<LogPage>;
	/** One live-tail connection from a cursor or a time; reconnecting is LogTail's job. */
	openLogTail(target: LogTarget, from: {cursor?: string; since?: Date; filter?: LogQuery['filter']}, handlers: RawTailHandlers): RawTail;
	/**
	 * Opens a shell or runs a command in a running container; resolves once the platform has accepted the
	 * session (with where it runs), rejects with a ProviderError when it will not.
	 */
	openExec(target: ExecTarget, request: ExecRequest): Promise<ExecSession>;
	/** Aborts a running job run (the migration, when the operator stops it). */
	abortJobRun(jobId: string, runId: string): Promise<void>;
	/** Connection details of a PostgreSQL addon (the password stays out of every message). */
	getDatabaseConnection(addonId: string): Promise<DatabaseConnection>;
	/** A temporary URL the backup's archive can be downloaded from. */
	getBackupDownloadUrl(addonId: string, backupId: string): Promise<string>;
	listRestores(addonId: string, limit?: number): Promise<Restore[]>;
	/** One GET of the service's health path on its public endpoint. */
	probeHealth(serviceId: string, path: string, options?: {timeoutMs?: number}): Promise<HealthProbe>;
	/** Requests made so far and the budget the platform last reported. */
	stats(): RequestStats;
};
