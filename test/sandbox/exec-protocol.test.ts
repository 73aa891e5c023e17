// The sandbox's exec WebSocket, frame by frame (reference §5), with a bare `ws` client.
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'ava';
import WebSocket from 'ws';
import {startSandbox} from '../../source/sandbox/index.js';
import {eventually, execPath, gone, openRawExec, pidsRunning} from './exec-client.js';
import {job, sandboxFor, service, servicePath} from './helpers.js';

const serviceExec = execPath('services', service);

test('a one-shot command: binary init frame, chosen container named, stdout and stderr apart, exit code', async t => {
	const {sandbox, get} = await sandboxFor(t);
	const exec = await openRawExec(sandbox.url, serviceExec);
	exec.init({command: ['sh', '-c', 'echo to-stdout; echo to-stderr >&2; exit 7'], shell: 'none'}, sandbox.token);
	const init = await exec.next('init');
	const containers = await get(`${servicePath}/containers`);
	const running = containers.body.data.containers.filter((container: {status: string}) => container.status === 'TASK_RUNNING').map((container: {name: string}) => container.name);
	t.is(init.data.auth, 'successful');
	t.true(running.includes(init.data.context.instanceName));
	t.is(init.data.context.containerName, service);
	const completion = await exec.next('completion');
	t.deepEqual(completion.data, {exitCode: 7, status: 'Failure'});
	t.is(exec.stdout(), 'to-stdout\n');
	t.is(exec.stderr(), 'to-stderr\n');
	t.is((await exec.closed).code, 1000);
	t.deepEqual(exec.frames.map(frame => frame.type).at(-1), 'completion');
});

test('text frames work too; a command string runs without a shell; exit 0 is Success', async t => {
	const {sandbox} = await sandboxFor(t);
	const exec = await openRawExec(sandbox.url, serviceExec);
	exec.init({command: 'printf %s|%s a b'}, sandbox.token, {binary: false});
	t.deepEqual((await exec.next('completion')).data, {exitCode: 0, status: 'Success'});
	t.is(exec.stdout(), 'a|b');
});

test('shell "bash -c" runs the command in that shell, in a scratch directory labelled as sandbox', async t => {
	const {sandbox} = await sandboxFor(t);
	const exec = await openRawExec(sandbox.url, serviceExec);
	exec.init({command: 'echo "$WHEELHOUSE_SANDBOX $HOSTNAME" && pwd && echo $((6 * 7))', shell: 'bash -c'}, sandbox.token);
	const {data: init} = await exec.next('init');
	t.is((await exec.next('completion')).data.exitCode, 0);
	const [marks, directory, sum] = exec.stdout().trim().split('\n');
	t.is(marks, `1 ${init.context.instanceName}`);
	t.true(directory!.startsWith(path.join(tmpdir(), 'wheelhouse-sandbox-exec-')));
	t.is(sum, '42');
	t.true(await eventually(() => gone(directory!)), 'the scratch directory is removed');
});

test('stdin is piped through and stdInEnd ends it: wc -c counts what was sent', async t => {
	const {sandbox} = await sandboxFor(t);
	const exec = await openRawExec(sandbox.url, serviceExec);
	exec.init({command: ['wc', '-c']}, sandbox.token);
	// Sent before the session is up: queued, not lost.
	exec.send({type: 'payload', data: 'hello '});
	await exec.next('init');
	exec.send({type: 'payload', data: 'wörld\n'});
	exec.send({type: 'stdInEnd'});
	t.is((await exec.next('completion')).data.exitCode, 0);
	t.is(exec.stdout().trim(), String(Buffer.byteLength('hello wörld\n')));
});

test('multi-byte output split across reads arrives whole', async t => {
	const {sandbox} = await sandboxFor(t);
	const exec = await openRawExec(sandbox.url, serviceExec);
	exec.init({command: ['sh', '-c', 'i=0; while [ $i -lt 20000 ]; do printf "é€"; i=$((i+1)); done']}, sandbox.token);
	t.is((await exec.next('completion')).data.exitCode, 0);
	t.is(exec.stdout(), 'é€'.repeat(20_000));
});

test('with encoding base64 the output frames carry bytes that are not UTF-8', async t => {
	const {sandbox} = await sandboxFor(t);
	const exec = await openRawExec(sandbox.url, serviceExec);
	exec.init({command: ['printf', String.raw`\377\376abc`], encoding: 'base64'}, sandbox.token);
	await exec.next('completion');
	t.deepEqual([...Buffer.from(exec.stdout(), 'base64')], [0xFF, 0xFE, 0x61, 0x62, 0x63]);
});

test('an interactive sh gets the sandbox prompt in POSIX form', async t => {
	const {sandbox} = await sandboxFor(t);
	const exec = await openRawExec(sandbox.url, serviceExec);
	exec.init({tty: true, shell: 'sh'}, sandbox.token);
	const {data: init} = await exec.next('init');
	await exec.waitForOutput(/wheelhouse-sandbox-exec-\S+ \$ $/);
	exec.send({type: 'payload', data: 'cd /\r'});
	await exec.waitForOutput(`[sandbox ${init.context.instanceName}] / $ `);
	exec.send({type: 'payload', data: 'exit\r'});
	t.is((await exec.next('completion')).data.exitCode, 0);
});

test('a command that does not exist: exit 127 and a message on stderr', async t => {
	const {sandbox} = await sandboxFor(t);
	const exec = await openRawExec(sandbox.url, serviceExec);
	exec.init({command: ['no-such-command-here']}, sandbox.token);
	t.like((await exec.next('completion')).data, {exitCode: 127, status: 'Failure'});
	t.regex(exec.stderr(), /no-such-command-here: executable file not found/);
});

test('an interactive shell in a real pty: banner, labelled prompt, TERM, resize, exit status', async t => {
	const {sandbox} = await sandboxFor(t);
	const exec = await openRawExec(sandbox.url, serviceExec);
	exec.init({tty: true, ttyColumns: 100, ttyRows: 30}, sandbox.token);
	const {data: init} = await exec.next('init');
	await exec.waitForOutput(`[sandbox ${init.context.instanceName}] ~ $ `);
	t.true(exec.stdout().startsWith('wheelhouse sandbox: a local shell standing in for the container'));
	exec.send({type: 'payload', data: 'echo "term=$TERM"; stty size\r'});
	await exec.waitForOutput(/term=xterm-256color\r\n30 100\r\n/);
	exec.send({type: 'resize', data: {ttyRows: 50, ttyColumns: 132}});
	exec.send({type: 'payload', data: 'stty size\r'});
	await exec.waitForOutput(/50 132\r\n/);
	exec.send({type: 'payload', data: 'exit 3\r'});
	t.deepEqual((await exec.next('completion')).data, {exitCode: 3, status: 'Failure'});
	t.is(exec.stderr(), '', 'a terminal has only stdout');
});

test('choosing an instance by name; an unknown one is refused before anything runs', async t => {
	const {sandbox, instances} = await sandboxWithTwoInstances(t);
	for (const instanceName of instances) {
		const exec = await openRawExec(sandbox.url, serviceExec);
		exec.init({instanceName, command: ['sh', '-c', 'echo $HOSTNAME']}, sandbox.token);
		t.is((await exec.next('init')).data.context.instanceName, instanceName);
		await exec.next('completion');
		t.is(exec.stdout().trim(), instanceName);
	}

	const marker = path.join(await mkdtemp(path.join(tmpdir(), 'exec-marker-')), 'ran');
	t.teardown(async () => rm(path.dirname(marker), {recursive: true, force: true}));
	const unknown = await openRawExec(sandbox.url, serviceExec);
	unknown.init({instanceName: 'notechondria-backend-nope', command: ['touch', marker]}, sandbox.token);
	const error = await unknown.next('error');
	t.regex(error.data.message, /Instance "notechondria-backend-nope" is not a running instance of service "notechondria-backend"; running: /);
	t.is((await unknown.closed).code, 1008);
	t.false(unknown.frames.some(frame => frame.type === 'init'));
	t.false(existsSync(marker));

	const wrongContainer = await openRawExec(sandbox.url, serviceExec);
	wrongContainer.init({instanceName: instances[0], containerName: 'sidecar', command: ['true']}, sandbox.token);
	t.regex((await wrongContainer.next('error')).data.message, /Container "sidecar" not found/);
});

test('without an instance name a random running one is chosen', async t => {
	const {sandbox, instances} = await sandboxWithTwoInstances(t);
	const chosen = new Set<string>();
	for (let attempt = 0; attempt < 30 && chosen.size < 2; attempt++) {
		const exec = await openRawExec(sandbox.url, serviceExec);
		exec.init({command: ['true']}, sandbox.token);
		chosen.add((await exec.next('init')).data.context.instanceName as string);
		await exec.closed;
	}

	t.deepEqual([...chosen].sort(), [...instances].sort());
});

test('a job with no running run is refused as not running, before anything runs', async t => {
	const {sandbox} = await sandboxFor(t);
	const marker = path.join(await mkdtemp(path.join(tmpdir(), 'exec-marker-')), 'ran');
	t.teardown(async () => rm(path.dirname(marker), {recursive: true, force: true}));
	const exec = await openRawExec(sandbox.url, execPath('jobs', job));
	exec.init({command: ['touch', marker]}, sandbox.token);
	const error = await exec.next('error');
	t.is(error.data.message, `Cannot exec into job "${job}": it is not running (no running container)`);
	t.is((await exec.closed).code, 1008);
	t.false(existsSync(marker));
});

test('a running job run and the addon can be entered; team-scoped paths work', async t => {
	const {sandbox, post} = await sandboxFor(t);
	const run = await post(`/v1/projects/notechondria/jobs/${job}/runs`, {});
	const jobExec = await openRawExec(sandbox.url, execPath('jobs', job, 'sandbox-team'));
	jobExec.init({command: ['true']}, sandbox.token);
	t.like((await jobExec.next('init')).data.context, {instanceName: run.body.data.runName, containerName: job});

	const addonExec = await openRawExec(sandbox.url, execPath('addons', 'notechondria-postgres'));
	addonExec.init({command: ['true']}, sandbox.token);
	t.like((await addonExec.next('init')).data.context, {instanceName: 'notechondria-postgres-0', containerName: 'notechondria-postgres'});
});

test('a bad token is refused at init and the socket closed; nothing runs', async t => {
	const {sandbox} = await sandboxFor(t);
	const exec = await openRawExec(sandbox.url, serviceExec);
	exec.init({command: ['true']}, 'nf-wrong-token');
	const init = await exec.next('init');
	t.is(init.data.auth, 'failed');
	t.regex(init.data.message, /Invalid API token/);
	t.is((await exec.closed).code, 1008);
	t.is(exec.frames.length, 1);
	t.is(sandbox.stats().byStatus['401'], 1);
});

test('the first message must be init; bad frames and unknown paths are refused', async t => {
	const {sandbox} = await sandboxFor(t);
	const early = await openRawExec(sandbox.url, serviceExec);
	early.send({type: 'payload', data: 'ls\n'});
	t.regex((await early.next('error')).data.message, /The first message must be the init message/);

	const garbage = await openRawExec(sandbox.url, serviceExec);
	garbage.sendText('{not json');
	t.regex((await garbage.next('error')).data.message, /one JSON object per WebSocket message/);

	const badSize = await openRawExec(sandbox.url, serviceExec);
	badSize.init({tty: true, ttyColumns: -3}, sandbox.token);
	t.regex((await badSize.next('error')).data.message, /ttyColumns/);

	const error = await new Promise<Error>(resolve => {
		const socket = new WebSocket(`${sandbox.url.replace('http', 'ws')}/v1/command-exec/projects/notechondria/builds/b1`);
		socket.on('error', resolve);
	});
	t.regex(error.message, /404/);
});

test('each session spends one request of the rate budget', async t => {
	const {sandbox} = await sandboxFor(t, {rateLimitPerHour: 2});
	for (let index = 0; index < 2; index++) {
		const exec = await openRawExec(sandbox.url, serviceExec);
		exec.init({command: ['true']}, sandbox.token);
		await exec.next('completion');
	}

	t.is(sandbox.stats().byRoute['WS /command-exec/projects/:projectId/services/:serviceId'], 2);
	const over = await openRawExec(sandbox.url, serviceExec);
	over.init({command: ['true']}, sandbox.token);
	t.regex((await over.next('error')).data.message, /Rate limit of 2 requests per window exceeded/);
	t.is(sandbox.stats().byStatus['429'], 1);
});

test('closing the socket kills the shell and what it runs, and removes the scratch directory', async t => {
	const {sandbox} = await sandboxFor(t);
	const exec = await openRawExec(sandbox.url, serviceExec);
	exec.init({tty: true}, sandbox.token);
	await exec.waitForOutput('~ $ ');
	exec.send({type: 'payload', data: 'echo "dir=$PWD shell=$$"; sleep 9871 & sleep 9872\r'});
	const output = await exec.waitForOutput(/dir=(\S+) shell=(\d+)/);
	const [, directory, shell] = /dir=(\S+) shell=(\d+)/.exec(output)!;
	t.true(await eventually(() => pidsRunning(['sleep', '9871']).length === 1 && pidsRunning(['sleep', '9872']).length === 1));
	exec.close();
	t.true(await eventually(() => pidsRunning(['sleep', '9871']).length === 0 && pidsRunning(['sleep', '9872']).length === 0), 'no orphan left');
	t.true(await eventually(() => !existsSync(`/proc/${shell}`)), 'the shell is gone');
	t.true(await eventually(() => gone(directory!)), 'the scratch directory is removed');
});

test('closing the socket kills a plain command and its children too', async t => {
	const {sandbox} = await sandboxFor(t);
	const exec = await openRawExec(sandbox.url, serviceExec);
	exec.init({command: ['sh', '-c', 'sleep 9873 & echo started; sleep 9874']}, sandbox.token);
	await exec.waitForOutput('started');
	t.true(await eventually(() => pidsRunning(['sleep', '9873']).length === 1 && pidsRunning(['sleep', '9874']).length === 1));
	exec.close();
	t.true(await eventually(() => pidsRunning(['sleep', '9873']).length === 0 && pidsRunning(['sleep', '9874']).length === 0), 'no orphan left');
});

test('closing the sandbox ends every session', async t => {
	const sandbox = await startSandbox({port: 0});
	const exec = await openRawExec(sandbox.url, serviceExec);
	exec.init({command: ['sleep', '9875']}, sandbox.token);
	await exec.next('init');
	t.true(await eventually(() => pidsRunning(['sleep', '9875']).length === 1));
	await sandbox.close();
	t.is(pidsRunning(['sleep', '9875']).length, 0);
	t.not((await exec.closed).code, 1000);
});

/** The seeded backend with a second running pod, written into a saved state. */
async function sandboxWithTwoInstances(t: Parameters<typeof sandboxFor>[0]) {
	const stateDir = await mkdtemp(path.join(tmpdir(), 'exec-state-'));
	t.teardown(async () => rm(stateDir, {recursive: true, force: true}));
	const first = await startSandbox({port: 0, stateDir});
	await first.close();
	const file = path.join(stateDir, 'sandbox-state.json');
	const state = JSON.parse(await readFile(file, 'utf8')) as {projects: Array<{services: Array<{containers: Array<{name: string; goneAt?: number}>}>}>};
	const containers = state.projects[0]!.services[0]!.containers;
	const live = containers.find(container => container.goneAt === undefined)!;
	containers.push({...live, name: `${live.name.slice(0, -5)}twins`});
	await writeFile(file, JSON.stringify(state));
	const {sandbox} = await sandboxFor(t, {stateDir});
	return {sandbox, instances: [live.name, `${live.name.slice(0, -5)}twins`]};
}
