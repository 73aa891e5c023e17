// The sandbox as a user finds it (no app of their own): a new build brings one built-in migration; a
// migration made to fail on demand stops the release before the deploy.
import test from 'ava';
import {sandboxSettings} from '../../source/cli/connect.js';
import {NorthflankProvider} from '../../source/providers/northflank/provider.js';
import {createJournal, JournalStore, RunbookRunner, yesOperator} from '../../source/runbooks/engine/index.js';
import {releaseRunbook} from '../../source/runbooks/release.js';
import {resolveTarget} from '../../source/runbooks/target.js';
import {startSandbox} from '../../source/sandbox/index.js';
import {startPostgres} from '../helpers/postgres.js';
import {makeTempDir, removeTempDir} from '../helpers/sshd.js';

test('on the sandbox, a migration made to fail (fail-next job-run) fails the release at the migrate step; the plan read is not the one that fails', async t => {
	const postgres = await startPostgres({database: 'notechondria'});
	const sandbox = await startSandbox({port: 0, database: {url: `postgresql://postgres@127.0.0.1:${postgres.port}/notechondria`}, timeScale: 20});
	const stateDir = await makeTempDir('builtin-release');
	t.teardown(async () => {
		await sandbox.close();
		await postgres.stop();
		await removeTempDir(stateDir);
	});
	const provider = new NorthflankProvider({baseUrl: sandbox.url, token: sandbox.token, project: 'notechondria', sandbox: true, platformName: 'the sandbox'});
	const deployed = (await provider.getDeployment('notechondria-backend')).buildId;
	const build = await provider.startBuild('notechondria-backend');
	for (let tries = 0; tries < 200 && (await provider.getBuild('notechondria-backend', build.id)).status !== 'success'; tries++) {
		await new Promise(resolve => setTimeout(resolve, 100));
	}

	const target = await resolveTarget(provider, {name: 'sandbox', platform: 'northflank', sandbox: true, settings: sandboxSettings});
	sandbox.failNext('job-run');
	const runbook = releaseRunbook(target, {build: build.id});
	const store = new JournalStore(stateDir);
	const journal = createJournal({runbook, context: 'sandbox', platform: 'northflank (sandbox)', target: {service: target.service, addon: target.addon, job: target.job}, operator: 'tester'});
	const runner = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'tester'}), journal, store, options: {stateDir, yes: true}});
	const outcome = await runner.start();
	const {steps, facts} = runner.view().journal;
	t.is(outcome.status, 'failed');
	t.is(steps.find(step => step.id === 'plan')?.status, 'succeeded');
	t.is(facts.migrations?.plan?.length, 1, 'the new build brings one migration');
	const migrate = steps.find(step => step.id === 'migrate');
	t.is(migrate?.status, 'failed');
	t.regex(migrate?.failure?.message ?? '', /forced migration failure/);
	t.is(facts.migrations?.state, 'clean', 'the failing migration rolled back');
	t.is(steps.find(step => step.id === 'deploy')?.status, 'pending');
	t.is((await provider.getDeployment('notechondria-backend')).buildId, deployed);
});
