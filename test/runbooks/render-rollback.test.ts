// The platform-neutral rollback runbook on Render: redeploy through Render's rollback endpoint, the
// health gate, and the offer to turn auto-deploy off that Render's API leaves on.
import test from 'ava';
import {RenderProvider} from '../../source/providers/render/provider.js';
import {createJournal, JournalStore, RunbookRunner, yesOperator} from '../../source/runbooks/engine/index.js';
import {rollbackRunbook} from '../../source/runbooks/rollback.js';
import {resolveTarget} from '../../source/runbooks/target.js';
import {startSandbox} from '../../source/sandbox/index.js';
import {makeTempDir, removeTempDir} from '../helpers/sshd.js';
import {startPostgres} from '../helpers/postgres.js';

test('a Render rollback redeploys the previous deploy, passes the health gate and turns auto-deploy off', async t => {
	const postgres = await startPostgres({database: 'notechondria'});
	const sandbox = await startSandbox({port: 0, database: {url: `postgresql://postgres@127.0.0.1:${postgres.port}/notechondria`}, timeScale: 20});
	const stateDir = await makeTempDir('render-rollback');
	t.teardown(async () => {
		await sandbox.close();
		await postgres.stop();
		await removeTempDir(stateDir);
	});
	const provider = new RenderProvider({baseUrl: sandbox.url, apiKey: sandbox.renderToken});
	const [service] = await provider.listServices();
	const [addon] = await provider.listAddons();
	const target = await resolveTarget(provider, {name: 'render', platform: 'render', sandbox: true, settings: {service: service!.name, addon: addon!.name, job: 'notechondria-backend one-off jobs', healthPath: '/api/health/'}});
	const current = await provider.getDeployment(target.service.id);
	const previous = (await provider.listBuilds(target.service.id, 20)).find(build => build.status === 'success' && build.id !== current.buildId);
	t.truthy(previous);
	const runbook = rollbackRunbook(target, {from: {buildId: current.buildId!}, to: {buildId: previous!.id, sha: previous!.sha}});
	t.deepEqual(runbook.steps.map(step => step.id), ['record', 'redeploy', 'health', 'auto-deploy-off']);
	const store = new JournalStore(stateDir);
	const journal = createJournal({runbook, context: 'render', platform: 'render (sandbox)', target: {service: target.service, addon: target.addon}, operator: 'tester'});
	const runner = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'tester'}), journal, store, options: {stateDir, yes: true}});
	const outcome = await runner.start();
	const steps = runner.view().journal.steps.map(step => [step.id, step.status, step.failure?.message ?? step.outcome]);
	t.is(outcome.status, 'succeeded', JSON.stringify({steps, preflight: runner.view().preflight?.filter(finding => finding.level !== 'ok')}, null, 1));
	t.is((await provider.getDeployment(target.service.id)).sha, previous!.sha);
	const response = await fetch(`${sandbox.url}/v1/services/${target.service.id}`, {headers: {authorization: `Bearer ${sandbox.renderToken}`}});
	t.is(((await response.json()) as {autoDeploy: string}).autoDeploy, 'no');
});
