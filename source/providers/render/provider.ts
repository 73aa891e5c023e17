import type {DatabaseConnection, HealthProbe, Restore} from '../../core/database.js';
import {ProviderError} from '../../core/errors.js';
import type {ExecRequest, ExecSession, ExecTarget} from '../../core/exec.js';
import type {LogPage, LogQuery, LogTarget, RawTail, RawTailHandlers} from '../../core/logs.js';
import type {Provider, RequestStats} from '../../core/provider.js';
import type {Addon, Backup, Build, Container, Job, JobRun, Project, Service} from '../../core/types.js';
import {createHttpClient, type HttpClient} from '../../infra/http.js';
import type {SshConnectOptions} from '../../infra/ssh/index.js';
import {probeUrl} from '../northflank/health-probe.js';
import {localFilter, LogIdFilter, logResource, maxLogPage, openSubscribeSocket, toLogLine} from './logs.js';
import {mapConnectionInfo, mapDeploy, mapExport, mapInstance, mapJob, mapPostgres, mapService} from './map.js';
import type {WireConnectionInfo, WireDeploy, WireEvent, WireExport, WireInstance, WireJob, WireLogsPage, WireOwner, WirePostgres, WireService} from './wire.js';

export const renderApiUrl = 'https://api.render.com';
/** The environment variable Render's own CLI reads the API key from. */
export const renderApiKeyVariable = 'RENDER_API_KEY';

export type RenderOptions = {
	/** API base without /v1; Render's by default, the sandbox's for a sandbox. */
	baseUrl?: string;
	/** Render API key (RENDER_API_KEY); never shown. */
	apiKey: string;
	/** The workspace (owner) to scope everything to: its id (`tea-…`/`usr-…`) or name. Needed when the key reaches several. */
	workspace?: string;
	platformName?: string;
	timeoutMs?: number;
	/**
	 * How exec reaches services over SSH (everything but the destination, which is the service's
	 * sshAddress): confirmUnknownHost and askPassphrase when someone can be asked, known_hosts, keys.
	 */
	ssh?: Omit<SshConnectOptions, 'destination'>;
};

/** What a rollback did, and what the operator should know about it. */
export type RenderRollback = {deploy: Build; autoDeploy: boolean; warning?: string};

/** A point-in-time recovery: always a NEW database, which the services are not yet using. */
export type RenderRecovery = {database: Addon; nextSteps: string};

const pageSize = 100;
/** Services that can run one-off jobs (static sites cannot). */
const jobCapableTypes = new Set(['web_service', 'private_service', 'background_worker', 'cron_job']);

/**
 * Render seen through the console's Provider interface. A workspace (owner) is the "project"; a deploy
 * is a build; a service's health is derived from its suspension, latest deploys, instances and events;
 * one-off jobs are the runs of a per-service "job"; exports are backups.
 */
export class RenderProvider implements Provider {
	readonly platform = 'render' as const;
	private readonly http: HttpClient;
	private readonly apiBase: string;
	private readonly platformName: string;
	private owner: WireOwner | undefined;
	private readonly logIds = new Map<string, LogIdFilter>();

	constructor(private readonly options: RenderOptions) {
		this.apiBase = `${(options.baseUrl ?? renderApiUrl).replace(/\/$/, '')}/v1/`;
		this.platformName = options.platformName ?? 'Render';
		this.http = createHttpClient({
			baseUrl: this.apiBase,
			token: options.apiKey,
			platformName: this.platformName,
			displayUrl: options.baseUrl ?? renderApiUrl,
			timeoutMs: options.timeoutMs,
		});
	}

	stats(): RequestStats {
		return {requests: this.http.budget.requests, budget: this.http.budget.snapshot()};
	}

	/** Checks the key and picks the workspace: the one named, or the only one the key reaches. */
	async verify(): Promise<Project> {
		const owners = (await this.listAll<'owner', WireOwner>('owners', 'owner')).map(item => item.owner);
		const wanted = this.options.workspace;
		const match = wanted === undefined ? (owners.length === 1 ? owners[0] : undefined) : owners.find(owner => owner.id === wanted || owner.name === wanted);
		if (!match) {
			const known = owners.map(owner => `${owner.name} (${owner.id})`).join(', ') || 'none';
			throw wanted === undefined
				? new ProviderError('bad-request', `This Render API key reaches ${owners.length} workspaces; choose one.`, {hint: `Set the context's workspace to one of: ${known}.`})
				: new ProviderError('not-found', `No Render workspace "${wanted}" is visible to this API key.`, {hint: `Workspaces this key can see: ${known}. Fix the workspace in the context.`});
		}

		this.owner = match;
		return {id: match.id, name: match.name};
	}

	/** The workspaces (owners) the key reaches, for choosing one. */
	async listWorkspaces(): Promise<Project[]> {
		return (await this.listAll<'owner', WireOwner>('owners', 'owner')).map(({owner}) => ({id: owner.id, name: owner.name}));
	}

	async getProject(): Promise<Project> {
		const owner = await this.ownerOf();
		return {id: owner.id, name: owner.name};
	}

	async listServices(): Promise<Service[]> {
		const ownerId = (await this.ownerOf()).id;
		const services = (await this.listAll<'service', WireService>('services', 'service', {ownerId})).map(item => item.service);
		return Promise.all(services.map(async service => this.withHistory(service)));
	}

	async getService(serviceId: string): Promise<Service> {
		return this.withHistory(await this.http.get<WireService>(`services/${encodeURIComponent(serviceId)}`));
	}

	async listContainers(serviceId: string): Promise<Container[]> {
		const instances = await this.http.get<WireInstance[]>(`services/${encodeURIComponent(serviceId)}/instances`);
		return instances.map(instance => mapInstance(instance));
	}

	async getDeployment(serviceId: string): Promise<{buildId?: string; sha?: string; instances?: number}> {
		const [service, deploys] = await Promise.all([this.http.get<WireService>(`services/${encodeURIComponent(serviceId)}`), this.deploys(serviceId, 20)]);
		const live = deploys.find(deploy => deploy.status === 'live');
		return {buildId: live?.id, sha: live?.commit?.id ?? live?.image?.sha, instances: service.serviceDetails?.numInstances};
	}

	async listBuilds(serviceId: string, limit = 20): Promise<Build[]> {
		return (await this.deploys(serviceId, limit)).map(deploy => mapDeploy(deploy));
	}

	async getBuild(serviceId: string, buildId: string): Promise<Build> {
		return mapDeploy(await this.http.get<WireDeploy>(`services/${encodeURIComponent(serviceId)}/deploys/${encodeURIComponent(buildId)}`));
	}

	/** On Render a build always deploys: this triggers a deploy (of `sha`, or the branch's head). */
	async startBuild(serviceId: string, options: {branch?: string; sha?: string} = {}): Promise<Build> {
		const {deploy} = await this.triggerDeploy(serviceId, {commitId: options.sha});
		return deploy;
	}

	/**
	 * `POST /services/{id}/deploys`. Render answers 201 with the deploy, or 202 without a body when it
	 * queued the deploy behind one in progress; the queued deploy is then found in the deploy list.
	 */
	async triggerDeploy(serviceId: string, options: {commitId?: string; clearCache?: boolean; deployOnly?: boolean} = {}): Promise<{deploy: Build; queued: boolean}> {
		const body = {
			...(options.commitId === undefined ? {} : {commitId: options.commitId}),
			...(options.clearCache === undefined ? {} : {clearCache: options.clearCache ? 'clear' : 'do_not_clear'}),
			...(options.deployOnly ? {deployMode: 'deploy_only'} : {}),
		};
		const created = await this.http.post<WireDeploy | undefined>(`services/${encodeURIComponent(serviceId)}/deploys`, body);
		if (created) {
			return {deploy: mapDeploy(created), queued: false};
		}

		const [queued] = await this.deploys(serviceId, 1, {status: 'queued'});
		const [newest] = queued ? [queued] : await this.deploys(serviceId, 1);
		if (!newest) {
			throw new ProviderError('protocol', `${this.platformName} queued a deploy of ${serviceId} but lists none.`);
		}

		return {deploy: mapDeploy(newest), queued: true};
	}

	/** Rolling back is how Render points a service at an earlier deploy's build. */
	async deployBuild(serviceId: string, build: {buildId: string; sourceServiceId?: string}): Promise<void> {
		await this.rollback(serviceId, build.buildId);
	}

	/**
	 * `POST /services/{id}/rollback`: the target deploy's artifact goes live again, no rebuild. Unlike the
	 * dashboard, the API leaves auto-deploy on, so the next push deploys again: the warning says so.
	 */
	async rollback(serviceId: string, deployId: string): Promise<RenderRollback> {
		const [deploy, service] = await Promise.all([
			this.http.post<WireDeploy>(`services/${encodeURIComponent(serviceId)}/rollback`, {deployId}),
			this.http.get<WireService>(`services/${encodeURIComponent(serviceId)}`),
		]);
		const autoDeploy = service.autoDeploy !== 'no';
		return {
			deploy: mapDeploy(deploy),
			autoDeploy,
			...(autoDeploy ? {warning: `Auto-deploy is still on for ${service.name}: the next push to ${service.branch ?? 'its branch'} deploys again. Render's API rollback does not turn it off (the dashboard's does); set autoDeploy to "no" (PATCH /v1/services/${serviceId}) to keep this rollback.`} : {}),
		};
	}

	/** `PATCH /services/{id}` `{autoDeploy}`: "no" keeps a rollback from being undone by the next push. Returns the setting Render reports. */
	async setAutoDeploy(serviceId: string, enabled: boolean): Promise<{autoDeploy: boolean}> {
		const service = await this.http.patch<WireService>(`services/${encodeURIComponent(serviceId)}`, {autoDeploy: enabled ? 'yes' : 'no'});
		return {autoDeploy: service.autoDeploy !== 'no'};
	}

	/**
	 * `PATCH /services/{id}` `{serviceDetails: {preDeployCommand}}`: Render runs it from each new build
	 * before the build takes traffic; a failure fails the deploy (`pre_deploy_failed`). Returns the command
	 * Render reports (read back from `serviceDetails.envSpecificDetails`).
	 */
	async setPreDeployCommand(serviceId: string, command: string): Promise<{preDeployCommand?: string}> {
		const service = await this.http.patch<WireService>(`services/${encodeURIComponent(serviceId)}`, {serviceDetails: {preDeployCommand: command}});
		return {preDeployCommand: service.serviceDetails?.envSpecificDetails?.preDeployCommand};
	}

	/** The pre-deploy command the service has now, if any. */
	async getPreDeployCommand(serviceId: string): Promise<string | undefined> {
		const service = await this.http.get<WireService>(`services/${encodeURIComponent(serviceId)}`);
		return service.serviceDetails?.envSpecificDetails?.preDeployCommand;
	}

	async restartService(serviceId: string): Promise<void> {
		await this.http.post(`services/${encodeURIComponent(serviceId)}/restart`);
	}

	async suspendService(serviceId: string): Promise<void> {
		await this.http.post(`services/${encodeURIComponent(serviceId)}/suspend`);
	}

	async resumeService(serviceId: string): Promise<void> {
		await this.http.post(`services/${encodeURIComponent(serviceId)}/resume`);
	}

	async listAddons(): Promise<Addon[]> {
		const ownerId = (await this.ownerOf()).id;
		return (await this.listAll<'postgres', WirePostgres>('postgres', 'postgres', {ownerId})).map(item => mapPostgres(item.postgres));
	}

	async getAddon(addonId: string): Promise<Addon> {
		return mapPostgres(await this.http.get<WirePostgres>(`postgres/${encodeURIComponent(addonId)}`));
	}

	/** Render's exports (logical pg_dump backups, kept 7 days), newest first. */
	async listBackups(addonId: string, limit = 20): Promise<Backup[]> {
		return (await this.exports(addonId)).slice(0, limit).map(entry => mapExport(entry));
	}

	async getBackup(addonId: string, backupId: string): Promise<Backup> {
		return mapExport(await this.exportOf(addonId, backupId));
	}

	/** Starts an export (Render answers 202 without a body) and returns it as the newest in the list. */
	async createBackup(addonId: string): Promise<Backup> {
		const started = Date.now();
		await this.http.post(`postgres/${encodeURIComponent(addonId)}/export`);
		const newest = (await this.exports(addonId))[0];
		if (!newest || (new Date(newest.createdAt).getTime() < started - 60_000)) {
			throw new ProviderError('protocol', `${this.platformName} accepted an export of ${addonId} but does not list it.`);
		}

		return mapExport(newest);
	}

	/** Render never restores over a database: see recoverDatabase. */
	async restoreBackup(addonId: string): Promise<{restoreId: string}> {
		throw new ProviderError('protocol', `Render does not restore a backup over database ${addonId}. Its recovery is point-in-time into a NEW database (POST /v1/postgres/${addonId}/recovery); an export is restored with pg_restore --format=directory into a database you choose.`, {hint: 'Recover to a new database, check it, then point the services\' DATABASE_URL (or their environment group) at it and redeploy.'});
	}

	/**
	 * Point-in-time recovery: Render creates a NEW database from the state at `restoreTime`. Nothing
	 * uses it until the services are re-pointed; `nextSteps` spells that out.
	 */
	async recoverDatabase(addonId: string, options: {restoreTime: Date; name?: string}): Promise<RenderRecovery> {
		const created = await this.http.post<WirePostgres>(`postgres/${encodeURIComponent(addonId)}/recovery`, {restoreTime: options.restoreTime.toISOString(), ...(options.name === undefined ? {} : {restoreName: options.name})});
		return {
			database: mapPostgres(created),
			nextSteps: `Recovery creates ${created.name} (${created.id}); ${addonId} and the services are unchanged. When ${created.id} is available: check its data, then set DATABASE_URL (in the services or their environment group) to its internal connection string from GET /v1/postgres/${created.id}/connection-info, redeploy the services, and only then retire ${addonId}.`,
		};
	}

	async listRestores(): Promise<Restore[]> {
		return [];
	}

	async getBackupDownloadUrl(addonId: string, backupId: string): Promise<string> {
		const entry = await this.exportOf(addonId, backupId);
		if (entry.url === undefined) {
			throw new ProviderError('bad-request', `Export ${backupId} of ${addonId} is not finished yet; it has no download link.`);
		}

		return entry.url;
	}

	/** Render has no job objects: each service that can run one-off jobs is shown as a job whose runs they are. */
	async listJobs(): Promise<Job[]> {
		const ownerId = (await this.ownerOf()).id;
		const services = (await this.listAll<'service', WireService>('services', 'service', {ownerId})).map(item => item.service);
		return services.filter(service => jobCapableTypes.has(service.type)).map(service => jobOf(service));
	}

	async getJob(jobId: string): Promise<Job> {
		return jobOf(await this.http.get<WireService>(`services/${encodeURIComponent(jobId)}`));
	}

	async listJobRuns(jobId: string, limit = 20): Promise<JobRun[]> {
		const jobs = await this.listAll<'job', WireJob>(`services/${encodeURIComponent(jobId)}/jobs`, 'job', {}, limit);
		return jobs.map(item => mapJob(item.job));
	}

	async getJobRun(jobId: string, runId: string): Promise<JobRun> {
		return mapJob(await this.http.get<WireJob>(`services/${encodeURIComponent(jobId)}/jobs/${encodeURIComponent(runId)}`));
	}

	/** A one-off job on the service's latest successful build: `command` is its startCommand. */
	async startJobRun(jobId: string, options: {command?: string; buildId?: string; env?: Record<string, string>} = {}): Promise<JobRun> {
		if (options.command === undefined || options.command.trim() === '') {
			throw new ProviderError('bad-request', 'A Render one-off job needs a command (its startCommand).', {hint: 'Give the command to run, e.g. python manage.py migrate --noinput.'});
		}

		if (options.buildId !== undefined || (options.env !== undefined && Object.keys(options.env).length > 0)) {
			throw new ProviderError('bad-request', 'Render one-off jobs always run the service\'s latest successful build with its environment; a build or extra variables cannot be chosen.');
		}

		return mapJob(await this.http.post<WireJob>(`services/${encodeURIComponent(jobId)}/jobs`, {startCommand: options.command}));
	}

	async abortJobRun(jobId: string, runId: string): Promise<void> {
		await this.http.post(`services/${encodeURIComponent(jobId)}/jobs/${encodeURIComponent(runId)}/cancel`);
	}

	async getDatabaseConnection(addonId: string): Promise<DatabaseConnection> {
		const info = await this.http.get<WireConnectionInfo>(`postgres/${encodeURIComponent(addonId)}/connection-info`);
		return mapConnectionInfo(info, `the connection info of ${addonId}`);
	}

	/** One GET of `path` on the service's public URL (serviceDetails.url; the sandbox serves its emulation there). */
	async probeHealth(serviceId: string, path: string, options: {timeoutMs?: number} = {}): Promise<HealthProbe> {
		const service = await this.http.get<WireService>(`services/${encodeURIComponent(serviceId)}`);
		const base = service.serviceDetails?.url;
		if (!base) {
			throw new ProviderError('not-found', `Service ${service.name} has no public URL, so its health path cannot be checked from here.`, {hint: 'Only web services have a public URL on Render.'});
		}

		return probeUrl(`${base.replace(/\/$/, '')}${path.startsWith('/') ? path : `/${path}`}`, options.timeoutMs ?? 5000);
	}

	async fetchLogs(target: LogTarget, query: LogQuery): Promise<LogPage> {
		const ownerId = (await this.ownerOf()).id;
		const keep = localFilter(query.filter);
		const includeText = query.filter && !query.filter.regex && !query.filter.exclude ? {text: query.filter.pattern} : {};
		const page = await this.http.get<WireLogsPage>('logs', {
			ownerId,
			...logResource(target),
			startTime: query.since?.toISOString(),
			endTime: query.until?.toISOString(),
			direction: query.direction,
			limit: Math.min(maxLogPage, query.limit ?? maxLogPage),
			...includeText,
		});
		return {lines: page.logs.filter(entry => keep(entry.message)).map(entry => toLogLine(entry, target.name)), hasMore: page.hasMore};
	}

	openLogTail(target: LogTarget, from: {cursor?: string; since?: Date; filter?: LogQuery['filter']}, handlers: RawTailHandlers): RawTail {
		let closed = false;
		let socket: RawTail | undefined;
		const open = (ownerId: string) => {
			const url = new URL(`${this.apiBase}logs/subscribe`);
			url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
			const startTime = from.cursor ?? from.since?.toISOString();
			for (const [key, value] of Object.entries({ownerId, ...logResource(target), ...(startTime ? {startTime} : {})})) {
				url.searchParams.set(key, value);
			}

			const key = `${target.kind}:${JSON.stringify(logResource(target))}`;
			const ids = this.logIds.get(key) ?? new LogIdFilter();
			this.logIds.set(key, ids);
			ids.resume(from.cursor);
			this.http.budget.countRequest();
			socket = openSubscribeSocket({url: url.toString(), apiKey: this.options.apiKey, source: target.name, platformName: this.platformName, ids, keep: localFilter(from.filter)}, handlers);
		};

		if (this.owner) {
			open(this.owner.id);
		} else {
			this.ownerOf().then(owner => {
				if (!closed) {
					open(owner.id);
				}
			}, (error: unknown) => {
				handlers.onClose(error as Error);
			});
		}

		return {
			close() {
				closed = true;
				socket?.close();
			},
		};
	}

	/**
	 * A shell or command in a service over SSH to its `sshAddress` (`srv-…@ssh.<region>.render.com`), as
	 * `render ssh` does: host keys checked against known_hosts, keys from the agent or ~/.ssh. A named
	 * instance is reached by logging in as the instance id. The connection ends with the session.
	 */
	async openExec(target: ExecTarget, request: ExecRequest): Promise<ExecSession> {
		if (target.kind !== 'service') {
			throw new ProviderError('bad-request', `Render exec runs in a service over SSH, not in ${target.kind === 'host' ? 'a host' : `an ${target.kind}`}.`);
		}

		const service = await this.http.get<WireService>(`services/${encodeURIComponent(target.id)}`);
		const address = service.serviceDetails?.sshAddress;
		if (!address) {
			throw new ProviderError('bad-request', `Service ${service.name} has no SSH address, so no shell can be opened in it.`, {hint: 'Render offers SSH for paid web services, private services and background workers.'});
		}

		if (service.suspended === 'suspended') {
			throw new ProviderError('bad-request', `Service ${service.name} is suspended: there is no instance to open a shell in.`, {hint: 'Resume it first.'});
		}

		const destination = target.instance === undefined ? address : `${target.instance}${address.slice(address.lastIndexOf('@'))}`;
		const {connectSsh, sshExec} = await import('../../infra/ssh/index.js');
		const connection = await connectSsh({...this.options.ssh, destination});
		let session: ExecSession;
		try {
			session = await sshExec(connection, request);
		} catch (error) {
			connection.close();
			throw error;
		}

		void session.result.finally(() => {
			connection.close();
		});
		return {
			where: {host: destination, ...(target.instance === undefined ? {} : {instance: target.instance})},
			write: data => {
				session.write(data);
			},
			endInput() {
				session.endInput();
			},
			resize(columns, rows) {
				session.resize(columns, rows);
			},
			onOutput(listener) {
				session.onOutput(listener);
			},
			result: session.result,
			close() {
				session.close();
			},
		};
	}

	/** The service with its latest deploys and recent events, from which its health is derived. */
	private async withHistory(service: WireService): Promise<Service> {
		const [deploys, events] = await Promise.all([
			this.deploys(service.id, 5),
			this.http.get<Array<{event: WireEvent}>>(`services/${encodeURIComponent(service.id)}/events`, {limit: 20}),
		]);
		return mapService(service, deploys, events.map(item => item.event));
	}

	private async deploys(serviceId: string, limit: number, filters: Record<string, string> = {}): Promise<WireDeploy[]> {
		return (await this.listAll<'deploy', WireDeploy>(`services/${encodeURIComponent(serviceId)}/deploys`, 'deploy', filters, limit)).map(item => item.deploy);
	}

	private async exports(addonId: string): Promise<WireExport[]> {
		const entries = await this.http.get<WireExport[]>(`postgres/${encodeURIComponent(addonId)}/export`);
		return [...entries].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
	}

	private async exportOf(addonId: string, exportId: string): Promise<WireExport> {
		const entry = (await this.exports(addonId)).find(candidate => candidate.id === exportId);
		if (!entry) {
			throw new ProviderError('not-found', `No export ${exportId} of ${addonId} (Render keeps exports for 7 days).`);
		}

		return entry;
	}

	private async ownerOf(): Promise<WireOwner> {
		if (!this.owner) {
			await this.verify();
		}

		return this.owner!;
	}

	/** Follows cursors (`[{<key>, cursor}]`) until a short page, or until `limit` items. */
	private async listAll<K extends string, T>(path: string, key: K, filters: Record<string, string> = {}, limit = Number.POSITIVE_INFINITY): Promise<Array<Record<K, T> & {cursor: string}>> {
		const items: Array<Record<K, T> & {cursor: string}> = [];
		let cursor: string | undefined;
		for (;;) {
			const wanted = Math.min(pageSize, limit - items.length);
			 
			const page = await this.http.get<Array<Record<K, T> & {cursor: string}>>(path, {...filters, limit: wanted, cursor});
			items.push(...page.filter(item => item[key] !== undefined));
			cursor = page.at(-1)?.cursor;
			if (page.length < wanted || items.length >= limit || cursor === undefined) {
				return items.slice(0, limit);
			}
		}
	}
}

function jobOf(service: WireService): Job {
	return {id: service.id, name: `${service.name} one-off jobs`, kind: 'one-off', suspended: service.suspended === 'suspended', ...(service.serviceDetails?.schedule ? {schedule: service.serviceDetails.schedule} : {})};
}
