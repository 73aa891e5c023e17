// Real job runs: each run's command really runs, in the build's app directory (real app mode) or through
// the built-in Django-style migrator (built-in mode), and the run is RUNNING until the command ends.
// Output lines become the run's log; the record gets the real end time and the exit status's verdict.
import type {LogStream} from '../logs/container-log.js';
import {RecordedLog, type LogReader} from '../logs/recorded-log.js';
import type {SandboxDatabase} from '../database/sandbox-database.js';
import type {BuildRecord, JobRecord, JobRunRecord, SandboxState} from '../state.js';
import {killNow, runAppCommand} from './app-process.js';
import {abortedExitCode, runBuiltinCommand} from './builtin-command.js';
import {JobLogStore} from './job-log-store.js';
import {PythonShim, runEnvironment} from './run-environment.js';
import {seedBuiltinDatabase} from './seed-database.js';

/** Each build is an "image": the directory whose code its job runs run (real app mode). */
export type JobAppDirectories = {
	/** Build id → the app's directory for that build. */
	directories?: Record<string, string>;
	/** For builds not in `directories` (absent: those run in built-in mode). */
	defaultDirectory?: string;
};

export type JobRunnerOptions = {
	now: () => number;
	/** Whether runs really run their commands; otherwise they are simulated (the platform schedules them). */
	executes: boolean;
	database?: SandboxDatabase;
	app?: JobAppDirectories;
	stateDir?: string;
	/** The records changed: persist them. */
	onChange: () => void;
	/** How long the built-in migrator waits for another migrator's advisory lock (default 30 s). */
	lockWaitMs?: number;
	/** From SIGTERM to SIGKILL when a run is aborted (default 5 s). */
	killGraceMs?: number;
};

export const interruptedReason = 'interrupted: sandbox restarted';

type ActiveRun = {controller: AbortController; done: Promise<void>};

export class JobRunner {
	private readonly logs: JobLogStore;
	private readonly active = new Map<string, ActiveRun>();
	private readonly shim = new PythonShim();
	private seeding: Promise<void> = Promise.resolve();
	private seedFailure: string | undefined;
	private closing = false;

	constructor(private readonly options: JobRunnerOptions) {
		this.logs = new JobLogStore(options.now, options.stateDir);
	}

	/**
	 * Before serving: runs a previous sandbox left going end FAILED (their commands died with it), and
	 * the saved logs of real runs are read. Resolves to whether any record changed.
	 */
	async load(state: SandboxState): Promise<boolean> {
		const runs = state.projects.flatMap(project => project.jobs.flatMap(job => job.runs));
		await this.logs.load(runs);
		let changed = false;
		for (const run of runs.filter(candidate => candidate.running)) {
			this.logs.append(run, 'stderr', `sandbox: ${interruptedReason}`);
			this.conclude(run, {code: 1, reason: interruptedReason});
			changed = true;
		}

		return changed;
	}

	get executes(): boolean {
		return this.options.executes;
	}

	/** Settles when the background seeding of the addon database (see seedDatabase) has ended, if any. */
	get seeded(): Promise<void> {
		return this.seeding;
	}

	/** Whether the build's runs run real app code, whose own migrations own the schema (not the built-in set). */
	runsRealApp(buildId: string): boolean {
		return this.directoryOf(buildId) !== undefined;
	}

	/**
	 * In the background, once the database is ready: an addon database without migrations gets the
	 * deployed build's built-in migrations and seed rows (unless that build runs a real app, whose own
	 * migrations own the schema). Built-in runs wait for it.
	 */
	seedDatabase(state: SandboxState): void {
		const {database} = this.options;
		const deployed = state.projects.flatMap(project => project.services)
			.map(service => service.builds.find(build => build.id === service.deployedBuildId))
			.filter(build => build !== undefined && this.directoryOf(build.id) === undefined);
		const level = Math.max(0, ...deployed.map(build => build!.migrationLevel ?? 0));
		if (!this.options.executes || !database || deployed.length === 0) {
			return;
		}

		this.seeding = (async () => {
			await database.ready();
			await seedBuiltinDatabase(await database.connection(), level);
		})().catch((error: unknown) => {
			const hint = (error as {hint?: string}).hint;
			this.seedFailure = `${(error as Error).message}${hint ? ` ${hint}` : ''}`;
		});
	}

	/** Starts the run's command; the record stays RUNNING (and is saved so) until the command ends. */
	start(job: JobRecord, run: JobRunRecord, build: BuildRecord, failing: boolean): void {
		const directory = this.directoryOf(build.id);
		run.running = true;
		run.execution = directory === undefined ? 'builtin' : 'app';
		const controller = new AbortController();
		const done = this.execute(job, run, build, {directory, failing, signal: controller.signal})
			.finally(() => this.active.delete(run.id));
		this.active.set(run.id, {controller, done});
	}

	/** Stops a running run: SIGTERM to its process group (SIGKILL after the grace period), or a cancelled migration. */
	abort(run: JobRunRecord): void {
		const active = this.active.get(run.id);
		if (active && !active.controller.signal.aborted) {
			run.aborted = true;
			active.controller.abort();
		}
	}

	logOf(run: JobRunRecord): LogReader {
		return this.logs.logOf(run);
	}

	/** Kills what still runs and waits for it; those runs stay RUNNING in the saved state until the next start ends them. */
	async close(): Promise<void> {
		this.closing = true;
		for (const {controller} of this.active.values()) {
			controller.abort(killNow);
		}

		await Promise.all([...this.active.values()].map(async ({done}) => done));
		await this.logs.flush();
		await this.shim.remove();
	}

	private async execute(job: JobRecord, run: JobRunRecord, build: BuildRecord, context: {directory?: string; failing: boolean; signal: AbortSignal}): Promise<void> {
		const write = (stream: LogStream, line: string) => {
			this.logs.append(run, stream, line);
		};

		const command = run.command ?? job.docker.customCommand;
		let code: number;
		try {
			if (command === undefined || command.trim() === '') {
				write('stderr', 'sandbox: this job has no command to run (docker configType "default"); give it a custom command');
				code = 127;
			} else if (context.directory === undefined) {
				await this.seeding;
				if (this.seedFailure !== undefined) {
					write('stderr', `sandbox: the addon database could not be seeded with the built-in migrations: ${this.seedFailure}`);
				}

				code = await runBuiltinCommand({
					command,
					level: build.migrationLevel ?? 0,
					database: this.options.database,
					environment: run.environment,
					failing: context.failing,
					output: {out: line => write('stdout', line), err: line => write('stderr', line)},
					signal: context.signal,
					applicationName: `manage.py (${run.runName})`,
					lockWaitMs: this.options.lockWaitMs,
				});
			} else if (context.failing) {
				write('stderr', 'sandbox: forced failure (fail-next job-run): the command did not run and the run exits with status 1');
				code = 1;
			} else {
				const environment = await runEnvironment({database: this.options.database, overrides: run.environment, binDirectory: await this.shim.binDirectory()});
				code = (await runAppCommand({command, directory: context.directory, environment, output: write, signal: context.signal, killGraceMs: this.options.killGraceMs ?? 5000})).code;
			}
		} catch (error) {
			const hint = (error as {hint?: string}).hint;
			write('stderr', `sandbox: the command could not run: ${(error as Error).message}${hint ? ` ${hint}` : ''}`);
			code = 1;
		}

		if (this.closing) {
			return;
		}

		if (context.signal.aborted) {
			write('stderr', `sandbox: job run aborted (${run.execution === 'app' ? 'SIGTERM to its process group' : 'its migration was cancelled and rolled back'})`);
			code = code === 0 ? abortedExitCode : code;
		}

		this.conclude(run, {code, reason: context.signal.aborted ? 'aborted' : undefined});
		await this.logs.flush();
	}

	private conclude(run: JobRunRecord, exit: {code: number; reason?: string}): void {
		delete run.running;
		run.concludesAt = Math.max(run.startedAt, this.options.now());
		run.result = exit.code === 0 && run.aborted !== true ? 'SUCCESS' : 'FAILED';
		run.exitCode = exit.code;
		if (exit.reason !== undefined) {
			run.failureReason = exit.reason;
		} else if (run.result === 'FAILED') {
			run.failureReason = `exit status ${exit.code}`;
		}

		this.options.onChange();
	}

	private directoryOf(buildId: string): string | undefined {
		const {app} = this.options;
		return app?.directories?.[buildId] ?? app?.defaultDirectory;
	}
}

/** The log of a real run whose lines this sandbox does not have (no runner, or lost). */
export function emptyRunLog(run: JobRunRecord): LogReader {
	return new RecordedLog(run.runName, () => ({start: run.startedAt, end: run.running ? undefined : run.concludesAt}));
}
