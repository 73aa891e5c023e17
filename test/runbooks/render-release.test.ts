// The Render release against the sandbox's Render face on a real PostgreSQL: the migration runs as the
// deploy's pre-deploy command (the sandbox's built-in migrator, from the new build) before it goes live.
import test from 'ava';
import pg from 'pg';
import {runbookOf} from '../../source/commands/runbooks.js';
import {RenderProvider} from '../../source/providers/render/provider.js';
import {createJournal, JournalStore, RunbookRunner, yesOperator} from '../../source/runbooks/engine/index.js';
import {renderReleaseRunbook} from '../../source/runbooks/render-release.js';
import {resolveTarget, type DeploymentTarget} from '../../source/runbooks/target.js';
import type {Journal} from '../../source/runbooks/types.js';
import {startSandbox} from '../../source/sandbox/index.js';
import {makeTempDir, removeTempDir} from '../helpers/sshd.js';
import {startPostgres} from '../helpers/postgres.js';

async function startRenderWorld(t: {teardown(fn: () => Promise<void>): void}) {
	const postgres = await startPostgres({database: 'notechondria'});
	const url = `postgresql://postgres@127.0.0.1:${postgres.port}/notechondria`;
	const sandbox = await startSandbox({port: 0, database: {url}, timeScale: 20});
	const stateDir = await makeTempDir('render-release');
	t.teardown(async () => {
		await sandbox.close();
		await postgres.stop();
		await removeTempDir(stateDir);
	});
	const provider = new RenderProvider({baseUrl: sandbox.url, apiKey: sandbox.renderToken});
	const [service] = await provider.listServices();
	const [addon] = await provider.listAddons();
	const target = await resolveTarget(provider, {name: 'render', platform: 'render', sandbox: true, settings: {service: service!.name, addon: addon!.name, job: 'notechondria-backend one-off jobs', healthPath: '/api/health/', migrateCommand: 'python manage.py migrate --noinput'}});
	const applied = async (): Promise<string[]> => {
		const client = new pg.Client({connectionString: url});
		await client.connect();
		try {
			const exists = await client.query<{found: boolean}>('SELECT to_regclass(\'django_migrations\') IS NOT NULL AS found');
			return exists.rows[0]?.found ? (await client.query<{label: string}>('SELECT app || \'.\' || name AS label FROM django_migrations ORDER BY id')).rows.map(row => row.label) : [];
		} finally {
			await client.end();
		}
	};

	const run = async () => {
		const runbook = renderReleaseRunbook(target, {});
		const store = new JournalStore(stateDir);
		const journal = createJournal({runbook, context: 'render', platform: 'render (sandbox)', target: {service: target.service, addon: target.addon}, operator: 'tester'});
		const runner = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'tester'}), journal, store, options: {stateDir, yes: true}});
		const outcome = await runner.start();
		await store.settled();
		const view = runner.view();
		const summary = JSON.stringify({steps: view.journal.steps.map(step => [step.id, step.status, step.failure?.message ?? step.outcome]), preflight: view.preflight?.filter(finding => finding.level !== 'ok')}, null, 1);
		return {outcome, journal: view.journal, summary};
	};

	return {sandbox, provider, target, applied, run};
}

test('a Render release migrates in the pre-deploy phase from the new build, goes live and passes the health gate', async t => {
	const world = await startRenderWorld(t);
	const previous = await world.provider.getDeployment(world.target.service.id);
	const {outcome, journal, summary} = await world.run();
	t.is(outcome.status, 'succeeded', summary);
	// What the database held just before the deploy (the sandbox seeds it in the background at start).
	const before = journal.facts.migrations?.before ?? [];
	t.true(before.length > 0);
	t.deepEqual(journal.steps.map(step => step.id), ['record', 'backup', 'verify-backup', 'pre-deploy-command', 'deploy', 'health']);
	const after = await world.applied();
	const added = after.filter(name => !before.includes(name));
	t.true(added.length > 0, 'the new build\'s migration was applied');
	t.deepEqual(journal.facts.migrations?.plan, added);
	t.is(journal.facts.migrations?.state, 'clean');
	t.is(journal.facts.previousBuild?.buildId, previous.buildId);
	t.truthy(journal.facts.backup?.id);
	t.is(journal.steps.find(step => step.id === 'backup')?.handles?.backupId, journal.facts.backup?.id);
	t.is(journal.facts.backup?.level, 'readable');
	const deployId = journal.steps.find(step => step.id === 'deploy')?.handles?.deployId;
	t.truthy(deployId);
	t.is(journal.facts.newBuild?.buildId, deployId);
	t.is((await world.provider.getDeployment(world.target.service.id)).buildId, deployId);
	t.is(journal.facts.health?.result, 'pass');
	// The pre-deploy command's output is among the service's logs, as on Render.
	const migration = added[0]!.split('.')[1]!;
	const logs = await world.provider.fetchLogs({kind: 'service', id: world.target.service.id, name: world.target.service.name}, {since: new Date(Date.now() - 10 * 60_000), until: new Date(), limit: 100, filter: {pattern: migration, regex: false, exclude: false}});
	t.true(logs.lines.some(line => line.text.includes(migration)), 'the migration\'s output is in the service logs');
});

test('a failing pre-deploy migration fails the deploy, and the service keeps its old deploy', async t => {
	const world = await startRenderWorld(t);
	const previous = await world.provider.getDeployment(world.target.service.id);
	world.sandbox.failNext('job-run');
	const {outcome, journal, summary} = await world.run();
	t.is(outcome.status, 'failed', summary);
	const deployStep = journal.steps.find(step => step.id === 'deploy');
	t.is(deployStep?.status, 'failed', summary);
	t.log(deployStep?.failure?.message);
	t.regex(deployStep?.failure?.message ?? '', /migration failed in the pre-deploy phase/);
	t.regex(deployStep?.failure?.message ?? '', /forced migration failure/, 'the error is read from the pre-deploy log');
	t.regex(deployStep?.failure?.message ?? '', /keeps its last successful deploy/);
	t.true((deployStep?.failure?.detail ?? []).length > 0, 'the migration\'s error lines come with the failure');
	const deployId = deployStep?.handles?.deployId;
	t.truthy(deployId);
	t.is((await world.provider.getBuild(world.target.service.id, deployId!)).rawStatus, 'pre_deploy_failed');
	t.is((await world.provider.getDeployment(world.target.service.id)).buildId, previous.buildId);
	t.deepEqual(await world.applied(), journal.facts.migrations?.before);
	t.is(journal.facts.migrations?.state, 'clean');
	t.is(journal.steps.find(step => step.id === 'health')?.status, 'pending');
});

test('a release on a Render context is the pre-deploy release; on Northflank it stays the job-run release', t => {
	const target: DeploymentTarget = {context: 'c', protected: false, sandbox: true, platform: 'render', service: {id: 'srv-1', name: 'web'}, addon: {id: 'dpg-1', name: 'db'}, job: {id: 'srv-1', name: 'jobs'}, migrateCommand: 'python manage.py migrate --noinput', migrationTool: 'django', healthPath: '/api/health/'};
	const journal = {kind: 'release', parameters: {}} as unknown as Journal;
	t.deepEqual(runbookOf(journal, target).steps.map(step => step.id), ['record', 'backup', 'verify-backup', 'pre-deploy-command', 'deploy', 'health']);
	t.true(runbookOf(journal, {...target, platform: 'northflank'}).steps.some(step => step.id === 'migrate'));
});
