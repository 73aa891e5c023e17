import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import type {DatabaseConnection, HealthProbe, Restore} from '../../core/database.js';
import {ProviderError} from '../../core/errors.js';
import type {ExecRequest, ExecSession, ExecTarget} from '../../core/exec.js';
import type {LogLine, LogPage, LogQuery, LogTarget, RawTail, RawTailHandlers} from '../../core/logs.js';
import type {Provider, RequestStats} from '../../core/provider.js';
import type {Addon, Build, Container, Job, JobRun, Project, Service} from '../../core/types.js';
import {openTunnel, type SshTunnel} from '../../infra/ssh/index.js';
import {backupsDirectory} from '../../infra/state-path.js';
import {probeUrl} from '../northflank/health-probe.js';
import {BackupStore, type ComposeBackup} from './backup.js';
import {RestoreStore} from './restore.js';
import {followCommand, getDetached, listDetached, readDetachedLog, startDetached, type DetachedRun} from './detached.js';
import {ComposeHost, composeFailure, type CommandResult} from './host.js';
import {lineFilter, logsArguments, parseLogLine, readLines} from './logs.js';
import {checkComposeOptions, type ComposeOptions} from './options.js';
import {parseJsonLines, toAddon, toContainer, toService, type WireImage, type WirePsEntry} from './ps.js';

type ComposeModel = {name: string; services: Record<string, {image?: string; environment?: Record<string, string | null> | string[]}>};

/** ps answers are shared for this long, so one dashboard refresh costs one `ps` however many panes ask. */
const psCacheMs = 1000;
const shellInContainer = ['sh', '-c', 'command -v bash >/dev/null 2>&1 && exec bash || exec sh'];

/**
 * A Docker Compose project on a host over SSH: services and containers from `docker compose ps`,
 * the database service as the addon, image tags as builds, logs, exec in a pty, and pg_dump backups
 * kept as local files and restored over SSH. Long commands (migrations as job runs of the app service,
 * deploys) run detached on the host and are followed by reading their state files.
 */
export class ComposeProvider implements Provider {
	readonly platform = 'compose' as const;
	readonly host: ComposeHost;
	private readonly backups: BackupStore;
	private readonly restores: RestoreStore;
	private model: ComposeModel | undefined;
	private ps: {at: number; entries: Promise<WirePsEntry[]>} | undefined;
	private readonly tunnels = new Map<string, Promise<SshTunnel>>();

	constructor(private readonly options: ComposeOptions) {
		checkComposeOptions(options);
		this.host = new ComposeHost(options);
		const backupDirectory = options.backupDirectory ?? join(backupsDirectory(), 'compose', safeName(options.destination), safeName(options.projectName ?? options.projectDirectory));
		this.backups = new BackupStore(backupDirectory);
		this.restores = new RestoreStore(backupDirectory);
	}

	stats(): RequestStats {
		return {requests: this.host.commands, budget: {}};
	}

	/** Reads the project's configuration and checks both services are in it. */
	async verify(): Promise<Project> {
		const model = await this.loadModel(true);
		for (const [setting, service] of [['appService', this.options.appService], ['dbService', this.options.dbService]] as const) {
			if (!model.services[service]) {
				throw new ProviderError('not-found', `The Compose project ${model.name} on ${this.host.name} has no service "${service}".`, {hint: `Services there: ${Object.keys(model.services).join(', ') || 'none'}. Fix "${setting}" in the context.`});
			}
		}

		return this.getProject();
	}

	async getProject(): Promise<Project> {
		const model = await this.loadModel();
		return {id: model.name, name: model.name, region: this.host.name};
	}

	async listServices(): Promise<Service[]> {
		const [model, entries] = await Promise.all([this.loadModel(), this.psEntries()]);
		return Object.keys(model.services).filter(name => name !== this.options.dbService).map(name => this.serviceFrom(name, entries));
	}

	/** The app service's deployment is in progress while a detached `up --wait` runs, and failed when it failed. */
	async getService(serviceId: string): Promise<Service> {
		await this.requireService(serviceId);
		const service = this.serviceFrom(serviceId, await this.psEntries());
		if (serviceId !== this.options.appService) {
			return service;
		}

		const deploy = await this.latestDeploy();
		if (deploy?.state === 'running') {
			return {...service, deployment: {status: 'in-progress', rawStatus: `up --wait of ${deploy.tag} running (${deploy.id})`}};
		}

		if (deploy && deploy.exitCode !== 0) {
			return {...service, deployment: {status: 'failed', rawStatus: `the deploy of ${deploy.tag} failed (${deploy.state === 'lost' ? 'its process is gone' : `exit ${deploy.exitCode}`}): ${deploy.lastLine ?? 'no output'}`}};
		}

		return service;
	}

	async listContainers(serviceId: string): Promise<Container[]> {
		await this.requireService(serviceId);
		return (await this.psEntries()).filter(entry => entry.Service === serviceId).map(entry => toContainer(entry));
	}

	/** The tag the app runs, or the one a detached deploy is bringing up. */
	async getDeployment(serviceId: string): Promise<{buildId?: string; sha?: string; instances?: number}> {
		const service = await this.getService(serviceId);
		const deploy = serviceId === this.options.appService ? await this.latestDeploy() : undefined;
		if (deploy?.state === 'running') {
			return {buildId: deploy.tag, instances: service.instances};
		}

		return {...(service.deployedBuildId ? {buildId: service.deployedBuildId} : {}), instances: service.instances};
	}

	/** The image tags the service's containers run, as builds (Compose hosts pull images; they do not build them). */
	async listBuilds(serviceId: string, limit = 20): Promise<Build[]> {
		await this.requireService(serviceId);
		const images = parseJsonLines<WireImage>(await this.host.output(['images', '--format', 'json', serviceId]), '`docker compose images --format json`');
		const seen = new Set<string>();
		const builds: Build[] = [];
		for (const image of images) {
			if (!seen.has(image.Tag)) {
				seen.add(image.Tag);
				const created = image.Created ? new Date(image.Created) : undefined;
				builds.push({id: image.Tag, message: `${image.Repository}:${image.Tag}`, status: 'success', rawStatus: 'pulled', ...(created && !Number.isNaN(created.getTime()) ? {createdAt: created} : {})});
			}
		}

		return builds.slice(0, limit);
	}

	/** A tag not running is pulled (the release's "pull the new tag"): it is a SUCCESS build once the host has it. */
	async getBuild(serviceId: string, buildId: string): Promise<Build> {
		const build = (await this.listBuilds(serviceId)).find(candidate => candidate.id === buildId);
		if (build) {
			return build;
		}

		if (serviceId !== this.options.appService || !imageTag.test(buildId)) {
			return {id: buildId, status: 'unknown', rawStatus: 'not running on the host'};
		}

		const pulled = await this.host.run(['pull', '--quiet', serviceId], {env: {[this.options.tagVariable]: buildId}, timeoutMs: 30 * 60 * 1000});
		return pulled.code === 0
			? {id: buildId, message: `${serviceId} image tag ${buildId}`, status: 'success', rawStatus: 'pulled'}
			: {id: buildId, status: 'failure', rawStatus: `not pulled: ${composeFailure(['pull'], pulled, this.host.name).message}`};
	}

	async startBuild(): Promise<Build> {
		throw new ProviderError('bad-request', `A Compose host runs images; it does not build them (${this.host.name}).`, {hint: 'Build and push the image from CI, then release its tag.'});
	}

	/**
	 * Starts, detached on the host, `pull` then `up -d --wait` with the tag in the tag variable, and
	 * returns: getService says in-progress until it ends, then completed or failed.
	 */
	async deployBuild(serviceId: string, build: {buildId: string}): Promise<void> {
		if (serviceId !== this.options.appService) {
			throw new ProviderError('bad-request', `Only the application service (${this.options.appService}) takes its image tag from ${this.options.tagVariable}; ${serviceId} cannot be deployed by tag.`);
		}

		const wait = this.options.waitTimeoutSeconds ?? 120;
		this.ps = undefined;
		await startDetached(this.host, this.options.projectDirectory, {
			kind: 'deploy',
			service: serviceId,
			tag: build.buildId,
			command: `up --wait ${serviceId} with ${this.options.tagVariable}=${build.buildId}`,
			steps: [['pull', '--quiet', serviceId], ['up', '--detach', '--wait', '--wait-timeout', String(wait), '--no-deps', serviceId]],
			env: {[this.options.tagVariable]: build.buildId},
		});
	}

	async restartService(serviceId: string): Promise<void> {
		await this.requireService(serviceId);
		this.ps = undefined;
		await this.host.output(['restart', serviceId], {timeoutMs: 5 * 60 * 1000});
		this.ps = undefined;
	}

	async listAddons(): Promise<Addon[]> {
		return [await this.getAddon(this.options.dbService)];
	}

	async getAddon(addonId: string): Promise<Addon> {
		this.requireAddon(addonId);
		const [model, entries] = await Promise.all([this.loadModel(), this.psEntries()]);
		return toAddon(addonId, entries.filter(entry => entry.Service === addonId), model.services[addonId]?.image);
	}

	async listBackups(addonId: string, limit = 20): Promise<ComposeBackup[]> {
		this.requireAddon(addonId);
		return this.backups.list(limit);
	}

	async getBackup(addonId: string, backupId: string): Promise<ComposeBackup> {
		this.requireAddon(addonId);
		const backup = await this.backups.get(backupId);
		if (!backup) {
			throw new ProviderError('not-found', `There is no backup ${backupId} of ${addonId} on this machine.`);
		}

		return backup;
	}

	/**
	 * `pg_dump -Fc` in the database container, streamed over SSH to a local file, then listed with
	 * pg_restore and hashed. Resolves when it has completed or failed (the Backup says which, and why).
	 */
	async createBackup(addonId: string, options: {name?: string} = {}): Promise<ComposeBackup> {
		this.requireAddon(addonId);
		// No ps first (a round trip): when nothing runs, Compose's own "service "db" is not running" fails the backup.
		return this.backups.take(this.host, addonId, options.name);
	}

	/**
	 * Destructive: streams the local archive into `pg_restore --clean --if-exists --no-owner` in the
	 * database container, in one transaction, and resolves when it has ended (listRestores says how).
	 */
	async restoreBackup(addonId: string, backupId: string): Promise<{restoreId: string}> {
		const backup = await this.getBackup(addonId, backupId);
		if (backup.status !== 'completed') {
			throw new ProviderError('bad-request', `Backup ${backupId} ${backup.rawStatus}: there is no archive to restore.`);
		}

		const restore = await this.restores.restore(this.host, addonId, backup.id, backup.file);
		return {restoreId: restore.id};
	}

	async listRestores(addonId: string, limit = 20): Promise<Restore[]> {
		this.requireAddon(addonId);
		return this.restores.list(limit);
	}

	/** A file: URL of the local archive. */
	async getBackupDownloadUrl(addonId: string, backupId: string): Promise<string> {
		const backup = await this.getBackup(addonId, backupId);
		if (backup.status !== 'completed') {
			throw new ProviderError('not-found', `Backup ${backupId} ${backup.rawStatus}: there is no archive to download.`);
		}

		return pathToFileURL(backup.file).href;
	}

	/**
	 * The database as the service's environment describes it (POSTGRES_USER, POSTGRES_DB, POSTGRES_PASSWORD),
	 * reached through an SSH tunnel to the port it publishes on the host. The tunnel lives until close().
	 */
	async getDatabaseConnection(addonId: string): Promise<DatabaseConnection> {
		this.requireAddon(addonId);
		const model = await this.loadModel();
		const environment = environmentOf(model.services[addonId]?.environment);
		const entry = await this.requireRunning(addonId);
		const publisher = (entry.Publishers ?? []).find(candidate => candidate.TargetPort === 5432 && candidate.PublishedPort > 0);
		if (!publisher) {
			throw new ProviderError('not-found', `The ${addonId} service on ${this.host.name} publishes no port for 5432, so wheelhouse cannot reach the database.`, {hint: `Publish it on the host's loopback only: ports: ["127.0.0.1:5432:5432"] under ${addonId} in compose.yml.`});
		}

		const tunnel = await this.tunnelTo(publisher.URL, publisher.PublishedPort);
		const user = environment.POSTGRES_USER || 'postgres';
		return {
			host: tunnel.localHost,
			port: tunnel.localPort,
			database: environment.POSTGRES_DB || user,
			user,
			...(environment.POSTGRES_PASSWORD ? {password: environment.POSTGRES_PASSWORD} : {}),
			ssl: 'disable',
			source: `the ${addonId} service's environment, through an SSH tunnel to ${this.host.name}`,
		};
	}

	/** GET of the path on the port the service publishes on the host, through an SSH tunnel. */
	async probeHealth(serviceId: string, path: string, options: {timeoutMs?: number} = {}): Promise<HealthProbe> {
		const service = await this.getService(serviceId);
		const port = service.ports?.find(candidate => candidate.public && candidate.protocol === 'TCP');
		const publisher = (await this.psEntries()).find(entry => entry.Service === serviceId)?.Publishers?.find(candidate => candidate.PublishedPort === port?.port);
		if (!port || !publisher) {
			throw new ProviderError('not-found', `${serviceId} publishes no port on ${this.host.name}, so its health path cannot be checked from here.`, {hint: `Publish its HTTP port (ports: ["127.0.0.1:8000:8000"]) or probe through the service that does (e.g. nginx).`});
		}

		const tunnel = await this.tunnelTo(publisher.URL, publisher.PublishedPort);
		return probeUrl(`http://127.0.0.1:${tunnel.localPort}${path.startsWith('/') ? path : `/${path}`}`, options.timeoutMs ?? 5000);
	}

	/** The one job, `run:<app>`: one-off commands in the application service's image (`run --rm`). */
	async listJobs(): Promise<Job[]> {
		return [this.appJob()];
	}

	async getJob(jobId: string): Promise<Job> {
		this.requireJob(jobId);
		return this.appJob();
	}

	async listJobRuns(jobId: string, limit = 20): Promise<JobRun[]> {
		this.requireJob(jobId);
		return (await listDetached(this.host, this.options.projectDirectory)).filter(run => run.kind === 'job' && run.service === this.options.appService).slice(0, limit).map(run => toJobRun(run));
	}

	async getJobRun(jobId: string, runId: string): Promise<JobRun> {
		this.requireJob(jobId);
		const run = await getDetached(this.host, this.options.projectDirectory, runId);
		if (run?.kind !== 'job') {
			throw new ProviderError('not-found', `There is no run ${runId} of ${jobId} on ${this.host.name}.`);
		}

		return toJobRun(run);
	}

	/**
	 * `run --rm -T <app> sh -c <command>` started detached on the host with the build's tag in the tag
	 * variable (the new image) and `env` passed through; it outlives the SSH session that started it.
	 */
	async startJobRun(jobId: string, options: {command?: string; buildId?: string; env?: Record<string, string>} = {}): Promise<JobRun> {
		this.requireJob(jobId);
		if (!options.command) {
			throw new ProviderError('bad-request', `A run of ${jobId} on a Compose host needs a command.`);
		}

		const app = this.options.appService;
		const tag = options.buildId ?? (await this.getDeployment(app)).buildId;
		if (!tag) {
			throw new ProviderError('not-found', `${app} runs no image on ${this.host.name} and no build was given for the run.`);
		}

		const env = options.env ?? {};
		const passthrough = Object.keys(env).flatMap(name => ['-e', name]);
		const meta = await startDetached(this.host, this.options.projectDirectory, {
			kind: 'job',
			service: app,
			tag,
			command: options.command,
			steps: [['run', '--rm', '-T', ...passthrough, app, 'sh', '-c', options.command]],
			env: {...env, [this.options.tagVariable]: tag},
		});
		return toJobRun({...meta, state: 'running'});
	}

	async abortJobRun(jobId: string): Promise<void> {
		throw noJobs(jobId);
	}

	/** `docker compose run --rm -T <service> <command>` (the tag variable set when given); resolves with its exit code and output. */
	async runOneOff(service: string, command: string[], options: {tag?: string; timeoutMs?: number} = {}): Promise<CommandResult> {
		await this.requireService(service, true);
		const env = options.tag ? {[this.options.tagVariable]: options.tag} : undefined;
		return this.host.run(['run', '--rm', '-T', service, ...command], {...(env ? {env} : {}), timeoutMs: options.timeoutMs ?? 60 * 60 * 1000});
	}

	async fetchLogs(target: LogTarget, query: LogQuery): Promise<LogPage> {
		if (target.kind === 'job' && target.runId) {
			return this.jobRunLogs(target.runId, target.name, query);
		}

		const service = await this.logService(target);
		const limit = query.limit ?? 1000;
		const forward = query.direction === 'forward';
		// Backward without a start: only the newest lines are needed, so Compose can cut them (one more, to know if there is more).
		const tail = !forward && !query.since ? limit + 1 : undefined;
		const output = await this.host.output(logsArguments(service, {follow: false, ...(query.since ? {since: query.since.toISOString()} : {}), ...(query.until ? {until: query.until} : {}), ...(tail ? {tail} : {})}), {timeoutMs: 120_000});
		const keep = lineFilter(query.filter);
		const lines = output.split('\n').map(text => parseLogLine(text, target.name)).filter((line): line is LogLine => line !== undefined && keep(line));
		const hasMore = lines.length > limit;
		return {lines: hasMore ? (forward ? lines.slice(0, limit) : lines.slice(-limit)) : lines, hasMore};
	}

	/** `docker compose logs --follow` from the cursor (Compose's --since includes it: LogTail drops the repeats). */
	openLogTail(target: LogTarget, from: {cursor?: string; since?: Date; filter?: LogQuery['filter']}, handlers: RawTailHandlers): RawTail {
		let closed = false;
		let close: () => void = () => {
			closed = true;
		};

		const start = async (): Promise<void> => {
			const jobRun = target.kind === 'job' ? target.runId : undefined;
			const service = jobRun ? target.id : await this.logService(target);
			const since = from.cursor ?? from.since?.toISOString();
			const channel = jobRun
				? await this.host.rawChannel(followCommand(this.options.projectDirectory, jobRun))
				: await this.host.channel(logsArguments(service, {follow: true, ...(since ? {since} : {tail: 200})}));
			if (closed) {
				channel.close();
				return;
			}

			let stderr = '';
			channel.stderr.on('data', (chunk: Buffer) => {
				stderr += chunk.toString('utf8');
			});
			let code: number | undefined;
			channel.on('exit', (exitCode: number | null) => {
				code = exitCode ?? undefined;
			});
			const keep = lineFilter(from.filter);
			readLines(channel, texts => {
				const lines = texts.map(text => jobRun ? plainLine(text, target.name, Date.now()) : parseLogLine(text, target.name)).filter((line): line is LogLine => line !== undefined && keep(line));
				if (lines.length > 0 && !closed) {
					handlers.onLines(lines);
				}
			});
			channel.once('close', () => {
				if (!closed) {
					closed = true;
					handlers.onClose(composeFailure(['logs'], {code: code ?? 255, stdout: '', stderr: stderr || 'the log stream ended'}, this.host.name));
				}
			});
			close = () => {
				closed = true;
				channel.signal('TERM');
				channel.close();
			};

			handlers.onOpen();
		};

		start().catch((error: unknown) => {
			if (!closed) {
				closed = true;
				handlers.onClose(error instanceof Error ? error : new Error(String(error)));
			}
		});
		return {
			close() {
				close();
			},
		};
	}

	/** `docker compose exec` in a pty (tty) or with stdout and stderr apart; a shell (bash, else sh) without a command. */
	async openExec(target: ExecTarget, request: ExecRequest): Promise<ExecSession> {
		if (target.kind === 'host') {
			return this.host.hostSession(request);
		}

		if (target.kind === 'job') {
			throw noJobs(target.id);
		}

		const entry = await this.requireRunning(target.id);
		const command = request.command && request.command.length > 0 ? request.command : shellInContainer;
		const session = await this.host.session(['exec', ...(request.tty ? [] : ['-T']), target.id, ...command], request);
		// sshExec's session is a plain object of closures: only `where` changes, to name the container.
		return {...session, where: {host: this.host.name, container: entry.Name}};
	}

	/** Ends the SSH connection and every tunnel. */
	async close(): Promise<void> {
		const tunnels = [...this.tunnels.values()];
		this.tunnels.clear();
		await Promise.all(tunnels.map(async tunnel => tunnel.then(async opened => opened.close(), () => undefined)));
		this.host.close();
	}

	private appJob(): Job {
		const id = composeJobId(this.options.appService);
		return {id, name: id, kind: 'manual', suspended: false};
	}

	private requireJob(jobId: string): void {
		if (jobId !== composeJobId(this.options.appService)) {
			throw noJobs(jobId);
		}
	}

	private async latestDeploy(): Promise<DetachedRun | undefined> {
		return (await listDetached(this.host, this.options.projectDirectory)).find(run => run.kind === 'deploy' && run.service === this.options.appService);
	}

	/** The run's log file; its lines carry no time of their own, so each gets the run's start. */
	private async jobRunLogs(runId: string, name: string, query: LogQuery): Promise<LogPage> {
		const [run, text] = await Promise.all([getDetached(this.host, this.options.projectDirectory, runId), readDetachedLog(this.host, this.options.projectDirectory, runId)]);
		const at = run ? Date.parse(run.startedAt) : Date.now();
		const keep = lineFilter(query.filter);
		const lines = text.split('\n').filter((line, index, all) => line !== '' || index < all.length - 1).map(line => plainLine(line, name, at)).filter(line => keep(line));
		const limit = query.limit ?? 1000;
		return {lines: query.direction === 'forward' ? lines.slice(0, limit) : lines.slice(-limit), hasMore: false};
	}

	private serviceFrom(name: string, entries: WirePsEntry[]): Service {
		return toService(name, entries.filter(entry => entry.Service === name), {appService: this.options.appService});
	}

	private async loadModel(refresh = false): Promise<ComposeModel> {
		if (!this.model || refresh) {
			const parsed = JSON.parse(await this.host.output(['config', '--format', 'json'])) as Partial<ComposeModel>;
			this.model = {name: parsed.name ?? 'compose', services: parsed.services ?? {}};
		}

		return this.model;
	}

	private async psEntries(): Promise<WirePsEntry[]> {
		if (!this.ps || Date.now() - this.ps.at > psCacheMs) {
			const entries = this.host.output(['ps', '--all', '--format', 'json']).then(output => parseJsonLines<WirePsEntry>(output, '`docker compose ps --format json`'));
			this.ps = {at: Date.now(), entries};
			entries.catch(() => {
				this.ps = undefined;
			});
		}

		return this.ps.entries;
	}

	private async requireService(serviceId: string, allowDatabase = false): Promise<void> {
		const model = await this.loadModel();
		if (!model.services[serviceId] || (!allowDatabase && serviceId === this.options.dbService)) {
			throw new ProviderError('not-found', `The Compose project ${model.name} has no service "${serviceId}".`, {hint: `Services: ${Object.keys(model.services).filter(name => allowDatabase || name !== this.options.dbService).join(', ')}.`});
		}
	}

	private requireAddon(addonId: string): void {
		if (addonId !== this.options.dbService) {
			throw new ProviderError('not-found', `The only database of this Compose context is the ${this.options.dbService} service, not "${addonId}".`, {hint: 'Fix "dbService" in the context if the database service has another name.'});
		}
	}

	/** The service's running container, or a ProviderError saying nothing runs (before anything starts). */
	private async requireRunning(service: string): Promise<WirePsEntry> {
		await this.requireService(service, true);
		this.ps = undefined;
		const entry = (await this.psEntries()).find(candidate => candidate.Service === service && candidate.State === 'running');
		if (!entry) {
			throw new ProviderError('not-found', `Nothing of ${service} is running on ${this.host.name}.`, {hint: `Start it on the host: docker compose up -d ${service}`});
		}

		return entry;
	}

	private async logService(target: LogTarget): Promise<string> {
		if (target.kind !== 'service' && target.kind !== 'addon') {
			throw new ProviderError('bad-request', `A Compose host keeps logs of services only, not of ${target.kind}s.`);
		}

		await this.requireService(target.id, true);
		return target.id;
	}

	private async tunnelTo(address: string | undefined, port: number): Promise<SshTunnel> {
		// A port published on every address (0.0.0.0, ::, '') is reachable on the host's loopback.
		const remoteHost = !address || address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address;
		const key = `${remoteHost}:${port}`;
		let tunnel = this.tunnels.get(key);
		if (!tunnel) {
			tunnel = this.host.connection().then(async connection => {
				void connection.closed.then(() => this.tunnels.delete(key));
				return openTunnel(connection, {remoteHost, remotePort: port});
			});
			this.tunnels.set(key, tunnel);
			tunnel.catch(() => this.tunnels.delete(key));
		}

		return tunnel;
	}
}

/** The job of a Compose context: `docker compose run` of the app service (named apart from the service itself). */
export function composeJobId(appService: string): string {
	return `run:${appService}`;
}

function noJobs(jobId: string): ProviderError {
	return new ProviderError('not-found', `A Compose host has one job, the application service's one-off runs (run:<app service>), not "${jobId}".`, {hint: 'Set "job" in the context to run:<app service>.'});
}

const imageTag = /^[\w][\w.-]{0,127}$/;

function toJobRun(run: Pick<DetachedRun, 'id' | 'command' | 'tag' | 'state' | 'exitCode' | 'startedAt' | 'endedAt'>): JobRun {
	const status = run.state === 'running' ? 'running' : run.state === 'lost' ? 'failed' : run.exitCode === 0 ? 'success' : 'failed';
	const rawStatus = run.state === 'running' ? 'running' : run.state === 'lost' ? 'lost (its process is gone without an exit status)' : `exited ${run.exitCode ?? '?'}`;
	return {id: run.id, name: `${run.command} (${run.tag})`, status, rawStatus, startedAt: new Date(run.startedAt), ...(run.endedAt ? {concludedAt: new Date(run.endedAt)} : {})};
}

function plainLine(text: string, source: string, at: number): LogLine {
	return {source, container: source, timestamp: at, cursor: new Date(at).toISOString(), text};
}

function environmentOf(declared: Record<string, string | null> | string[] | undefined): Record<string, string> {
	if (Array.isArray(declared)) {
		return Object.fromEntries(declared.map(item => [item.split('=', 1)[0]!, item.includes('=') ? item.slice(item.indexOf('=') + 1) : '']));
	}

	return Object.fromEntries(Object.entries(declared ?? {}).map(([key, value]) => [key, value ?? '']));
}

function safeName(text: string): string {
	return text.replaceAll(/[^\w.@-]+/g, '_').replace(/^_+/, '') || 'compose';
}
