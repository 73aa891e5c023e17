// The platform-neutral release and rollback runbooks on a Docker Compose host over real SSH: the
// docker stand-in runs the real Django fixture of each image tag against a real PostgreSQL, the
// migration and the deploy run detached on the host, and a dropped SSH session is resumed from the journal.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import pg from 'pg';
import {ComposeProvider} from '../../source/providers/compose/index.js';
import {createJournal, JournalStore, RunbookRunner, yesOperator} from '../../source/runbooks/engine/index.js';
import {releaseRunbook} from '../../source/runbooks/release.js';
import {rollbackRunbook} from '../../source/runbooks/rollback.js';
import {resolveTarget, type DeploymentTarget} from '../../source/runbooks/target.js';
import type {Journal, Runbook, RunView} from '../../source/runbooks/types.js';
import {startComposeHost, type ComposeHostWorld} from '../helpers/compose-host.js';

const settings = {service: 'backend', addon: 'db', job: 'run:backend', healthPath: '/api/health/', migrateCommand: 'python manage.py migrate --noinput'};

type World = {host: ComposeHostWorld; provider: ComposeProvider; target: DeploymentTarget; stateDir: string; store: JournalStore};

async function startWorld(): Promise<World> {
	const host = await startComposeHost({schema: 'django'});
	const provider = new ComposeProvider(host.options('direct'));
	const target = await resolveTarget(provider, {name: 'compose-test', platform: 'compose', sandbox: false, settings});
	const stateDir = await mkdtemp(join(tmpdir(), 'wheelhouse-compose-runs-'));
	return {host, provider, target, stateDir, store: new JournalStore(stateDir)};
}

async function stopWorld(world: World): Promise<void> {
	await world.provider.close();
	await world.host.stop();
	await rm(world.stateDir, {recursive: true, force: true});
}

/** --yes; a destructive step also needs the service's name typed, as `--confirm backend` gives it. */
function newRunner(world: World, provider: ComposeProvider, runbook: Runbook, journal: Journal, confirmText?: string): RunbookRunner {
	return new RunbookRunner({runbook, provider, operator: yesOperator({name: 'tester', confirmText}), journal, store: world.store, options: {stateDir: world.stateDir, yes: true, confirmText}});
}

function newJournal(world: World, runbook: Runbook, parameters: Journal['parameters']): Journal {
	const {service, addon, job} = world.target;
	return createJournal({runbook, context: 'compose-test', platform: 'compose', target: {service, addon, job}, operator: 'tester', parameters});
}

async function connectDatabase(world: World): Promise<pg.Client> {
	const client = new pg.Client({host: world.host.postgres.host, port: world.host.postgres.port, user: world.host.postgres.user, database: world.host.postgres.database});
	await client.connect();
	return client;
}

async function applied(world: World): Promise<string[]> {
	const client = await connectDatabase(world);
	try {
		return (await client.query<{app: string; name: string}>('SELECT app, name FROM django_migrations ORDER BY id')).rows.map(row => `${row.app}.${row.name}`);
	} finally {
		await client.end();
	}
}

async function healthVersion(world: World): Promise<string> {
	const response = await fetch(`http://127.0.0.1:${world.host.backendPort}/api/health/`);
	return ((await response.json()) as {version: string}).version;
}

async function migrateRuns(provider: ComposeProvider): Promise<number> {
	return (await provider.listJobRuns('run:backend', 50)).filter(run => run.name?.includes('migrate --noinput')).length;
}

function failureOf(t: ExecutionContext, journal: Journal): string {
	return JSON.stringify(journal.steps.filter(step => step.failure).map(step => step.failure), undefined, 1) + journal.events.map(event => event.event).join('\n');
}

async function waitForView(runner: RunbookRunner, predicate: (view: RunView) => boolean): Promise<void> {
	return new Promise(resolve => {
		const unsubscribe = runner.subscribe(view => {
			if (predicate(view)) {
				unsubscribe();
				resolve();
			}
		});
	});
}

/** Cuts the provider's SSH connection as a network drop would (no clean close). */
async function dropSsh(provider: ComposeProvider): Promise<void> {
	const connection = await provider.host.connection();
	connection.client.destroy();
}

test.serial('a release v1 → v2 on a Compose host (tag pulled, backup checked, migration run detached, up --wait, health gate), then an app rollback and a restore', async t => {
	const world = await startWorld();
	try {
		t.is((await world.provider.getDeployment('backend')).buildId, 'v1');
		const before = await applied(world);
		const runbook = releaseRunbook(world.target, {build: 'v2', verifyRestore: true});
		const journal = newJournal(world, runbook, {build: 'v2'});
		const outcome = await newRunner(world, world.provider, runbook, journal).start();
		const saved = await world.store.load(journal.runId);
		t.is(outcome.status, 'succeeded', failureOf(t, saved));
		t.is(saved.facts.previousBuild?.buildId, 'v1');
		t.is(saved.facts.newBuild?.buildId, 'v2');
		t.true(saved.facts.backup?.level === 'verified' || saved.facts.backup?.level === 'readable');
		t.deepEqual(saved.facts.migrations?.plan, ['notes.0003_note_pinned']);
		t.deepEqual(await applied(world), [...before, 'notes.0003_note_pinned']);
		t.is(saved.facts.health?.result, 'pass');
		t.is((await world.provider.getDeployment('backend')).buildId, 'v2');
		t.is(await healthVersion(world), 'v2');
		const migrate = await world.provider.getJobRun('run:backend', saved.facts.migrations!.jobRunId!);
		t.is(migrate.status, 'success');
		t.is((await world.provider.getService('backend')).deployment.status, 'completed');

		const rollback = rollbackRunbook(world.target, {from: {buildId: 'v2'}, to: {buildId: 'v1'}});
		const rollbackJournal = newJournal(world, rollback, {to: 'v1'});
		const rolledBack = await newRunner(world, world.provider, rollback, rollbackJournal).start();
		t.is(rolledBack.status, 'succeeded', failureOf(t, await world.store.load(rollbackJournal.runId)));
		t.is((await world.provider.getDeployment('backend')).buildId, 'v1');
		t.is(await healthVersion(world), 'v1');
		t.deepEqual(await applied(world), [...before, 'notes.0003_note_pinned'], 'an app rollback leaves the schema alone');

		const backupId = saved.facts.backup!.id;
		const dataRollback = rollbackRunbook(world.target, {from: {buildId: 'v1'}, restore: {id: backupId}});
		const dataJournal = newJournal(world, dataRollback, {restore: backupId});
		const restored = await newRunner(world, world.provider, dataRollback, dataJournal, 'backend').start();
		t.is(restored.status, 'succeeded', failureOf(t, await world.store.load(dataJournal.runId)));
		t.deepEqual(await applied(world), before, 'the backup taken before migrating is back: 0003 is gone');
		const restores = await world.provider.listRestores('db');
		t.like(restores[0], {backupId, status: 'completed'});
	} finally {
		await stopWorld(world);
	}
});

test.serial('SSH dropped in the middle of the migration and of the deploy: resume finishes the release, migrating once', async t => {
	const world = await startWorld();
	const providers: ComposeProvider[] = [];
	try {
		const before = await applied(world);
		const runbook = releaseRunbook(world.target, {build: 'v2', verifyRestore: false});
		const journal = newJournal(world, runbook, {build: 'v2'});
		const first = newRunner(world, world.provider, runbook, journal);
		const migrating = waitForView(first, view => view.journal.steps.some(step => step.id === 'migrate' && step.handles?.jobRunId));
		const firstDone = first.start();
		await migrating;
		// A reader holds the table for a moment, so the migration's ALTER TABLE is still waiting when SSH drops.
		const reader = await connectDatabase(world);
		await reader.query('BEGIN');
		await reader.query('LOCK TABLE notes_note IN ACCESS SHARE MODE');
		await dropSsh(world.provider);
		const runId = first.view().journal.steps.find(step => step.id === 'migrate')?.handles?.jobRunId;
		t.is((await world.provider.getJobRun('run:backend', runId!)).status, 'running', 'the migration is under way when the connection drops');
		await first.stop();
		await firstDone.catch(() => undefined);
		await world.store.settled();
		await reader.query('COMMIT');
		await reader.end();

		// A new console: a new connection, the journal from disk.
		const second = new ComposeProvider(world.host.options('direct'));
		providers.push(second);
		const resumedRunbook = releaseRunbook(world.target, {build: 'v2', verifyRestore: false});
		const resumed = newRunner(world, second, resumedRunbook, await world.store.load(journal.runId));
		const deploying = waitForView(resumed, view => view.journal.steps.some(step => step.id === 'deploy' && step.handles?.buildId));
		const resumedDone = resumed.resume();
		await deploying;
		t.is((await second.getService('backend')).deployment.status, 'in-progress', 'the detached up --wait is still going');
		await dropSsh(second);
		await resumed.stop();
		await resumedDone.catch(() => undefined);
		await world.store.settled();

		const third = new ComposeProvider(world.host.options('bastion'));
		providers.push(third);
		const finalRunner = newRunner(world, third, releaseRunbook(world.target, {build: 'v2', verifyRestore: false}), await world.store.load(journal.runId));
		const outcome = await finalRunner.resume();
		const saved = await world.store.load(journal.runId);
		t.is(outcome.status, 'succeeded', failureOf(t, saved));
		t.deepEqual(await applied(world), [...before, 'notes.0003_note_pinned'], 'the migration applied exactly once');
		t.is(await migrateRuns(third), 1, 'one migrate run, not repeated');
		t.is((await third.getDeployment('backend')).buildId, 'v2');
		t.is(await healthVersion(world), 'v2');
		t.is(saved.facts.health?.result, 'pass');
	} finally {
		await Promise.all(providers.map(async provider => provider.close()));
		await stopWorld(world);
	}
});
