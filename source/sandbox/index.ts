// The sandbox: a local platform speaking Northflank's REST API v1, its log WebSocket and its exec
// WebSocket, seeded with the notechondria deployment, where builds, deploys, backups and job runs take
// (scaled) time, every container logs, and exec opens a real local shell.
import type {AddressInfo} from 'node:net';
import type {DatabaseConnection} from '../core/database.js';
import {UsageError} from '../core/errors.js';
import {createClock, type SandboxDurations} from './clock.js';
import {AddonDataPlane, markInterruptedOperations} from './database/addon-data-plane.js';
import {createSandboxDatabase} from './database/create-sandbox-database.js';
import {generatePassword} from './database/managed-cluster.js';
import type {SandboxDatabase} from './database/sandbox-database.js';
import {parseDatabaseUrl} from './database/url-database.js';
import {ExecServer} from './exec/exec-server.js';
import {FaultInjector} from './fault-injector.js';
import {JobRunner, type JobAppDirectories} from './jobs/job-runner.js';
import {maxLogRate} from './logs/log-rates.js';
import {LogTailServer} from './logs/tail-server.js';
import {loadState, StateSaver} from './persistence.js';
import {SandboxPlatform} from './platform.js';
import {RateLimiter} from './rate-limiter.js';
import {RequestStats, type SandboxStats} from './request-stats.js';
import {seedState} from './seed.js';
import {RenderFace, type RenderRateLimit} from './render/face.js';
import {generateHostKey, parsePublicKey, SshGateway} from './render/ssh-gateway.js';
import {createSandboxServer} from './server.js';
import type {FailureKind, SandboxState} from './state.js';

export {chaosSyntax, parseChaosSpec, type ChaosSpec} from './chaos.js';
export {defaultDurations, type SandboxDurations} from './clock.js';
export {defaultLogRate, maxLogRate} from './logs/log-rates.js';
export {lineSequence} from './logs/sequence.js';
export {seedIds} from './seed.js';
export type {FailureKind} from './state.js';
export type {SandboxStats} from './request-stats.js';
export type {SandboxDatabase} from './database/sandbox-database.js';
export {defaultRenderToken, type RenderRateLimit} from './render/face.js';

/** A fixed token, so a sandbox context can be saved once; it is no secret and opens nothing real. */
export const defaultSandboxToken = 'nf-sandbox-0000-0000-0000-000000000000';

export type SandboxOptions = {
	/** 0 (the default) picks a free port. */
	port?: number;
	host?: '127.0.0.1';
	/** Keep the platform's state in DIR/sandbox-state.json and reload it on start. */
	stateDir?: string;
	/** Faults to inject from the start, e.g. "latency=100-400ms,5xx=0.1" (see chaosSyntax). */
	chaos?: string;
	token?: string;
	/** Requests per token per window (Northflank: 1000 per hour). */
	rateLimitPerHour?: number;
	/** Length of the rate-limit window; an hour unless a test needs it shorter. */
	rateLimitWindowSeconds?: number;
	/** Makes builds, deploys, backups and runs this many times faster. */
	timeScale?: number;
	/** Per-phase durations in ms before `timeScale` applies. */
	durations?: Partial<SandboxDurations>;
	/** The sandbox's clock; inject one to step time by hand in tests. */
	now?: () => number;
	/** Seeds generated ids, shas and fault dice (default 1). */
	seed?: number;
	/**
	 * Log lines per second per service container (default 3, with bursts; up to 100,000 for a flood).
	 * A fresh sandbox has logged at this rate all along; a reloaded one switches to it now.
	 */
	logRate?: number;
	/**
	 * The PostgreSQL addon's database: 'managed' (a cluster the sandbox runs, started in the
	 * background), `{url}` (a server of yours: the URL's database and role are the addon's), or
	 * 'simulated' (no database: backups and restores only take time, as in the seeded history).
	 * Default: 'managed', but 'simulated' with an injected `now`, since real processes cannot follow
	 * a clock stepped by hand.
	 */
	database?: 'managed' | 'simulated' | {url: string};
	/**
	 * Job runs in real app mode: each build is an "image", the directory its runs' commands run in
	 * (`/bin/sh -c <command>`). Builds without one run the built-in Django-style migrator against the
	 * addon database. Job runs execute for real whenever the sandbox has a database or `app` is set.
	 */
	app?: JobAppDirectories;
	/** Real job runs: how long the built-in migrator waits for another's advisory lock (30 s), and SIGTERM→SIGKILL on abort (5 s). */
	jobs?: {lockWaitMs?: number; killGraceMs?: number};
	/** The Render face: its API key (default `rnd_sandbox…`) and per-minute budgets (400 GETs, 30 others). */
	render?: {
		token?: string;
		rateLimit?: Partial<RenderRateLimit>;
		/** The SSH gateway's loopback port (services' sshAddress); 0, the default, picks a free one. */
		sshPort?: number;
		/** Public keys (OpenSSH lines) allowed into services over SSH, like the SSH keys on a Render account. */
		sshAuthorizedKeys?: readonly string[];
	};
};

export type SandboxHandle = {
	/** Base URL, e.g. http://127.0.0.1:4780 (a Northflank context's `host`). */
	url: string;
	token: string;
	/** The Render face's API key (its paths are Render's: /v1/services, /v1/owners, /v1/postgres, /v1/logs). */
	renderToken: string;
	/** Stops serving and saves the state (when a state dir is set). */
	close(): Promise<void>;
	stats(): SandboxStats;
	/** Replaces the active faults; throws a UsageError for a bad spec. */
	setChaos(spec: string): void;
	/** Makes the next `count` builds, job runs, deploys or backups fail. */
	failNext(kind: FailureKind, count?: number): void;
	/** Changes the log rate from now on (lines per second per service container). */
	setLogRate(linesPerSecond: number): void;
	/** Drops every live log tail now; how many there were. */
	dropWebSockets(): number;
	/** Where services' sshAddress points: the Render SSH gateway's port on 127.0.0.1. */
	renderSshPort: number;
	/** Registers a public key (an OpenSSH line) for SSH into Render services; a UsageError when it is not one. Kept with --state. */
	addRenderSshKey(publicKey: string): void;
	/** The addon's real database; undefined when the addon is simulated. */
	database?: SandboxDatabase;
	/** How the addon's role reaches its database (waits until it is ready); rejects when there is none. */
	databaseConnection(): Promise<DatabaseConnection>;
};

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
	const clock = createClock({now: options.now, timeScale: options.timeScale, durations: options.durations});
	const seed = options.seed ?? 1;
	const faults = new FaultInjector(clock.now, seed);
	if (options.chaos !== undefined) {
		faults.set(options.chaos);
	}

	const token = options.token ?? defaultSandboxToken;
	const logRate = options.logRate === undefined ? undefined : checkedLogRate(options.logRate);
	const loaded = options.stateDir === undefined ? undefined : await loadState(options.stateDir);
	const state = loaded ?? seedState({seed, now: clock.now()});
	if (!loaded && logRate !== undefined) {
		state.logRates = [{from: 0, linesPerSecond: logRate}];
	}

	if (loaded) {
		markInterruptedOperations(state, clock.now());
	}

	const databaseChoice = chooseDatabase(options, state);
	const renderSsh = (state.renderSsh ??= {hostKey: generateHostKey(), authorizedKeys: []});
	const addRenderSshKey = (publicKey: string): boolean => {
		try {
			parsePublicKey(publicKey);
		} catch (error) {
			throw new UsageError(`The SSH key for Render services is ${(error as Error).message}`, 'Pass the contents of a .pub file, e.g. ~/.ssh/id_ed25519.pub.');
		}

		const line = publicKey.trim();
		if (renderSsh.authorizedKeys.includes(line)) {
			return false;
		}

		renderSsh.authorizedKeys.push(line);
		return true;
	};

	for (const publicKey of options.render?.sshAuthorizedKeys ?? []) {
		addRenderSshKey(publicKey);
	}

	const saver = options.stateDir === undefined ? undefined : new StateSaver(options.stateDir, state);
	if (saver && !loaded) {
		try {
			await saver.flush();
		} catch (error) {
			throw new UsageError(`Cannot save sandbox state in ${options.stateDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'Choose a writable --state DIR.');
		}
	} else {
		// A reloaded state may have changed: interrupted operations, a first database password.
		saver?.request();
	}

	const database = databaseChoice === 'simulated' ? undefined : createSandboxDatabase({...databaseChoice, stateDir: options.stateDir});

	const dataPlane = database ? new AddonDataPlane(database, {now: clock.now, changed: () => saver?.request()}) : undefined;
	const platform = new SandboxPlatform(state, clock, () => saver?.request(), dataPlane);
	if (loaded && logRate !== undefined) {
		platform.setLogRate(logRate);
	}

	const jobRunner = new JobRunner({
		now: clock.now,
		executes: database !== undefined || options.app !== undefined,
		database,
		app: options.app,
		stateDir: options.stateDir,
		onChange: () => saver?.request(),
		...options.jobs,
	});
	platform.jobRunner = jobRunner;
	await jobRunner.load(state);
	jobRunner.seedDatabase(state);
	if (dataPlane) {
		dataPlane.prepared = jobRunner.seeded;
	}

	const rateLimit = {limit: options.rateLimitPerHour ?? 1000, windowSeconds: options.rateLimitWindowSeconds ?? 3600};
	const stats = new RequestStats(clock.now);
	const limiter = new RateLimiter(rateLimit.limit, rateLimit.windowSeconds * 1000, clock.now);
	const tails = new LogTailServer({platform, faults, stats, limiter, token});
	const exec = new ExecServer({platform, stats, limiter, token});
	const render = new RenderFace({platform, faults, stats, durations: clock.durations, token: options.render?.token, rateLimit: options.render?.rateLimit});
	const sshGateway = new SshGateway({platform, isSuspended: serviceId => render.isSuspended(serviceId), hostKey: renderSsh.hostKey, authorizedKeys: () => renderSsh.authorizedKeys});
	const server = createSandboxServer({platform, faults, stats, rateLimit, durations: clock.durations, limiter, token, tails, exec, render, renderSshKeys: {
		list: () => renderSsh.authorizedKeys,
		add(publicKey) {
			if (addRenderSshKey(publicKey)) {
				saver?.request();
			}
		},
	}});

	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
				server.off('error', reject);
				resolve();
			});
		});
		render.sshPort = await sshGateway.listen(options.render?.sshPort ?? 0);
	} catch (error) {
		server.close();
		await sshGateway.close();
		await database?.close();
		throw error;
	}

	const {port} = server.address() as AddressInfo;
	const url = `http://127.0.0.1:${port}`;
	render.baseUrl = url;
	if (dataPlane) {
		dataPlane.publicUrl = url;
		takeBaselineBackups(state, platform, dataPlane);
	}

	let closing: Promise<void> | undefined;
	return {
		url,
		token,
		renderToken: render.token,
		stats: () => stats.snapshot(),
		setChaos(spec) {
			faults.set(spec);
		},
		failNext(kind, count) {
			platform.failNext(kind, count);
		},
		setLogRate(linesPerSecond) {
			platform.setLogRate(checkedLogRate(linesPerSecond));
		},
		dropWebSockets: () => tails.dropAll() + render.dropAll(),
		renderSshPort: sshGateway.port,
		addRenderSshKey(publicKey) {
			if (addRenderSshKey(publicKey)) {
				saver?.request();
			}
		},
		database,
		async databaseConnection() {
			if (!database) {
				throw new UsageError('This sandbox simulates its addon and has no database.', 'Start it with database: \'managed\' or {url} (the default unless `now` is injected).');
			}

			return database.connection();
		},
		close() {
			closing ??= (async () => {
				await Promise.all([
					new Promise<void>(resolve => {
						server.close(() => resolve());
						tails.close();
						render.close();
						server.closeAllConnections();
					}),
					exec.close(),
					sshGateway.close(),
					dataPlane?.close(),
					jobRunner.close(),
				]);
				await saver?.flush();
				await database?.close();
			})();
			return closing;
		},
	};
}

/** What createSandboxDatabase gets, checked before anything starts: a bad URL is a UsageError here. */
function chooseDatabase(options: SandboxOptions, state: SandboxState): 'simulated' | {url: string} | {password: string} {
	const choice = options.database ?? (options.now === undefined ? 'managed' : 'simulated');
	if (choice === 'simulated') {
		return choice;
	}

	if (choice === 'managed') {
		state.database ??= {password: generatePassword()};
		return {password: state.database.password};
	}

	parseDatabaseUrl(choice.url);
	return {url: choice.url};
}

/** Once the database is ready, one real backup of each PostgreSQL addon that has none yet. */
function takeBaselineBackups(state: SandboxState, platform: SandboxPlatform, dataPlane: AddonDataPlane): void {
	for (const addon of state.projects.flatMap(project => project.addons)) {
		if (addon.type === 'postgresql' && !addon.backups.some(backup => backup.archive !== undefined)) {
			dataPlane.takeBaselineBackup(addon, platform.ids);
		}
	}
}

function checkedLogRate(linesPerSecond: number): number {
	if (!Number.isFinite(linesPerSecond) || linesPerSecond <= 0 || linesPerSecond > maxLogRate) {
		throw new UsageError(`The log rate must be above 0 and at most ${maxLogRate} lines per second, got ${linesPerSecond}`, 'Use e.g. 3 for a quiet backend or 100000 for a flood.');
	}

	return linesPerSecond;
}
