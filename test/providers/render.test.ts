import test from 'ava';
import {LogTail} from '../../source/core/log-tail.js';
import type {LogLine} from '../../source/core/logs.js';
import {loadSnapshot} from '../../source/core/snapshot.js';
import {RenderProvider} from '../../source/providers/render/provider.js';
import {lineSequence, startSandbox, type SandboxOptions} from '../../source/sandbox/index.js';
import {providerError} from '../helpers/provider-error.js';

async function renderWorld(options: SandboxOptions = {}) {
	const sandbox = await startSandbox({port: 0, database: 'simulated', timeScale: 100, ...options});
	const provider = new RenderProvider({baseUrl: sandbox.url, apiKey: sandbox.renderToken, platformName: 'the sandbox (Render)'});
	return {sandbox, provider};
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value) || Date.now() > deadline) {
			return value;
		}

		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
	}
}

test('the status snapshot: workspace, a healthy service from its deploys and instances, deploys as builds, postgres with exports, one-off jobs', async t => {
	const {sandbox, provider} = await renderWorld();
	t.teardown(async () => sandbox.close());
	const snapshot = await loadSnapshot(provider);
	t.is(snapshot.project?.name, 'Sandbox team');
	const [service] = snapshot.services;
	t.like(service, {name: 'notechondria-backend', kind: 'web_service', health: 'healthy', paused: false, healthPath: '/api/health/'});
	t.is(service!.containers.length, 1);
	const builds = snapshot.builds[service!.id]!;
	t.is(builds.length, 8);
	t.is(builds[0]!.rawStatus, 'live');
	t.is(builds.filter(build => build.status === 'failure').length, 1);
	t.is(service!.deployedBuildId, builds[0]!.id);
	t.like(snapshot.addons[0], {name: 'notechondria-postgres', type: 'postgresql', status: 'running'});
	t.true(snapshot.addons[0]!.backups.length > 0 && snapshot.addons[0]!.backups.every(backup => backup.status === 'completed'));
	t.is(snapshot.jobs.length, 1);
	t.true(snapshot.jobs[0]!.runs.every(run => run.status === 'success'));

	await provider.suspendService(service!.id);
	const suspended = await until(async () => loadSnapshot(provider), next => next.services[0]!.containers.length === 0);
	t.like(suspended.services[0], {paused: true, health: 'paused'});
});

test('deploys: trigger, watch it go live, roll back with the auto-deploy warning', async t => {
	const {sandbox, provider} = await renderWorld();
	t.teardown(async () => sandbox.close());
	const [service] = await provider.listServices();
	const before = await provider.listBuilds(service!.id, 3);
	const triggered = await provider.startBuild(service!.id);
	t.true(['created', 'build_in_progress'].includes(triggered.rawStatus));
	const moving = await provider.getService(service!.id);
	t.true(['in-progress', 'pending'].includes(moving.deployment.status));
	const live = await until(async () => provider.getBuild(service!.id, triggered.id), build => build.rawStatus === 'live');
	t.is(live.status, 'success');
	t.is((await provider.getDeployment(service!.id)).buildId, triggered.id);

	const rollback = await provider.rollback(service!.id, before[0]!.id);
	t.is(rollback.deploy.sha, before[0]!.sha);
	t.true(rollback.autoDeploy);
	t.regex(rollback.warning ?? '', /Auto-deploy is still on/);
	await until(async () => provider.getDeployment(service!.id), deployment => deployment.sha === before[0]!.sha);
	t.is((await provider.getDeployment(service!.id)).sha, before[0]!.sha);

	const run = await provider.startJobRun(service!.id, {command: 'python manage.py migrate --noinput'});
	t.is(run.name, 'python manage.py migrate --noinput');
	t.is((await until(async () => provider.getJobRun(service!.id, run.id), next => next.status !== 'running')).status, 'success');
});

test('what Render does not do in place says so: restores, exec on a host', async t => {
	const {sandbox, provider} = await renderWorld();
	t.teardown(async () => sandbox.close());
	const [addon] = await provider.listAddons();
	const restore = await providerError(provider.restoreBackup(addon!.id));
	t.regex(restore.message, /point-in-time into a NEW database/);
	const recovery = await provider.recoverDatabase(addon!.id, {restoreTime: new Date(Date.now() - 60_000)});
	t.not(recovery.database.id, addon!.id);
	t.regex(recovery.nextSteps, /DATABASE_URL/);
	// Shells go over SSH to a service (test/providers/render-exec.test.ts); there are no hosts.
	const exec = await providerError(provider.openExec({kind: 'host', name: 'web-1'}, {tty: true}));
	t.is(exec.kind, 'bad-request');
	t.regex(exec.message, /Render exec runs in a service over SSH/);
	const wrongKey = new RenderProvider({baseUrl: sandbox.url, apiKey: 'rnd_wrong_key_0000000000'});
	const auth = await providerError(wrongKey.verify());
	t.is(auth.kind, 'auth');
	t.notRegex(`${auth.message} ${auth.hint ?? ''}`, /rnd_wrong_key/);
});

test('logs: a range read, then a live tail through a dropped socket without losing or repeating a line', async t => {
	const {sandbox, provider} = await renderWorld({logRate: 30});
	t.teardown(async () => sandbox.close());
	const [service] = await provider.listServices();
	const target = {kind: 'service' as const, id: service!.id, name: service!.name};
	const page = await provider.fetchLogs(target, {since: new Date(Date.now() - 10_000), limit: 100, direction: 'forward'});
	t.is(page.lines.length, 100);
	t.true(page.hasMore);
	t.true(page.lines.every((line, index) => index === 0 || line.cursor >= page.lines[index - 1]!.cursor));

	const lines: LogLine[] = [];
	const tail = new LogTail((from, handlers) => provider.openLogTail(target, from, handlers), {
		onLines(batch) {
			lines.push(...batch);
		},
		initialBackoffMs: 50,
	});
	tail.start();
	await until(async () => lines.length, count => count > 40);
	t.true(sandbox.dropWebSockets() >= 1);
	await until(async () => lines.length, count => count > 150);
	tail.stop();
	t.is(sandbox.stats().webSockets.dropped, 1);

	const byContainer = new Map<string, number[]>();
	for (const line of lines) {
		byContainer.set(line.container, [...(byContainer.get(line.container) ?? []), lineSequence(line.text)!]);
	}

	for (const [container, sequence] of byContainer) {
		t.true(sequence.every((seq, index) => index === 0 || seq === sequence[index - 1]! + 1), `${container}: consecutive, no gap and no repeat`);
	}
});

test('a 429 is waited out for its Retry-After and the calls succeed', async t => {
	const {sandbox, provider} = await renderWorld({render: {rateLimit: {reads: 4, windowSeconds: 2}}});
	t.teardown(async () => sandbox.close());
	const [service] = await provider.listServices();
	for (let index = 0; index < 8; index++) {
		 
		t.is((await provider.getBuild(service!.id, (await provider.listBuilds(service!.id, 1))[0]!.id)).rawStatus, 'live');
	}

	t.true((sandbox.stats().byStatus['429'] ?? 0) > 0, 'the sandbox refused some calls');
	t.is(provider.stats().budget.limit, 4);
});
