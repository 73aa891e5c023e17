import test from 'ava';
import {addonPath, documented, FakeClock, isoPattern, jobPath, project, sandboxFor, service, servicePath, type Json} from './helpers.js';

test('GET /v1/login answers 200 for the sandbox token (the CLI token check)', async t => {
	const api = await sandboxFor(t);
	const reply = await api.get('/v1/login');
	t.is(reply.status, 200);
	t.deepEqual(reply.body, {data: {}});
});

test('projects: list and get with service, job and addon summaries and the region', async t => {
	const api = await sandboxFor(t);
	const list = await api.get('/v1/projects');
	t.is(list.status, 200);
	t.deepEqual(list.body.data.projects.map((item: Json) => item.id), [project]);
	t.deepEqual(list.body.pagination, {hasNextPage: false, count: 1});

	const {body} = await api.get(`/v1/projects/${project}`);
	t.is(body.data.id, project);
	t.is(body.data.deployment.region, 'europe-west');
	t.regex(body.data.createdAt, isoPattern);
	t.deepEqual(body.data.services.map((item: Json) => [item.id, item.serviceType]), [[service, 'combined']]);
	t.deepEqual(body.data.jobs.map((item: Json) => [item.id, item.jobType]), [['notechondria-migrate', 'manual']]);
	t.deepEqual(body.data.addons.map((item: Json) => [item.id, item.spec.type]), [['notechondria-postgres', 'postgresql']]);
	t.truthy(body.data.cluster.id);
});

test('services: list items carry build and deployment status', async t => {
	const api = await sandboxFor(t);
	const {body} = await api.get(`/v1/projects/${project}/services`);
	const [item] = body.data.services;
	t.like(item, {id: service, projectId: project, serviceType: 'combined', disabledCI: true, disabledCD: true});
	t.deepEqual(item.tags, []);
	t.is(item.status.build.status, 'SUCCESS');
	t.regex(item.status.build.lastTransitionTime, isoPattern);
	t.like(item.status.deployment, {status: 'COMPLETED', reason: 'DEPLOYING'});
});

test('service get: paused flag, port 8000, deployment source with the deployed sha', async t => {
	const api = await sandboxFor(t);
	const {body} = await api.get(servicePath);
	const {data} = body;
	t.false(data.servicePaused);
	t.is(data.deployment.instances, 1);
	t.like(data.deployment.internal, {nfObjectId: service, branch: 'main'});
	t.regex(data.deployment.internal.repository, /github\.com\/.+\/notechondria$/);
	t.regex(data.deployment.internal.buildSHA, /^[\da-f]{40}$/);
	t.is(data.deployment.internal.deployedSHA, data.deployment.internal.buildSHA);
	t.like(data.ports[0], {internalPort: 8000, protocol: 'HTTP', public: true});
	t.is(data.billing.deploymentPlan, 'nf-compute-20');
});

test('service health checks: HTTP readiness probe on /api/health/ port 8000', async t => {
	const api = await sandboxFor(t);
	const {body} = await api.get(`${servicePath}/health-checks`);
	const readiness = body.data.healthChecks.find((check: Json) => check.type === 'readinessProbe');
	t.like(readiness, {protocol: 'HTTP', path: '/api/health/', httpPort: 8000});
	t.true(body.data.healthChecks.every((check: Json) => ['livenessProbe', 'readinessProbe'].includes(check.type)));
});

test('service deployment: buildId of the newest successful build, for rollbacks', async t => {
	const api = await sandboxFor(t);
	const deployment = await api.get(`${servicePath}/deployment`);
	const builds = await api.get(`${servicePath}/build`);
	const newestSuccess = builds.body.data.builds.find((build: Json) => build.status === 'SUCCESS');
	t.like(deployment.body.data.internal, {buildId: newestSuccess.id, buildSHA: newestSuccess.sha, deployedSHA: newestSuccess.sha});
});

test('builds: about eight with realistic shas, exactly one FAILURE, newest first', async t => {
	const api = await sandboxFor(t);
	const {body} = await api.get(`${servicePath}/build`);
	const {builds} = body.data;
	t.true(builds.length >= 6 && builds.length <= 10);
	t.is(builds.filter((build: Json) => build.status === 'FAILURE').length, 1);
	t.is(new Set(builds.map((build: Json) => build.sha)).size, builds.length);
	for (const build of builds) {
		t.regex(build.id, /^[a-z]+-[a-z]+-\d{4}$/);
		t.regex(build.sha, /^[\da-f]{40}$/);
		t.regex(build.createdAt, isoPattern);
		t.true(build.concluded);
		t.true(Number.isInteger(build.buildConcludedAt) && build.buildConcludedAt < 1e11, 'buildConcludedAt is unix seconds');
		t.is(build.success, build.status === 'SUCCESS');
		t.is(typeof build.message, 'string');
	}

	const created = builds.map((build: Json) => Date.parse(build.createdAt));
	t.deepEqual(created, created.toSorted((a: number, b: number) => b - a));
	const one = await api.get(`${servicePath}/build/${builds[2].id}`);
	t.deepEqual(one.body.data, builds[2]);
});

test('containers: one running pod named like Kubernetes, times in unix seconds', async t => {
	const api = await sandboxFor(t);
	const {body} = await api.get(`${servicePath}/containers`);
	const [container] = body.data.containers;
	t.is(body.data.containers.length, 1);
	t.regex(container.name, /^notechondria-backend-[\da-f]{10}-[a-z\d]{5}$/);
	t.is(container.status, 'TASK_RUNNING');
	t.true(Number.isInteger(container.createdAt) && container.createdAt < 1e11);
	t.true(Number.isInteger(container.updatedAt) && container.updatedAt >= container.createdAt);
});

test('addons: list and get a running PostgreSQL 16 with 4096 MB', async t => {
	const api = await sandboxFor(t);
	const list = await api.get(`/v1/projects/${project}/addons`);
	t.like(list.body.data.addons[0], {id: 'notechondria-postgres', spec: {type: 'postgresql'}, status: 'running'});
	const {body} = await api.get(addonPath);
	t.like(body.data.spec.config, {versionTag: '16', deployment: {replicas: 1, storageSize: 4096}});
	t.is(body.data.status, 'running');
});

test('addon backups: completed backups of the past days with sizes as byte strings', async t => {
	const api = await sandboxFor(t);
	const {body} = await api.get(`${addonPath}/backups`);
	const {backups} = body.data;
	t.true(backups.length >= 2);
	for (const backup of backups) {
		t.is(backup.status, 'completed');
		t.regex(backup.createdAt, isoPattern);
		t.regex(backup.completedAt, isoPattern);
		t.regex(backup.config.size, /^\d+$/);
		t.true(documented.backupSourceType.includes(backup.config.source.type));
	}

	const one = await api.get(`${addonPath}/backups/${backups[0].id}`);
	t.is(one.body.data.id, backups[0].id);
});

test('jobs: the manual migrate job, its deployment and its successful past runs', async t => {
	const api = await sandboxFor(t);
	const list = await api.get(`/v1/projects/${project}/jobs`);
	t.like(list.body.data.jobs[0], {id: 'notechondria-migrate', jobType: 'manual'});
	const job = await api.get(jobPath);
	t.like(job.body.data.settings, {backoffLimit: 0});
	t.like(job.body.data.deployment.docker, {configType: 'customCommand', customCommand: 'python manage.py migrate --noinput'});
	const deployment = await api.get(`${jobPath}/deployment`);
	t.is(deployment.body.data.internal.nfObjectId, service);
	const runs = await api.get(`${jobPath}/runs`);
	t.true(runs.body.data.runs.length >= 2);
	for (const run of runs.body.data.runs) {
		t.like(run, {status: 'SUCCESS', concluded: true, active: 0, succeeded: 1, failed: 0});
		t.regex(run.runName, /^notechondria-migrate-[\da-f]{24}$/);
		t.regex(run.startedAt, isoPattern);
		t.regex(run.concludedAt, isoPattern);
	}

	const one = await api.get(`${jobPath}/runs/${runs.body.data.runs[0].id}`);
	t.deepEqual(one.body.data, runs.body.data.runs[0]);
});

test('team-scoped paths serve the same resources; an unknown team is 404', async t => {
	const api = await sandboxFor(t, {now: new FakeClock().now});
	for (const path of ['/projects', `/projects/${project}`, `/projects/${project}/services/${service}`, `/projects/${project}/addons/notechondria-postgres/backups`, `/projects/${project}/jobs/notechondria-migrate/runs`]) {
		const [plain, scoped] = await Promise.all([api.get(`/v1${path}`), api.get(`/v1/teams/sandbox-team${path}`)]);
		t.is(scoped.status, 200, path);
		t.deepEqual(scoped.body, plain.body, path);
	}

	const unknown = await api.get(`/v1/teams/someone-else/projects/${project}`);
	t.is(unknown.status, 404);
	t.regex(unknown.body.error.message, /Team "someone-else" not found/);
});

test('unknown resources are 404 with the error envelope', async t => {
	const api = await sandboxFor(t);
	for (const path of ['/v1/projects/nope', `/v1/projects/${project}/services/nope`, `${servicePath}/build/nope`, `/v1/projects/${project}/addons/nope`, `${addonPath}/backups/nope`, `/v1/projects/${project}/jobs/nope`, `${jobPath}/runs/nope`, '/v1/no-such-endpoint']) {
		const reply = await api.get(path);
		t.is(reply.status, 404, path);
		t.is(typeof reply.body.error.message, 'string', path);
		t.is(reply.body.data, undefined);
	}
});

test('a wrong method is 405 naming the allowed ones', async t => {
	const api = await sandboxFor(t);
	const reply = await api.request('PUT', `${servicePath}/build`);
	t.is(reply.status, 405);
	t.is(reply.headers.get('allow'), 'GET, POST');
});

test('bad bodies are 400 naming the field', async t => {
	const api = await sandboxFor(t);
	const notJson = await api.request('POST', `${servicePath}/deployment`, {body: '{not json'});
	t.is(notJson.status, 400);
	t.regex(notJson.body.error.message, /not valid JSON/);

	const noInternal = await api.post(`${servicePath}/deployment`, {});
	t.is(noInternal.status, 400);
	t.regex(noInternal.body.error.message, /"internal" is required/);

	const badType = await api.post(`${addonPath}/backups`, {backupType: 'tarball'});
	t.is(badType.status, 400);
	t.regex(badType.body.error.message, /backupType.+dump, snapshot/);

	const badSha = await api.post(`${servicePath}/build`, {sha: 'abc'});
	t.is(badSha.status, 400);

	const badEnv = await api.post(`${jobPath}/runs`, {runtimeEnvironment: {DEBUG: 1}});
	t.is(badEnv.status, 400);
	t.regex(badEnv.body.error.message, /runtimeEnvironment\.DEBUG/);
});

test('deploying a build that is not SUCCESS is 409', async t => {
	const api = await sandboxFor(t);
	const builds = await api.get(`${servicePath}/build`);
	const failed = builds.body.data.builds.find((build: Json) => build.status === 'FAILURE');
	const reply = await api.post(`${servicePath}/deployment`, {internal: {id: service, buildId: failed.id}});
	t.is(reply.status, 409);
	t.regex(reply.body.error.message, /FAILURE.+SUCCESS/);

	const unknownService = await api.post(`${servicePath}/deployment`, {internal: {id: 'nope', buildId: failed.id}});
	t.is(unknownService.status, 404);
});

test('responses are JSON with the {data} envelope and POSTs answer 200 (the official client treats anything else as an error)', async t => {
	const api = await sandboxFor(t);
	const build = await api.post(`${servicePath}/build`, {});
	t.is(build.status, 200);
	t.regex(build.headers.get('content-type') ?? '', /^application\/json/);
	t.like(build.body.data, {branch: 'main', status: 'QUEUED', concluded: false});
	const restart = await api.post(`${servicePath}/restart`);
	t.deepEqual(restart.body, {data: {}});
});

test('the seed is deterministic: same seed and clock, same world', async t => {
	const clock = new FakeClock();
	const first = await sandboxFor(t, {now: clock.now});
	const second = await sandboxFor(t, {now: clock.now});
	for (const path of [`${servicePath}/build`, `${servicePath}/containers`, `${addonPath}/backups`, `${jobPath}/runs`]) {
		const [a, b] = await Promise.all([first.get(path), second.get(path)]);
		t.deepEqual(a.body, b.body, path);
	}

	const other = await sandboxFor(t, {now: clock.now, seed: 2});
	const [a, b] = await Promise.all([first.get(`${servicePath}/build`), other.get(`${servicePath}/build`)]);
	t.notDeepEqual(a.body.data.builds[0].sha, b.body.data.builds[0].sha);
});
