import {ProviderError} from '../../core/errors.js';
import type {ExecRequest, ExecSession, ExecTarget} from '../../core/exec.js';
import type {Provider, RequestStats} from '../../core/provider.js';
import type {LogPage, LogQuery, LogTarget, RawTail, RawTailHandlers} from '../../core/logs.js';
import type {DatabaseConnection, HealthProbe, Restore} from '../../core/database.js';
import type {Addon, Backup, Build, Container, Job, JobRun, Project, Service} from '../../core/types.js';
import {createHttpClient, type HttpClient} from '../../infra/http.js';
import {execContext, openExecSocket} from './exec.js';
import {filterParameters, logPath, openTailSocket, rangeParameters, toLogPage, type WireLogLine} from './logs.js';
import {mapCredentials, mapRestore, type WireCredentials, type WirePort, type WireRestore} from './addon-data.js';
import {probeUrl} from './health-probe.js';
import {mapAddon, mapBackup, mapBuild, mapContainer, mapJob, mapJobRun, mapProject, mapService} from './map.js';
import type {Envelope, WireAddon, WireBackup, WireBuild, WireContainer, WireHealthCheck, WireJob, WireJobRun, WireProject, WireService, WireServiceSummary} from './wire.js';

export const northflankApiUrl = 'https://api.northflank.com';

export type NorthflankOptions = {
	/** API base, without /v1. Defaults to Northflank's; the sandbox gives its own. */
	baseUrl?: string;
	token: string;
	/** Project id or name. */
	project: string;
	/** Team id, for org-scoped tokens: paths become /v1/teams/{team}/projects/... */
	team?: string;
	platformName?: string;
	timeoutMs?: number;
	/** Talking to wheelhouse's sandbox: services answer on the sandbox's own HTTP port, not on code.run. */
	sandbox?: boolean;
};

const maxPerPage = 100;
const healthCheckCacheMs = 10 * 60 * 1000;

export class NorthflankProvider implements Provider {
	readonly platform = 'northflank' as const;
	private readonly http: HttpClient;
	private projectId: string;
	private readonly healthPaths = new Map<string, {path: string | undefined; fetchedAt: number}>();

	private readonly apiBase: string;

	constructor(private readonly options: NorthflankOptions) {
		this.apiBase = `${(options.baseUrl ?? northflankApiUrl).replace(/\/$/, '')}/v1/`;
		this.http = createHttpClient({
			baseUrl: this.apiBase,
			token: options.token,
			platformName: options.platformName ?? 'Northflank',
			displayUrl: options.baseUrl ?? northflankApiUrl,
			timeoutMs: options.timeoutMs,
		});
		this.projectId = options.project;
	}

	stats(): RequestStats {
		return {requests: this.http.budget.requests, budget: this.http.budget.snapshot()};
	}

	async verify(): Promise<Project> {
		try {
			return await this.getProject();
		} catch (error) {
			if (!(error instanceof ProviderError) || error.kind !== 'not-found') {
				throw error;
			}
		}

		// The context may name the project rather than give its id.
		const projects = await this.listAll<{id: string; name: string}>(this.scopedPath('projects', false), 'projects');
		const match = projects.find(project => project.name === this.options.project || project.id === this.options.project);
		if (!match) {
			const known = projects.map(project => project.name).join(', ') || 'none';
			throw new ProviderError('not-found', `No project "${this.options.project}" is visible to this token.`, {hint: `Projects this token can see: ${known}. Fix the project in the context.`});
		}

		this.projectId = match.id;
		return this.getProject();
	}

	async getProject(): Promise<Project> {
		const response = await this.http.get<Envelope<WireProject>>(this.projectPath(''));
		return mapProject(response.data);
	}

	async listServices(): Promise<Service[]> {
		const services = await this.listAll<WireServiceSummary>(this.projectPath('services'), 'services');
		return services.map(service => mapService(service));
	}

	async getService(serviceId: string): Promise<Service> {
		const [response, healthPath] = await Promise.all([
			this.http.get<Envelope<WireService>>(this.projectPath(`services/${encodeURIComponent(serviceId)}`)),
			this.healthPath(serviceId),
		]);
		const service = mapService(response.data);
		return {...service, healthPath};
	}

	async listContainers(serviceId: string): Promise<Container[]> {
		const response = await this.http.get<Envelope<{containers: WireContainer[]}>>(this.projectPath(`services/${encodeURIComponent(serviceId)}/containers`));
		return response.data.containers.map(container => mapContainer(container));
	}

	async getDeployment(serviceId: string): Promise<{buildId?: string; sha?: string; instances?: number}> {
		const response = await this.http.get<Envelope<WireService['deployment']>>(this.projectPath(`services/${encodeURIComponent(serviceId)}/deployment`));
		const internal = response.data?.internal;
		return {buildId: internal?.buildId, sha: internal?.buildSHA, instances: response.data?.instances};
	}

	async listBuilds(serviceId: string, limit = 20): Promise<Build[]> {
		const builds = await this.listSome<WireBuild>(this.projectPath(`services/${encodeURIComponent(serviceId)}/build`), 'builds', limit);
		return builds.map(build => mapBuild(build));
	}

	async getBuild(serviceId: string, buildId: string): Promise<Build> {
		const response = await this.http.get<Envelope<WireBuild>>(this.projectPath(`services/${encodeURIComponent(serviceId)}/build/${encodeURIComponent(buildId)}`));
		return mapBuild(response.data);
	}

	async startBuild(serviceId: string, options: {branch?: string; sha?: string} = {}): Promise<Build> {
		const response = await this.http.post<Envelope<WireBuild>>(this.projectPath(`services/${encodeURIComponent(serviceId)}/build`), {branch: options.branch, sha: options.sha});
		return mapBuild(response.data);
	}

	async deployBuild(serviceId: string, build: {buildId: string; sourceServiceId?: string}): Promise<void> {
		await this.http.post(this.projectPath(`services/${encodeURIComponent(serviceId)}/deployment`), {
			internal: {id: build.sourceServiceId ?? serviceId, buildId: build.buildId},
		});
	}

	async restartService(serviceId: string): Promise<void> {
		await this.http.post(this.projectPath(`services/${encodeURIComponent(serviceId)}/restart`));
	}

	async listAddons(): Promise<Addon[]> {
		const addons = await this.listAll<WireAddon>(this.projectPath('addons'), 'addons');
		return addons.map(addon => mapAddon(addon));
	}

	async getAddon(addonId: string): Promise<Addon> {
		const response = await this.http.get<Envelope<WireAddon>>(this.projectPath(`addons/${encodeURIComponent(addonId)}`));
		return mapAddon(response.data);
	}

	async listBackups(addonId: string, limit = 20): Promise<Backup[]> {
		const backups = await this.listSome<WireBackup>(this.projectPath(`addons/${encodeURIComponent(addonId)}/backups`), 'backups', limit);
		return backups.map(backup => mapBackup(backup));
	}

	async getBackup(addonId: string, backupId: string): Promise<Backup> {
		const response = await this.http.get<Envelope<WireBackup>>(this.projectPath(`addons/${encodeURIComponent(addonId)}/backups/${encodeURIComponent(backupId)}`));
		return mapBackup(response.data);
	}

	async createBackup(addonId: string, options: {name?: string; kind?: 'dump' | 'snapshot'} = {}): Promise<Backup> {
		const response = await this.http.post<Envelope<WireBackup>>(this.projectPath(`addons/${encodeURIComponent(addonId)}/backups`), {name: options.name, backupType: options.kind});
		return mapBackup(response.data);
	}

	async restoreBackup(addonId: string, backupId: string): Promise<{restoreId: string}> {
		const response = await this.http.post<Envelope<{restoreId: string}>>(this.projectPath(`addons/${encodeURIComponent(addonId)}/backups/${encodeURIComponent(backupId)}/restore`));
		return {restoreId: response.data.restoreId};
	}

	async listJobs(): Promise<Job[]> {
		const jobs = await this.listAll<WireJob>(this.projectPath('jobs'), 'jobs');
		return jobs.map(job => mapJob(job));
	}

	async getJob(jobId: string): Promise<Job> {
		const response = await this.http.get<Envelope<WireJob>>(this.projectPath(`jobs/${encodeURIComponent(jobId)}`));
		return mapJob(response.data);
	}

	async listJobRuns(jobId: string, limit = 20): Promise<JobRun[]> {
		const runs = await this.listSome<WireJobRun>(this.projectPath(`jobs/${encodeURIComponent(jobId)}/runs`), 'runs', limit);
		return runs.map(run => mapJobRun(run));
	}

	async getJobRun(jobId: string, runId: string): Promise<JobRun> {
		const response = await this.http.get<Envelope<WireJobRun>>(this.projectPath(`jobs/${encodeURIComponent(jobId)}/runs/${encodeURIComponent(runId)}`));
		return mapJobRun(response.data);
	}

	async startJobRun(jobId: string, options: {command?: string; buildId?: string; sourceServiceId?: string; env?: Record<string, string>} = {}): Promise<JobRun> {
		const deployment: Record<string, unknown> = {};
		if (options.buildId) {
			deployment.internal = {id: options.sourceServiceId, buildId: options.buildId};
		}

		if (options.command) {
			deployment.docker = {configType: 'customCommand', customCommand: options.command};
		}

		const response = await this.http.post<Envelope<{id: string; runName?: string}>>(this.projectPath(`jobs/${encodeURIComponent(jobId)}/runs`), {
			deployment: Object.keys(deployment).length > 0 ? deployment : undefined,
			runtimeEnvironment: options.env,
		});
		return {id: response.data.id, name: response.data.runName, status: 'running', rawStatus: 'RUNNING', startedAt: new Date()};
	}

	async abortJobRun(jobId: string, runId: string): Promise<void> {
		await this.http.delete(this.projectPath(`jobs/${encodeURIComponent(jobId)}/runs/${encodeURIComponent(runId)}`));
	}

	async getDatabaseConnection(addonId: string): Promise<DatabaseConnection> {
		const response = await this.http.get<Envelope<WireCredentials>>(this.projectPath(`addons/${encodeURIComponent(addonId)}/credentials`));
		return mapCredentials(response.data, `the credentials of addon ${addonId}`);
	}

	async getBackupDownloadUrl(addonId: string, backupId: string): Promise<string> {
		const response = await this.http.get<Envelope<{downloadLink: string}>>(this.projectPath(`addons/${encodeURIComponent(addonId)}/backups/${encodeURIComponent(backupId)}/download-link`));
		return response.data.downloadLink;
	}

	async listRestores(addonId: string, limit = 20): Promise<Restore[]> {
		const restores = await this.listSome<WireRestore>(this.projectPath(`addons/${encodeURIComponent(addonId)}/restores`), 'restores', limit);
		return restores.map(restore => mapRestore(restore));
	}

	async probeHealth(serviceId: string, path: string, options: {timeoutMs?: number} = {}): Promise<HealthProbe> {
		return probeUrl(await this.publicUrl(serviceId, path), options.timeoutMs ?? 5000);
	}

	async fetchLogs(target: LogTarget, query: LogQuery): Promise<LogPage> {
		const {path, parameters} = logPath(target);
		const response = await this.http.get<Envelope<WireLogLine[]>>(this.projectPath(path), {...parameters, ...rangeParameters(query)});
		return toLogPage(response, target.name);
	}

	openLogTail(target: LogTarget, from: {cursor?: string; since?: Date; filter?: LogQuery['filter']}, handlers: RawTailHandlers): RawTail {
		const {path, parameters} = logPath(target);
		const url = new URL(`${this.apiBase}${this.projectPath(path)}`);
		url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
		const startTime = from.cursor ?? from.since?.toISOString();
		for (const [key, value] of Object.entries({queryType: 'tail', ...parameters, ...(startTime ? {startTime} : {}), ...filterParameters(from.filter)})) {
			url.searchParams.set(key, value);
		}

		this.http.budget.countRequest();
		return openTailSocket(url.toString(), this.options.token, target.name, handlers, this.options.platformName ?? 'Northflank');
	}

	async openExec(target: ExecTarget, request: ExecRequest): Promise<ExecSession> {
		const platformName = this.options.platformName ?? 'Northflank';
		if (target.kind === 'host') {
			throw new ProviderError('bad-request', `${platformName} exec runs in a service, job or addon, not on a host.`);
		}

		// Northflank wants an instance for addons (js-client's types require it): take a running one.
		const instance = target.instance ?? (target.kind === 'addon' ? await this.runningAddonInstance(target.id) : undefined);
		const url = new URL(`${this.apiBase}command-exec/${this.projectPath(`${target.kind}s/${encodeURIComponent(target.id)}`)}`);
		url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
		this.http.budget.countRequest();
		return openExecSocket({
			url: url.toString(),
			token: this.options.token,
			context: execContext({instance, container: target.container}, request),
			platformName,
			what: `${target.kind} ${target.name}`,
		});
	}

	/** Where the service answers from outside: its public HTTP port's DNS name on Northflank, the sandbox's emulation otherwise. */
	private async publicUrl(serviceId: string, path: string): Promise<string> {
		const suffix = path.startsWith('/') ? path : `/${path}`;
		if (this.options.sandbox) {
			return `${this.apiBase.replace(/\/v1\/$/, '')}/_sandbox/http/projects/${encodeURIComponent(this.projectId)}/services/${encodeURIComponent(serviceId)}${suffix}`;
		}

		const response = await this.http.get<Envelope<{ports?: WirePort[]}>>(this.projectPath(`services/${encodeURIComponent(serviceId)}/ports`));
		const port = (response.data.ports ?? []).find(candidate => candidate.public && candidate.protocol.startsWith('HTTP') && candidate.dns);
		if (!port?.dns) {
			throw new ProviderError('not-found', `Service ${serviceId} has no public HTTP port, so its health path cannot be checked from here.`, {hint: 'Publish an HTTP port on the service, or set the context\'s health path to one reachable through a public port.'});
		}

		return `https://${port.dns}${suffix}`;
	}

	private async runningAddonInstance(addonId: string): Promise<string | undefined> {
		const response = await this.http.get<Envelope<{containers: WireContainer[]}>>(this.projectPath(`addons/${encodeURIComponent(addonId)}/containers`));
		return response.data.containers.map(container => mapContainer(container)).find(container => container.status === 'running')?.name;
	}

	private async healthPath(serviceId: string): Promise<string | undefined> {
		const cached = this.healthPaths.get(serviceId);
		if (cached && Date.now() - cached.fetchedAt < healthCheckCacheMs) {
			return cached.path;
		}

		let path: string | undefined;
		try {
			const response = await this.http.get<Envelope<{healthChecks?: WireHealthCheck[]}>>(this.projectPath(`services/${encodeURIComponent(serviceId)}/health-checks`));
			path = mapService({id: serviceId, name: serviceId}, response.data.healthChecks ?? []).healthPath;
		} catch (error) {
			// A token without the health-check permission still gets a dashboard.
			if (!(error instanceof ProviderError) || (error.kind !== 'forbidden' && error.kind !== 'not-found')) {
				throw error;
			}
		}

		this.healthPaths.set(serviceId, {path, fetchedAt: Date.now()});
		return path;
	}

	private scopedPath(rest: string, projectScoped: boolean): string {
		const team = this.options.team ? `teams/${encodeURIComponent(this.options.team)}/` : '';
		const project = projectScoped ? `projects/${encodeURIComponent(this.projectId)}` : '';
		return `${team}${project}${rest && project ? '/' : ''}${rest}`;
	}

	private projectPath(rest: string): string {
		return this.scopedPath(rest, true);
	}

	/** Follows the cursor until the last page. */
	private async listAll<T>(path: string, key: string): Promise<T[]> {
		const items: T[] = [];
		let cursor: string | undefined;
		do {
			 
			const response = await this.http.get<Envelope<Record<string, T[]>>>(path, {per_page: maxPerPage, cursor});
			items.push(...(response.data[key] ?? []));
			cursor = response.pagination?.hasNextPage === false ? undefined : response.pagination?.cursor;
		} while (cursor);

		return items;
	}

	/** The newest `limit` items, following the cursor only as far as needed. */
	private async listSome<T>(path: string, key: string, limit: number): Promise<T[]> {
		const items: T[] = [];
		let cursor: string | undefined;
		do {
			 
			const response = await this.http.get<Envelope<Record<string, T[]>>>(path, {per_page: Math.min(maxPerPage, limit - items.length), cursor});
			items.push(...(response.data[key] ?? []));
			cursor = response.pagination?.hasNextPage === false ? undefined : response.pagination?.cursor;
		} while (cursor && items.length < limit);

		return items.slice(0, limit);
	}
}
