import test from 'ava';
import {NorthflankProvider} from '../../source/providers/northflank/provider.js';
import {sandboxWithProvider} from '../helpers/sandbox.js';
import {providerError} from '../helpers/provider-error.js';

test('reads the seeded project: services, containers, builds, addons, backups, jobs, runs', async t => {
	const {sandbox, provider} = await sandboxWithProvider();
	t.teardown(async () => sandbox.close());
	const project = await provider.verify();
	t.is(project.name, 'notechondria');

	const [service] = await provider.listServices();
	t.is(service?.name, 'notechondria-backend');
	t.is(service?.kind, 'combined');
	t.is(service?.deployment.status, 'completed');

	const detail = await provider.getService(service!.id);
	t.is(detail.healthPath, '/api/health/');
	t.is(detail.instances, 1);
	t.regex(detail.deployedSha ?? '', /^[\da-f]{40}$/);
	t.deepEqual(detail.ports?.map(port => port.port), [8000]);

	const containers = await provider.listContainers(service!.id);
	t.true(containers.length > 0 && containers.every(container => container.status === 'running'));

	const builds = await provider.listBuilds(service!.id);
	t.is(builds.length, 8);
	t.is(builds.filter(build => build.status === 'failure').length, 1);
	t.true(builds.every((build, index) => index === 0 || build.createdAt!.getTime() <= builds[index - 1]!.createdAt!.getTime()), 'newest first');
	t.is(builds.find(build => build.sha === detail.deployedSha)?.status, 'success');

	const [addon] = await provider.listAddons();
	t.like(addon, {name: 'notechondria-postgres', type: 'postgresql', status: 'running'});
	const backups = await provider.listBackups(addon!.id);
	t.true(backups.some(backup => backup.status === 'completed'));

	const [job] = await provider.listJobs();
	t.like(job, {name: 'notechondria-migrate', kind: 'manual'});
	t.true((await provider.listJobRuns(job!.id)).every(run => run.status === 'success'));
});

test('follows the pagination cursor past one page', async t => {
	const {sandbox, provider} = await sandboxWithProvider({timeScale: 1000});
	t.teardown(async () => sandbox.close());
	const [service] = await provider.listServices();
	for (let index = 0; index < 100; index++) {
		 
		await provider.startBuild(service!.id, {branch: 'main'});
	}

	const builds = await provider.listBuilds(service!.id, 150);
	t.is(builds.length, 108);
	t.is(new Set(builds.map(build => build.id)).size, 108, 'no build twice');
	t.is((await provider.listBuilds(service!.id, 5)).length, 5);
});

test('a project given by name resolves through the project list; an unknown one lists those visible', async t => {
	const {sandbox, provider} = await sandboxWithProvider({}, {project: 'no-such-project'});
	t.teardown(async () => sandbox.close());
	const error = await providerError(provider.verify());
	t.is(error.kind, 'not-found');
	t.is(error.exitCode, 2);
	t.regex(error.message, /No project "no-such-project"/);
	t.regex(error.hint ?? '', /notechondria/);
});

test('team-scoped paths reach the same project', async t => {
	const {sandbox, provider} = await sandboxWithProvider({}, {team: 'sandbox-team'});
	t.teardown(async () => sandbox.close());
	t.is((await provider.verify()).name, 'notechondria');
	t.is((await provider.listServices()).length, 1);
});

test('a rejected token says so without showing it', async t => {
	const {sandbox, provider} = await sandboxWithProvider({}, {token: 'nf-wrong-token-abcdefghijklmnop'});
	t.teardown(async () => sandbox.close());
	const error = await providerError(provider.verify());
	t.is(error.kind, 'auth');
	t.is(error.exitCode, 2);
	t.regex(error.message, /rejected the API token/);
	t.false(`${error.message} ${error.hint}`.includes('abcdefghijklmnop'));
});

test('an unreachable platform is a configuration error naming the address', async t => {
	const provider = new NorthflankProvider({baseUrl: 'http://127.0.0.1:9', token: 'x', project: 'p', platformName: 'the sandbox', timeoutMs: 2000});
	const error = await providerError(provider.verify());
	t.is(error.kind, 'unreachable');
	t.is(error.exitCode, 2);
	t.regex(error.message, /Cannot reach the sandbox at http:\/\/127\.0\.0\.1:9/);
});

test('GETs ride out server errors by retrying; mutations are never retried blindly', async t => {
	const {sandbox, provider} = await sandboxWithProvider({chaos: '5xx=0.4', seed: 7});
	t.teardown(async () => sandbox.close());
	for (let index = 0; index < 10; index++) {
		 
		t.is((await provider.listServices()).length, 1);
	}

	t.true(provider.stats().requests > 10, 'some GETs needed a second try');

	sandbox.setChaos('5xx=1');
	const postsBefore = sandbox.stats().byRoute['POST /projects/:projectId/services/:serviceId/build'] ?? 0;
	const error = await providerError(provider.startBuild('notechondria-backend', {branch: 'main'}));
	t.is(error.kind, 'server');
	t.is(error.exitCode, 1);
	const posts = (sandbox.stats().byRoute['POST /projects/:projectId/services/:serviceId/build'] ?? 0) - postsBefore;
	t.true(posts <= 1, `the POST was sent ${posts} times`);
});

test('a 429 with a short Retry-After is waited out, for GETs and mutations alike', async t => {
	const {sandbox, provider} = await sandboxWithProvider({chaos: '429=0.5', seed: 3, timeScale: 1000});
	t.teardown(async () => sandbox.close());
	const started = Date.now();
	for (let index = 0; index < 4; index++) {
		 
		await provider.listServices();
	}

	await provider.startBuild('notechondria-backend', {branch: 'main'});
	t.true((sandbox.stats().byStatus['429'] ?? 0) > 0, 'the sandbox did refuse some requests');
	t.true(Date.now() - started >= 2000 * (sandbox.stats().byStatus['429'] ?? 0), 'every Retry-After of 2 s was waited out');
});

test('a spent hourly budget fails fast as rate-limited and the budget is tracked from headers', async t => {
	const {sandbox, provider} = await sandboxWithProvider({rateLimitPerHour: 5});
	t.teardown(async () => sandbox.close());
	for (let index = 0; index < 5; index++) {
		 
		await provider.listServices();
	}

	t.like(provider.stats().budget, {limit: 5, remaining: 0});
	t.true(provider.stats().budget.resetAt!.getTime() > Date.now() + (3000 * 1000));
	const started = Date.now();
	const error = await providerError(provider.listAddons());
	t.is(error.kind, 'rate-limited');
	t.regex(error.message, /rate limit reached; try again in \d+ s/);
	t.true(Date.now() - started < 2000, 'did not wait an hour');
});

test('a platform slower than the timeout gives a timeout error', async t => {
	const {sandbox} = await sandboxWithProvider({chaos: 'latency=600ms'});
	t.teardown(async () => sandbox.close());
	const provider = new NorthflankProvider({baseUrl: sandbox.url, token: sandbox.token, project: 'notechondria', timeoutMs: 150});
	const error = await providerError(provider.listServices());
	t.is(error.kind, 'timeout');
	t.regex(error.message, /did not answer GET/);
});

test('starting a build, deploying it and running a job take effect on the platform', async t => {
	const {sandbox, provider} = await sandboxWithProvider({timeScale: 200});
	t.teardown(async () => sandbox.close());
	const build = await provider.startBuild('notechondria-backend', {branch: 'main'});
	t.is(build.status, 'queued');
	let current = build;
	for (let attempt = 0; attempt < 100 && current.status !== 'success'; attempt++) {
		 
		await new Promise(resolve => setTimeout(resolve, 100));
		 
		current = await provider.getBuild('notechondria-backend', build.id);
	}

	t.is(current.status, 'success');
	await provider.deployBuild('notechondria-backend', {buildId: build.id});
	t.like(await provider.getDeployment('notechondria-backend'), {buildId: build.id, sha: build.sha});
	let service = await provider.getService('notechondria-backend');

	for (let attempt = 0; attempt < 100 && service.deployment.status !== 'completed'; attempt++) {
		 
		await new Promise(resolve => setTimeout(resolve, 100));
		 
		service = (await provider.listServices())[0]!;
	}

	t.is(service.deployment.status, 'completed');
	t.is((await provider.getService('notechondria-backend')).deployedSha, build.sha);
	const run = await provider.startJobRun('notechondria-migrate', {command: 'python manage.py migrate', buildId: build.id, sourceServiceId: 'notechondria-backend'});
	t.is(run.status, 'running');
	t.truthy((await provider.listJobRuns('notechondria-migrate')).find(candidate => candidate.id === run.id));
});
