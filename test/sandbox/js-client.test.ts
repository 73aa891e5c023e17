// The official client as a second, independent judge of fidelity: if @northflank/js-client can use
// the sandbox, so can anything written against the real API.
import {ApiClient, ApiClientInMemoryContextProvider, NorthflankApiCallError} from '@northflank/js-client';
import test from 'ava';
import {FakeClock, sandboxFor} from './helpers.js';

const projectId = 'notechondria';
const serviceId = 'notechondria-backend';

async function officialClientFor(t: Parameters<typeof sandboxFor>[0], options: Parameters<typeof sandboxFor>[1] = {}) {
	const api = await sandboxFor(t, options);
	const contexts = new ApiClientInMemoryContextProvider();
	contexts.addContext({name: 'sandbox', token: api.sandbox.token, host: api.sandbox.url});
	return {api, client: new ApiClient(contexts, {throwErrorOnHttpErrorCode: true})};
}

test('lists projects, services, addons and jobs', async t => {
	const {client} = await officialClientFor(t);
	const projects = await client.list.projects({});
	t.deepEqual(projects.data.projects.map(project => project.id), [projectId]);
	t.false(projects.pagination?.hasNextPage);

	const services = await client.list.services({parameters: {projectId}});
	t.is(services.data.services[0]?.status.deployment?.status, 'COMPLETED');
	const addons = await client.list.addons({parameters: {projectId}});
	t.is(addons.data.addons[0]?.status, 'running');
	const jobs = await client.list.jobs({parameters: {projectId}});
	t.is(jobs.data.jobs[0]?.jobType, 'manual');
});

test('gets the project and the service, also team-scoped', async t => {
	const {client} = await officialClientFor(t);
	const project = await client.get.project({parameters: {projectId}});
	t.is(project.data.deployment.region, 'europe-west');
	const service = await client.get.service({parameters: {projectId, serviceId}});
	t.is(service.data.ports[0]?.internalPort, 8000);
	t.regex(service.data.deployment?.internal?.deployedSHA ?? '', /^[\da-f]{40}$/);
	const scoped = await client.get.service({parameters: {teamId: 'sandbox-team', projectId, serviceId}});
	t.deepEqual(scoped.data, service.data);
	const health = await client.get.service.healthChecks({parameters: {projectId, serviceId}});
	t.is(health.data.healthChecks[0]?.path, '/api/health/');
});

test('.all() walks every page of builds', async t => {
	const {api, client} = await officialClientFor(t);
	const all = await client.get.service.builds.all({parameters: {projectId, serviceId}, options: {per_page: 2}});
	const direct = await api.get(`/v1/projects/${projectId}/services/${serviceId}/build`);
	t.deepEqual(all.data.builds.map(build => build.id), direct.body.data.builds.map((build: {id: string}) => build.id));
	t.is(new Set(all.data.builds.map(build => build.id)).size, all.data.builds.length);
	const requests = api.sandbox.stats().byRoute['GET /projects/:projectId/services/:serviceId/build'];
	t.is(requests, Math.ceil(all.data.builds.length / 2) + 1);
});

test('starts a job run from a build with a command override and follows it', async t => {
	const clock = new FakeClock();
	const {client} = await officialClientFor(t, {now: clock.now});
	const deployment = await client.get.service.deployment({parameters: {projectId, serviceId}});
	const buildId = 'internal' in deployment.data ? deployment.data.internal.buildId : '';
	const started = await client.start.job.run({
		parameters: {projectId, jobId: 'notechondria-migrate'},
		data: {
			runtimeEnvironment: {RELEASE: 'sandbox'},
			deployment: {internal: {id: serviceId, branch: 'main', buildId}, docker: {configType: 'customCommand', customCommand: 'python manage.py migrate --noinput'}},
		},
	});
	t.regex(started.data.runName, /^notechondria-migrate-/);
	const running = await client.get.job.run({parameters: {projectId, jobId: 'notechondria-migrate', runId: started.data.id}});
	t.is(running.data.status, 'RUNNING');
	clock.advance(10_000);
	const done = await client.get.job.run({parameters: {projectId, jobId: 'notechondria-migrate', runId: started.data.id}});
	t.like(done.data, {status: 'SUCCESS', concluded: true});
});

test('creates a backup and sees it complete', async t => {
	const clock = new FakeClock();
	const {client} = await officialClientFor(t, {now: clock.now});
	const backup = await client.backup.addon({parameters: {projectId, addonId: 'notechondria-postgres'}, data: {name: 'pre-release js-client', backupType: 'dump'}});
	t.is(backup.data.status, 'in-progress');
	clock.advance(10_000);
	const backups = await client.get.addon.backups.all({parameters: {projectId, addonId: 'notechondria-postgres'}});
	t.like(backups.data.backups[0], {id: backup.data.id, status: 'completed'});
	const restore = await client.restore.addon.backup({parameters: {projectId, addonId: 'notechondria-postgres', backupId: backup.data.id}});
	t.regex(restore.data.restoreId, /^[\da-f]{24}$/);
});

test('starts a build and deploys it', async t => {
	const clock = new FakeClock();
	const {client} = await officialClientFor(t, {now: clock.now});
	const build = await client.start.service.build({parameters: {projectId, serviceId}, data: {branch: 'main'}});
	clock.advance(60_000);
	const done = await client.get.service.build({parameters: {projectId, serviceId, buildId: build.data.id}});
	t.is(done.data.status, 'SUCCESS');
	await client.update.service.deployment({parameters: {projectId, serviceId}, data: {internal: {id: serviceId, buildId: build.data.id}}});
	const service = await client.get.service({parameters: {projectId, serviceId}});
	t.is(service.data.status.deployment?.status, 'IN_PROGRESS');
	await client.restart.service({parameters: {projectId, serviceId}});
});

test('API errors reach the client as NorthflankApiCallError with status and message', async t => {
	const {client} = await officialClientFor(t);
	const error = await t.throwsAsync(client.get.service({parameters: {projectId, serviceId: 'nope'}}), {instanceOf: NorthflankApiCallError});
	t.is(error.status, 404);
	t.regex(error.message, /Service "nope" not found/);
});
