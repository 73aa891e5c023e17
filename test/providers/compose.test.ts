import test from 'ava';
import {ProviderError} from '../../source/core/errors.js';
import type {ExecSession} from '../../source/core/exec.js';
import {LogTail} from '../../source/core/log-tail.js';
import type {LogLine, TailState} from '../../source/core/logs.js';
import type {Service} from '../../source/core/types.js';
import {ComposeProvider} from '../../source/providers/compose/index.js';
import {startComposeHost, type ComposeHostWorld} from '../helpers/compose-host.js';

let world: ComposeHostWorld;
const providers: ComposeProvider[] = [];

function provider(route: 'direct' | 'bastion', overrides: Parameters<ComposeHostWorld['options']>[1] = {}): ComposeProvider {
	const created = new ComposeProvider(world.options(route, overrides));
	providers.push(created);
	return created;
}

const backend = {kind: 'service', id: 'backend', name: 'backend'} as const;

test.before(async () => {
	world = await startComposeHost();
});

test.after.always(async () => {
	await Promise.all(providers.map(async created => created.close()));
	await world?.stop();
});

async function collect(session: ExecSession): Promise<{stdout: string; stderr: string; exitCode: number}> {
	let stdout = '';
	let stderr = '';
	session.onOutput((chunk, stream) => {
		if (stream === 'stdout') {
			stdout += Buffer.from(chunk).toString('utf8');
		} else {
			stderr += Buffer.from(chunk).toString('utf8');
		}
	});
	const {exitCode} = await session.result;
	return {stdout, stderr, exitCode};
}

async function until<T>(check: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value !== undefined) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
	}
}

for (const route of ['direct', 'bastion'] as const) {
	test.serial(`status ${route === 'direct' ? 'of a host reached directly' : 'through a bastion'}: services, containers, health and the database from docker compose ps`, async t => {
		const compose = provider(route);
		const project = await compose.verify();
		t.like(project, {id: 'azionelab', name: 'azionelab'});

		const services = await compose.listServices();
		t.deepEqual(services.map(service => service.name).sort(), ['backend', 'nginx']);
		const app = services.find(service => service.name === 'backend')!;
		t.like(app, {kind: 'app', deployedBuildId: 'v1', instances: 1, deployment: {status: 'completed'}});
		t.deepEqual(app.ports, [{name: '8000/tcp', port: world.backendPort, protocol: 'TCP', public: true}]);

		const containers = await compose.listContainers('backend');
		t.is(containers.length, 1);
		t.like(containers[0], {name: 'azionelab-backend-1', status: 'running'});
		t.regex(containers[0]!.rawStatus, /^Up .+ \(healthy\)$/);

		const [database] = await compose.listAddons();
		t.like(database, {id: 'db', name: 'db', type: 'postgresql', version: '15', status: 'running'});
		if (route === 'bastion') {
			t.true(world.bastion.log().includes(`target 127.0.0.1 port ${world.target.port}`), 'the bastion carried the connection');
		}
	});
}

test.serial('a context naming a service the project lacks is refused by verify, naming the services there', async t => {
	const error = await t.throwsAsync(provider('direct', {appService: 'web'}).verify(), {instanceOf: ProviderError});
	t.is(error.kind, 'not-found');
	t.is(error.message, `The Compose project azionelab on compose-direct has no service "web".`);
	t.is(error.hint, 'Services there: nginx, backend, db. Fix "appService" in the context.');
});

test.serial('logs of a time range come back in order with container, nanosecond cursor and text', async t => {
	const compose = provider('direct');
	const since = new Date(Date.now() - 1000);
	await world.emit('range-line', 5);
	const page = await compose.fetchLogs(backend, {since});
	const emitted = page.lines.filter(line => line.text.startsWith('range-line '));
	t.deepEqual(emitted.map(line => line.text), ['range-line 1', 'range-line 2', 'range-line 3', 'range-line 4', 'range-line 5']);
	t.is(emitted[0]!.container, 'azionelab-backend-1');
	t.is(emitted[0]!.source, 'backend');
	t.regex(emitted[0]!.cursor, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
	t.true(emitted[0]!.timestamp >= since.getTime() - 1000 && emitted[0]!.timestamp <= Date.now());

	const newest = await compose.fetchLogs(backend, {limit: 2});
	t.is(newest.lines.length, 2);
	t.true(newest.hasMore);
	const filtered = await compose.fetchLogs(backend, {since, filter: {pattern: 'range-line [24]', regex: true, exclude: false}});
	t.deepEqual(filtered.lines.map(line => line.text), ['range-line 2', 'range-line 4']);
});

test.serial('a followed log keeps every line exactly once across a dropped SSH connection', async t => {
	const compose = provider('bastion');
	const received: LogLine[] = [];
	const states: TailState[] = [];
	const tail = new LogTail((from, handlers) => compose.openLogTail(backend, from, handlers), {
		since: new Date(),
		onLines(lines) {
			received.push(...lines);
		},
		onState(state) {
			states.push(state);
		},
		initialBackoffMs: 50,
	});
	tail.start();
	try {
		await until(() => tail.getState().status === 'live' || undefined, 'the tail to go live');
		await world.emit('follow-a', 20);
		await until(() => received.filter(line => line.text.startsWith('follow-a ')).length === 20 || undefined, 'the first lines');

		(await compose.host.connection()).close();
		await until(() => states.some(state => state.status === 'reconnecting') || undefined, 'the tail to notice the drop');
		await world.emit('follow-b', 20);
		await until(() => tail.getState().status === 'live' && received.filter(line => line.text.startsWith('follow-b ')).length === 20 || undefined, 'the lines after the reconnect');
		await new Promise(resolve => {
			setTimeout(resolve, 300);
		});

		const texts = received.map(line => line.text).filter(text => text.startsWith('follow-'));
		const expected = [...Array.from({length: 20}, (_, index) => `follow-a ${index + 1}`), ...Array.from({length: 20}, (_, index) => `follow-b ${index + 1}`)];
		t.deepEqual(texts, expected, 'nothing lost, nothing twice');
		t.true(tail.getState().reconnects >= 1);
		t.true(tail.getState().duplicatesDropped > 0, 'Compose sent the lines at the cursor again and they were dropped');
	} finally {
		tail.stop();
	}
});

test.serial('exec runs a command in the container with its environment, streams apart, and its exit status', async t => {
	const compose = provider('direct');
	const session = await compose.openExec(backend, {command: ['sh', '-c', 'echo "version $APP_VERSION on $PORT"; echo oops >&2; exit 7'], tty: false});
	t.deepEqual(session.where, {host: 'compose-direct', container: 'azionelab-backend-1'});
	const result = await collect(session);
	t.is(result.stdout, `version v1 on ${world.backendPort}\n`);
	t.is(result.stderr, 'oops\n');
	t.is(result.exitCode, 7);
});

test.serial('exec through the bastion in a pty: the command sees a terminal, input reaches it, the status comes back', async t => {
	const compose = provider('bastion');
	const session = await compose.openExec(backend, {command: ['sh', '-c', 'test -t 0 && read answer && echo "got $answer" && exit 3'], tty: true, columns: 100, rows: 30});
	session.write('yes\n');
	const result = await collect(session);
	t.regex(result.stdout, /got yes/);
	t.is(result.exitCode, 3);
});

test.serial('exec in a service with nothing running is refused before anything starts', async t => {
	const compose = provider('direct');
	const running = await compose.openExec({kind: 'service', id: 'nginx', name: 'nginx'}, {command: ['true'], tty: false});
	t.is((await running.result).exitCode, 0, 'nginx runs');
	await world.compose(['stop', 'nginx']);
	try {
		const refused = await t.throwsAsync(compose.openExec({kind: 'service', id: 'nginx', name: 'nginx'}, {command: ['true'], tty: false}), {instanceOf: ProviderError});
		t.is(refused.message, 'Nothing of nginx is running on compose-direct.');
		const containers = await compose.listContainers('nginx');
		t.like(containers[0], {status: 'failed'});
		t.regex(containers[0]!.rawStatus, /^Exited \(143\)/);
	} finally {
		await world.compose(['up', '-d', 'nginx']);
	}
});

test.serial('the stand-in fails where Compose fails, with Compose\'s messages and exit codes', async t => {
	const compose = provider('direct');
	const unknownService = await compose.host.run(['exec', '-T', 'nope', 'true']);
	t.deepEqual([unknownService.code, unknownService.stderr], [1, 'no such service: nope\n']);
	const badFlag = await compose.host.run(['ps', '--bogus']);
	t.deepEqual([badFlag.code, badFlag.stderr], [16, 'unknown flag: --bogus\nSee \'docker compose ps --help\'.\n']);
	const missingCommand = await compose.host.run(['exec', '-T', 'backend', 'no-such-program']);
	t.is(missingCommand.code, 126);
	t.regex(missingCommand.stderr, /executable file not found in \$PATH/);
	const unknownTag = await compose.host.run(['pull', 'backend'], {env: {APP_TAG: 'v9'}});
	t.is(unknownTag.code, 18);
	t.regex(unknownTag.stderr, /Error response from daemon: manifest for app:v9 not found: manifest unknown/);

	const elsewhere = provider('direct', {projectDirectory: '/tmp'});
	const error = await t.throwsAsync(elsewhere.verify(), {instanceOf: ProviderError});
	t.is(error.kind, 'not-found');
	t.regex(error.message, /failed \(exit 14\): no configuration file provided: not found$/);
	t.regex(error.hint ?? '', /projectDirectory/);
});

test.serial('deploying a tag pulls it and waits for health; an unknown or unhealthy tag fails in Compose\'s words', async t => {
	const compose = provider('bastion');
	const unknown = await deployed(compose, 'v9');
	t.like(unknown, {deployedBuildId: 'v1', deployment: {status: 'failed'}});
	t.regex(unknown.deployment.rawStatus, /manifest for app:v9 not found/);

	t.like(await deployed(compose, 'v2'), {deployedBuildId: 'v2', deployment: {status: 'completed'}});
	t.deepEqual((await compose.listBuilds('backend')).map(build => [build.id, build.status]), [['v2', 'success']]);
	const probe = await compose.probeHealth('backend', '/api/health/');
	t.like(probe, {status: 200, ok: true});
	t.regex(probe.detail, /"version": "v2"/);

	const broken = await deployed(compose, 'broken');
	t.is(broken.deployment.status, 'failed');
	t.regex(broken.deployment.rawStatus, /container azionelab-backend-1 is unhealthy$/);

	t.like(await deployed(compose, 'v1'), {deployedBuildId: 'v1', deployment: {status: 'completed'}});
	const run = await compose.runOneOff('backend', ['sh', '-c', 'echo one-off $APP_VERSION; exit 4'], {tag: 'v2'});
	t.deepEqual([run.code, run.stdout], [4, 'one-off v2\n']);
});

test.serial('Compose hosts have no builds to start; their one job is the app service\'s one-off runs', async t => {
	const compose = provider('direct');
	t.deepEqual(await compose.listJobs(), [{id: 'run:backend', name: 'run:backend', kind: 'manual', suspended: false}]);
	const build = await t.throwsAsync(compose.startBuild(), {instanceOf: ProviderError});
	t.regex(build.message, /does not build them/);
	await t.throwsAsync(compose.startJobRun('migrate'), {instanceOf: ProviderError, message: /one job/});
});

/** deployBuild starts `up --wait` detached; the service says how it ended. */
async function deployed(compose: ComposeProvider, tag: string): Promise<Service> {
	await compose.deployBuild('backend', {buildId: tag});
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		const service = await compose.getService('backend');
		if (service.deployment.status !== 'in-progress') {
			return service;
		}

		await new Promise(resolve => setTimeout(resolve, 250));
	}

	throw new Error(`the deploy of ${tag} did not end within 60 s`);
}
