// A whole deployment for runbook tests: a real PostgreSQL, the sandbox platform on top of it with real
// job runs of the real Django fixture, and a provider and target pointing at it.
import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import pg from 'pg';
import {sandboxSettings} from '../../source/cli/connect.js';
import type {Provider} from '../../source/core/provider.js';
import {NorthflankProvider} from '../../source/providers/northflank/provider.js';
import {createJournal, JournalStore, RunbookRunner, yesOperator} from '../../source/runbooks/engine/index.js';
import {resolveTarget, type DeploymentTarget} from '../../source/runbooks/target.js';
import type {Journal, Operator, Runbook, RunView} from '../../source/runbooks/types.js';
import {startSandbox, type SandboxHandle} from '../../source/sandbox/index.js';
import {databaseUrl, djangoApp, runManage} from './django-app.js';
import {startPostgres, type PostgresServer} from './postgres.js';

export type RunOptions = {operator?: Operator; parameters?: Journal['parameters']; dryRun?: boolean; confirmText?: string};

export type StartedRun = {
	runId: string;
	runner: RunbookRunner;
	done: Promise<{status: string; nextAction?: string}>;
	waitFor(predicate: (view: RunView) => boolean): Promise<RunView>;
};

export type ReleaseWorld = {
	postgres: PostgresServer;
	sandbox: SandboxHandle;
	provider: Provider;
	target: DeploymentTarget;
	stateDir: string;
	/** The build the service runs at the start (Django v1). */
	deployedBuild: string;
	/** The newest successful build, not deployed: what a release picks. */
	newBuild: string;
	/** Which fixture version each build runs; change before a run to change what the new build does. */
	directories: Record<string, string>;
	query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string): Promise<T[]>;
	applied(): Promise<string[]>;
	run(runbook: Runbook, options?: RunOptions): Promise<{runner: RunbookRunner; status: string; nextAction?: string; journal: Journal}>;
	/** Starts a run without waiting for it: for runs that stop at a question. */
	start(runbook: Runbook, options?: RunOptions): StartedRun;
	/** A session of its own running `sql` and staying open (a transaction holding a lock), until end(). */
	hold(sql: string): Promise<pg.Client>;
	/** What the platform knows, for before/after comparisons. */
	platformState(): Promise<unknown>;
	/** Schema, applied migrations and row counts, for before/after comparisons. */
	databaseState(): Promise<unknown>;
	journalFiles(): Promise<string[]>;
	close(): Promise<void>;
};

/** The sandbox's clock runs this many times faster, so deploys take a second or two. */
const timeScale = 20;

export async function startReleaseWorld(options: {newVersion?: keyof typeof djangoApp} = {}): Promise<ReleaseWorld> {
	const postgres = await startPostgres({database: 'notechondria'});
	const database = {host: postgres.host, port: postgres.port, database: postgres.database, user: postgres.user};
	const migrated = await runManage(djangoApp.v1, ['migrate', '--noinput'], database);
	if (migrated.code !== 0) {
		throw new Error(`Django v1 migrate failed: ${migrated.stderr}`);
	}

	const directories: Record<string, string> = {};
	const stateDir = await mkdtemp(join(tmpdir(), 'wheelhouse-runs-'));
	const sandbox = await startSandbox({database: {url: databaseUrl(database)}, app: {directories}, timeScale});
	const provider = new NorthflankProvider({baseUrl: sandbox.url, token: sandbox.token, project: 'notechondria', platformName: 'the sandbox', sandbox: true});
	const deployment = await provider.getDeployment('notechondria-backend');
	const builds = await provider.listBuilds('notechondria-backend', 20);
	const newBuild = builds.find(build => build.status === 'success' && build.id !== deployment.buildId);
	if (!deployment.buildId || !newBuild) {
		throw new Error('The sandbox seed has no successful build beyond the deployed one');
	}

	directories[deployment.buildId] = djangoApp.v1;
	directories[newBuild.id] = djangoApp[options.newVersion ?? 'v2'];
	await settled(provider);
	const target = await resolveTarget(provider, {name: 'sandbox', platform: 'northflank', sandbox: true, settings: sandboxSettings});
	const client = async <T extends pg.QueryResultRow>(sql: string): Promise<T[]> => {
		const connection = new pg.Client(database);
		await connection.connect();
		try {
			return (await connection.query<T>(sql)).rows;
		} finally {
			await connection.end();
		}
	};

	const startRun = (runbook: Runbook, runOptions: RunOptions): StartedRun => {
		const store = new JournalStore(stateDir);
		const journal = createJournal({
			runbook,
			context: 'sandbox',
			platform: 'northflank (sandbox)',
			target: {service: target.service, addon: target.addon, job: target.job},
			operator: runOptions.operator?.name ?? 'tester',
			parameters: runOptions.parameters,
		});
		const runner = new RunbookRunner({
			runbook,
			provider,
			operator: runOptions.operator ?? yesOperator({name: 'tester', confirmText: runOptions.confirmText}),
			journal,
			store,
			options: {stateDir, yes: runOptions.operator === undefined, confirmText: runOptions.confirmText, dryRun: runOptions.dryRun},
		});
		const done = runner.start().then(async outcome => {
			await store.settled();
			return outcome;
		});
		return {
			runId: journal.runId,
			runner,
			done,
			async waitFor(predicate) {
				return new Promise<RunView>((resolve, reject) => {
					const check = (view: RunView) => {
						if (predicate(view)) {
							unsubscribe();
							resolve(view);
						}
					};

					const unsubscribe = runner.subscribe(check);
					check(runner.view());
					done.then(() => {
						unsubscribe();
						reject(new Error('the run ended before the awaited view'));
					}, reject);
				});
			},
		};
	};

	return {
		postgres,
		sandbox,
		provider,
		target,
		stateDir,
		deployedBuild: deployment.buildId,
		newBuild: newBuild.id,
		directories,
		query: client,
		async applied() {
			return (await client<{app: string; name: string}>('SELECT app, name FROM django_migrations ORDER BY id')).map(row => `${row.app}.${row.name}`);
		},
		async run(runbook, runOptions = {}) {
			const started = startRun(runbook, runOptions);
			const outcome = await started.done;
			return {runner: started.runner, status: outcome.status, nextAction: outcome.nextAction, journal: started.runner.view().journal};
		},
		start: (runbook, runOptions = {}) => startRun(runbook, runOptions),
		async hold(sql) {
			const session = new pg.Client(database);
			await session.connect();
			await session.query(sql);
			return session;
		},
		async platformState() {
			const [deployment, builds, backups, runs, restores, service] = await Promise.all([
				provider.getDeployment('notechondria-backend'),
				provider.listBuilds('notechondria-backend', 50),
				provider.listBackups('notechondria-postgres', 50),
				provider.listJobRuns('notechondria-migrate', 50),
				provider.listRestores('notechondria-postgres', 50),
				provider.getService('notechondria-backend'),
			]);
			return {
				deployment,
				builds: builds.map(build => [build.id, build.rawStatus]),
				backups: backups.map(backup => [backup.id, backup.rawStatus]),
				runs: runs.map(run => [run.id, run.rawStatus]),
				restores: restores.map(restore => restore.id),
				serviceStatus: service.deployment.rawStatus,
			};
		},
		async databaseState() {
			const columns = await client('SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = \'public\' ORDER BY 1, 2');
			const tables = await client<{table_name: string}>('SELECT table_name FROM information_schema.tables WHERE table_schema = \'public\' ORDER BY 1');
			const counts: Record<string, unknown> = {};
			for (const {table_name: table} of tables) {
				counts[table] = (await client(`SELECT count(*) FROM "${table}"`))[0];
			}

			return {columns, counts, migrations: await client('SELECT app, name FROM django_migrations ORDER BY id')};
		},
		async journalFiles() {
			return readdir(join(stateDir, 'runs')).catch(() => []);
		},
		async close() {
			await sandbox.close();
			await postgres.stop();
			await rm(stateDir, {recursive: true, force: true});
		},
	};
}

/** The sandbox takes a real backup when it starts; runs begin once the addon is idle again. */
async function settled(provider: Provider): Promise<void> {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		const [addon, backups] = await Promise.all([provider.getAddon('notechondria-postgres'), provider.listBackups('notechondria-postgres', 5)]);
		const baseline = backups.find(backup => backup.id.startsWith('sandbox-baseline'));
		if (addon.status === 'running' && baseline?.status === 'completed' && !backups.some(backup => backup.status === 'in-progress')) {
			return;
		}

		await new Promise(resolve => setTimeout(resolve, 200));
	}

	throw new Error('The sandbox addon did not settle within 60 s');
}
