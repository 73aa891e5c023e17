import test from 'ava';
import {addonPath, documented, FakeClock, jobPath, sandboxFor, service, servicePath, type Client, type Json} from './helpers.js';

/** Steps the clock one second at a time and records each change of `observe`'s answer. */
async function trail(clock: FakeClock, seconds: number, observe: () => Promise<string>): Promise<string[]> {
	const seen: string[] = [];
	for (let second = 0; second <= seconds; second++) {
		const now = await observe();
		if (seen.at(-1) !== now) {
			seen.push(now);
		}

		clock.advance(1000);
	}

	return seen;
}

async function buildAndWait(api: Client, clock: FakeClock): Promise<Json> {
	const started = await api.post(`${servicePath}/build`, {});
	clock.advance(60_000);
	const build = await api.get(`${servicePath}/build/${started.body.data.id}`);
	return build.body.data;
}

async function rolloutView(api: Client, names: Map<string, string>): Promise<string> {
	const [serviceReply, containers] = await Promise.all([api.get(servicePath), api.get(`${servicePath}/containers`)]);
	const pods = containers.body.data.containers.map((container: Json) => {
		if (!names.has(container.name)) {
			names.set(container.name, names.size === 0 ? 'old' : `new${names.size}`);
		}

		return `${names.get(container.name)}:${container.status}`;
	});
	return [serviceReply.body.data.status.deployment.status, ...pods.toSorted()].join(' ');
}

test('a build goes QUEUED → CLONING → BUILDING → UPLOADING → SUCCESS in about 30 s', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const started = await api.post(`${servicePath}/build`, {});
	t.like(started.body.data, {status: 'QUEUED', concluded: false, branch: 'main'});
	t.regex(started.body.data.sha, /^[\da-f]{40}$/);
	const id = started.body.data.id;
	const statuses = await trail(clock, 40, async () => (await api.get(`${servicePath}/build/${id}`)).body.data.status);
	t.deepEqual(statuses, ['QUEUED', 'CLONING', 'BUILDING', 'UPLOADING', 'SUCCESS']);
	const build = (await api.get(`${servicePath}/build/${id}`)).body.data;
	t.like(build, {concluded: true, success: true, message: 'Image successfully built'});
	t.is(build.buildConcludedAt, Math.floor((Date.parse(build.createdAt) + 32_000) / 1000));
	const listed = await api.get(`/v1/projects/notechondria/services`);
	t.is(listed.body.data.services[0].status.build.status, 'SUCCESS');
});

test('timeScale shortens every phase', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now, timeScale: 10});
	const started = await api.post(`${servicePath}/build`, {});
	clock.advance(3300);
	const build = await api.get(`${servicePath}/build/${started.body.data.id}`);
	t.is(build.body.data.status, 'SUCCESS');
});

test('a deploy rolls containers: new one starts, old one is killed once the new one runs, then COMPLETED', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const before = (await api.get(servicePath)).body.data.deployment.internal;
	const build = await buildAndWait(api, clock);
	const names = new Map<string, string>();
	await rolloutView(api, names);

	const deploy = await api.post(`${servicePath}/deployment`, {internal: {id: service, buildId: build.id}});
	t.deepEqual(deploy.body, {data: {}});
	const deploying = (await api.get(servicePath)).body.data;
	t.like(deploying.status.deployment, {status: 'IN_PROGRESS', reason: 'DEPLOYING'});
	t.like(deploying.deployment.internal, {buildSHA: build.sha, deployedSHA: before.deployedSHA});
	t.is((await api.get(`${servicePath}/deployment`)).body.data.internal.buildId, build.id);

	const steps = await trail(clock, 15, async () => rolloutView(api, names));
	t.deepEqual(steps, [
		'IN_PROGRESS new1:TASK_STARTING old:TASK_RUNNING',
		'IN_PROGRESS new1:TASK_RUNNING old:TASK_KILLING',
		'COMPLETED new1:TASK_RUNNING',
	]);
	t.is((await api.get(servicePath)).body.data.deployment.internal.deployedSHA, build.sha);
});

test('a restart rolls the containers on the same build', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const before = (await api.get(`${servicePath}/deployment`)).body.data.internal;
	const names = new Map<string, string>();
	await rolloutView(api, names);
	await api.post(`${servicePath}/restart`);
	const steps = await trail(clock, 15, async () => rolloutView(api, names));
	t.deepEqual(steps, [
		'IN_PROGRESS new1:TASK_STARTING old:TASK_RUNNING',
		'IN_PROGRESS new1:TASK_RUNNING old:TASK_KILLING',
		'COMPLETED new1:TASK_RUNNING',
	]);
	t.deepEqual((await api.get(`${servicePath}/deployment`)).body.data.internal, before);
});

test('a backup puts the addon in "backup", then completes and the addon runs again', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const created = await api.post(`${addonPath}/backups`, {name: 'pre-release test', backupType: 'dump'});
	t.is(created.status, 200);
	t.like(created.body.data, {id: 'pre-release-test', name: 'pre-release test', status: 'in-progress', config: {source: {type: 'liveInstance'}, compressionType: 'gz'}});
	const busy = await api.post(`${addonPath}/backups`, {});
	t.is(busy.status, 409, 'one backup at a time');
	const steps = await trail(clock, 8, async () => {
		const [addon, backup] = await Promise.all([api.get(addonPath), api.get(`${addonPath}/backups/pre-release-test`)]);
		return `${addon.body.data.status} ${backup.body.data.status}`;
	});
	t.deepEqual(steps, ['backup in-progress', 'running completed']);
	const backup = (await api.get(`${addonPath}/backups/pre-release-test`)).body.data;
	t.regex(backup.completedAt, /Z$/);
	t.true(Number(backup.config.size) > 0);
	const snapshot = await api.post(`${addonPath}/backups`, {});
	t.like(snapshot.body.data, {status: 'in-progress', config: {source: {type: 'snapshot'}}});
});

test('restoring a backup: restoreId, addon status "restore", restores listed until completed', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const [backup] = (await api.get(`${addonPath}/backups`)).body.data.backups;
	const restore = await api.post(`${addonPath}/backups/${backup.id}/restore`);
	t.regex(restore.body.data.restoreId, /^[\da-f]{24}$/);
	t.is((await api.get(addonPath)).body.data.status, 'restore');
	const restores = (await api.get(`${addonPath}/restores`)).body.data.restores;
	t.like(restores[0], {id: restore.body.data.restoreId, backupId: backup.id, status: 'in-progress'});
	t.like((await api.get(`${addonPath}/backups/${backup.id}`)).body.data.lastRestore, {status: 'in-progress'});
	clock.advance(8000);
	t.is((await api.get(addonPath)).body.data.status, 'running');
	const ofBackup = (await api.get(`${addonPath}/backups/${backup.id}/restores`)).body.data.restores;
	t.like(ofBackup[0], {status: 'completed', backupId: backup.id});
	t.regex(ofBackup[0].completedAt, /Z$/);
});

test('a job run with a command override and the new build goes RUNNING → SUCCESS', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const build = await buildAndWait(api, clock);
	const started = await api.post(`${jobPath}/runs`, {
		deployment: {internal: {id: service, buildId: build.id}, docker: {configType: 'customCommand', customCommand: 'python manage.py migrate --noinput'}},
		runtimeEnvironment: {DJANGO_SETTINGS_MODULE: 'notechondria.settings'},
	});
	t.is(started.status, 200);
	t.deepEqual(Object.keys(started.body.data).toSorted(), ['id', 'runName']);
	const {id} = started.body.data;
	const steps = await trail(clock, 9, async () => {
		const run = (await api.get(`${jobPath}/runs/${id}`)).body.data;
		return `${run.status} concluded=${run.concluded} active=${run.active} succeeded=${run.succeeded}`;
	});
	t.deepEqual(steps, ['RUNNING concluded=false active=1 succeeded=0', 'SUCCESS concluded=true active=0 succeeded=1']);
	t.is((await api.get(`${jobPath}/runs`)).body.data.runs[0].id, id);
});

test('deploying a build to the job changes what later runs use; a failed build cannot run', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const build = await buildAndWait(api, clock);
	const update = await api.post(`${jobPath}/deployment`, {internal: {id: service, buildId: build.id}});
	t.is(update.status, 200);
	t.like((await api.get(`${jobPath}/deployment`)).body.data.internal, {buildId: build.id, buildSHA: build.sha});
	const failed = (await api.get(`${servicePath}/build`)).body.data.builds.find((candidate: Json) => candidate.status === 'FAILURE');
	const refused = await api.post(`${jobPath}/runs`, {deployment: {internal: {id: service, buildId: failed.id}}});
	t.is(refused.status, 409);
});

test('fail-next makes the next build fail, then builds succeed again', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const control = await api.post('/_sandbox/fail-next', {kind: 'build'});
	t.is(control.body.data.failNext.build, 1);
	const failing = await buildAndWait(api, clock);
	t.like(failing, {status: 'FAILURE', concluded: true, success: false});
	t.regex(failing.message, /failed/i);
	const next = await buildAndWait(api, clock);
	t.is(next.status, 'SUCCESS');
	const refused = await api.post(`${servicePath}/deployment`, {internal: {id: service, buildId: failing.id}});
	t.is(refused.status, 409);
});

test('fail-next job-run makes the migration fail', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	api.sandbox.failNext('job-run');
	const started = await api.post(`${jobPath}/runs`, {});
	clock.advance(10_000);
	const run = (await api.get(`${jobPath}/runs/${started.body.data.id}`)).body.data;
	t.like(run, {status: 'FAILED', concluded: true, failed: 1, succeeded: 0, active: 0});
});

test('a failed deploy keeps the old container serving, and redeploying the previous build recovers', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const previous = (await api.get(`${servicePath}/deployment`)).body.data.internal;
	const build = await buildAndWait(api, clock);
	await api.post('/_sandbox/fail-next', {kind: 'deploy'});
	const names = new Map<string, string>();
	await rolloutView(api, names);
	await api.post(`${servicePath}/deployment`, {internal: {id: service, buildId: build.id}});
	const steps = await trail(clock, 12, async () => rolloutView(api, names));
	t.deepEqual(steps, ['IN_PROGRESS new1:TASK_STARTING old:TASK_RUNNING', 'FAILED new1:TASK_FAILED old:TASK_RUNNING']);
	t.is((await api.get(servicePath)).body.data.deployment.internal.deployedSHA, previous.deployedSHA);

	await api.post(`${servicePath}/deployment`, {internal: {id: service, buildId: previous.buildId}});
	const rollback = await trail(clock, 12, async () => rolloutView(api, names));
	t.is(rollback.at(-1), 'COMPLETED new2:TASK_RUNNING');
	t.like((await api.get(`${servicePath}/deployment`)).body.data.internal, {buildId: previous.buildId, deployedSHA: previous.deployedSHA});
});

test('fail-next backup ends in a failed backup', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	await api.post('/_sandbox/fail-next', {kind: 'backup'});
	const created = await api.post(`${addonPath}/backups`, {});
	clock.advance(10_000);
	t.is((await api.get(`${addonPath}/backups/${created.body.data.id}`)).body.data.status, 'failed');
	const restore = await api.post(`${addonPath}/backups/${created.body.data.id}/restore`);
	t.is(restore.status, 409);
	const unknownKind = await api.post('/_sandbox/fail-next', {kind: 'meteor'});
	t.is(unknownKind.status, 400);
	t.regex(unknownKind.body.error.message, /build.+job-run.+deploy.+backup/);
});

test('aborting a running build or run; concluded ones are 409', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const build = await api.post(`${servicePath}/build`, {});
	clock.advance(6000);
	t.is((await api.delete(`${servicePath}/build/${build.body.data.id}`)).status, 200);
	t.like((await api.get(`${servicePath}/build/${build.body.data.id}`)).body.data, {status: 'ABORTED', concluded: true, success: false});
	t.is((await api.delete(`${servicePath}/build/${build.body.data.id}`)).status, 409);

	const run = await api.post(`${jobPath}/runs`, {});
	t.is((await api.delete(`${jobPath}/runs/${run.body.data.id}`)).status, 200);
	t.like((await api.get(`${jobPath}/runs/${run.body.data.id}`)).body.data, {status: 'FAILED', concluded: true});
	t.is((await api.delete(`${jobPath}/runs/${run.body.data.id}`)).status, 409);
});

test('every status seen over a busy scenario is one the reference documents', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now, timeScale: 4});
	const seen = new Map<keyof typeof documented, Set<string>>();
	const note = (kind: keyof typeof documented, value: string) => {
		const values = seen.get(kind) ?? new Set();
		values.add(value);
		seen.set(kind, values);
	};

	const observe = async () => {
		const [services, serviceGet, builds, containers, addons, addon, backups, restores, runs] = await Promise.all([
			api.get('/v1/projects/notechondria/services'), api.get(servicePath), api.get(`${servicePath}/build`), api.get(`${servicePath}/containers`),
			api.get('/v1/projects/notechondria/addons'), api.get(addonPath), api.get(`${addonPath}/backups`), api.get(`${addonPath}/restores`), api.get(`${jobPath}/runs`),
		]);
		for (const item of [...services.body.data.services, serviceGet.body.data]) {
			note('serviceType', item.serviceType);
			note('buildStatus', item.status.build.status);
			note('deploymentStatus', item.status.deployment.status);
			note('deploymentReason', item.status.deployment.reason);
		}

		for (const build of builds.body.data.builds) {
			note('buildStatus', build.status);
		}

		for (const container of containers.body.data.containers) {
			note('containerStatus', container.status);
		}

		for (const item of [...addons.body.data.addons, addon.body.data]) {
			note('addonStatus', item.status);
		}

		for (const backup of backups.body.data.backups) {
			note('backupStatus', backup.status);
			note('backupSourceType', backup.config.source.type);
		}

		for (const restore of restores.body.data.restores) {
			note('backupStatus', restore.status);
		}

		for (const run of runs.body.data.runs) {
			note('jobRunStatus', run.status);
		}
	};

	const stepThrough = async (seconds: number) => {
		for (let second = 0; second < seconds; second++) {
			await observe();
			clock.advance(1000);
		}
	};

	const aborted = await api.post(`${servicePath}/build`, {});
	await api.delete(`${servicePath}/build/${aborted.body.data.id}`);
	await api.post('/_sandbox/fail-next', {kind: 'build'});
	await api.post(`${servicePath}/build`, {});
	const good = await api.post(`${servicePath}/build`, {});
	await api.post(`${addonPath}/backups`, {backupType: 'dump'});
	await api.post('/_sandbox/fail-next', {kind: 'job-run'});
	await api.post(`${jobPath}/runs`, {});
	await stepThrough(10);
	await api.post(`${jobPath}/runs`, {});
	await api.post(`${addonPath}/backups/${(await api.get(`${addonPath}/backups`)).body.data.backups[0].id}/restore`);
	await api.post('/_sandbox/fail-next', {kind: 'deploy'});
	await api.post(`${servicePath}/deployment`, {internal: {id: service, buildId: good.body.data.id}});
	await stepThrough(5);
	await api.post(`${servicePath}/deployment`, {internal: {id: service, buildId: good.body.data.id}});
	await stepThrough(5);

	for (const [kind, values] of seen) {
		for (const value of values) {
			t.true((documented[kind] as readonly string[]).includes(value), `${kind} ${value}`);
		}
	}

	t.deepEqual([...seen.get('buildStatus')!].toSorted(), ['ABORTED', 'BUILDING', 'CLONING', 'FAILURE', 'QUEUED', 'SUCCESS', 'UPLOADING']);
	t.deepEqual([...seen.get('containerStatus')!].toSorted(), ['TASK_FAILED', 'TASK_KILLING', 'TASK_RUNNING', 'TASK_STARTING']);
	t.deepEqual([...seen.get('deploymentStatus')!].toSorted(), ['COMPLETED', 'FAILED', 'IN_PROGRESS']);
	t.deepEqual([...seen.get('addonStatus')!].toSorted(), ['backup', 'restore', 'running']);
	t.deepEqual([...seen.get('backupStatus')!].toSorted(), ['completed', 'in-progress']);
	t.deepEqual([...seen.get('jobRunStatus')!].toSorted(), ['FAILED', 'RUNNING', 'SUCCESS']);
});
