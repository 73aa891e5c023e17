// NorthflankProvider.openExec against the sandbox, over real WebSockets on loopback.
import {existsSync} from 'node:fs';
import {setTimeout as delay} from 'node:timers/promises';
import test, {type ExecutionContext} from 'ava';
import type {ExecSession, ExecTarget} from '../../source/core/exec.js';
import {execContext} from '../../source/providers/northflank/exec.js';
import {eventually, pidsRunning} from '../sandbox/exec-client.js';
import {sandboxWithProvider} from '../helpers/sandbox.js';
import {providerError} from '../helpers/provider-error.js';

const backend: ExecTarget = {kind: 'service', id: 'notechondria-backend', name: 'notechondria-backend'};
const migrate: ExecTarget = {kind: 'job', id: 'notechondria-migrate', name: 'notechondria-migrate'};
const postgres: ExecTarget = {kind: 'addon', id: 'notechondria-postgres', name: 'notechondria-postgres'};

async function setUp(t: ExecutionContext, providerOptions: Parameters<typeof sandboxWithProvider>[1] = {}) {
	const pair = await sandboxWithProvider({}, providerOptions);
	t.teardown(async () => pair.sandbox.close());
	return pair;
}

/** Everything the session prints, per stream, and a way to wait for some of it. */
function collect(session: ExecSession) {
	const decoders = {stdout: new TextDecoder(), stderr: new TextDecoder()};
	const text = {stdout: '', stderr: ''};
	session.onOutput((chunk, stream) => {
		text[stream] += decoders[stream].decode(chunk, {stream: true});
	});
	return {
		text,
		async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const match = pattern.exec(text.stdout);
				if (match) {
					return match;
				}

				if (Date.now() > deadline) {
					throw new Error(`timed out waiting for ${String(pattern)}; output: ${JSON.stringify(text.stdout.slice(-400))}`);
				}

				await delay(10);
			}
		},
	};
}

test('the init context: a shell asks for a tty of the terminal\'s size; a command goes as argv without a shell', t => {
	t.deepEqual(execContext({}, {tty: true, columns: 120, rows: 40}), {tty: true, ttyColumns: 120, ttyRows: 40});
	t.deepEqual(execContext({instance: 'pod-1', container: 'main'}, {command: ['ls', '-la'], tty: false}), {instanceName: 'pod-1', containerName: 'main', command: ['ls', '-la'], shell: 'none'});
});

test('an interactive shell: labelled prompt, TERM, stty size before and after resize, exit 3', async t => {
	const {provider} = await setUp(t);
	const session = await provider.openExec(backend, {tty: true, columns: 100, rows: 30});
	t.regex(session.where.instance ?? '', /^notechondria-backend-/);
	t.is(session.where.container, 'notechondria-backend');
	const output = collect(session);
	await output.waitFor(/\[sandbox notechondria-backend-\S+\] ~ \$ $/);
	t.regex(output.text.stdout, /^wheelhouse sandbox: a local shell standing in for the container/);
	session.write('echo "term=$TERM"; stty size\r');
	await output.waitFor(/term=xterm-256color\r\n30 100\r\n/);
	session.resize(132, 43);
	session.write('stty size\r');
	await output.waitFor(/43 132\r\n/);
	session.write('exit 3\r');
	t.deepEqual(await session.result, {exitCode: 3, status: 'failure'});
});

test('one-shot commands: argv kept whole, stdout and stderr apart, exit codes', async t => {
	const {provider} = await setUp(t);
	const session = await provider.openExec(backend, {command: ['sh', '-c', 'printf "%s|" "$@"; echo problem >&2; exit 4', 'sh', 'two words', '$HOME'], tty: false});
	const output = collect(session);
	t.deepEqual(await session.result, {exitCode: 4, status: 'failure'});
	t.is(output.text.stdout, 'two words|$HOME|');
	t.is(output.text.stderr, 'problem\n');

	const ok = await provider.openExec(backend, {command: ['true'], tty: false});
	t.deepEqual(await ok.result, {exitCode: 0, status: 'success'});
});

test('stdin is piped as UTF-8 text, even split inside a character, and endInput ends it', async t => {
	const {provider} = await setUp(t);
	const session = await provider.openExec(backend, {command: ['wc', '-c'], tty: false});
	const output = collect(session);
	const bytes = new TextEncoder().encode('héllo wörld\n');
	session.write(bytes.slice(0, 2));
	session.write(bytes.slice(2));
	session.write('and more\n');
	session.endInput();
	t.deepEqual(await session.result, {exitCode: 0, status: 'success'});
	t.is(output.text.stdout.trim(), String(bytes.length + 'and more\n'.length));
});

test('an instance by name, an unknown instance, and an addon without one', async t => {
	const {provider} = await setUp(t);
	const [container] = await provider.listContainers(backend.id);
	const named = await provider.openExec({...backend, instance: container!.name}, {command: ['sh', '-c', 'echo $HOSTNAME'], tty: false});
	const output = collect(named);
	t.is(named.where.instance, container!.name);
	await named.result;
	t.is(output.text.stdout, `${container!.name}\n`);

	const unknown = await providerError(provider.openExec({...backend, instance: 'notechondria-backend-gone'}, {tty: true}));
	t.is(unknown.kind, 'not-found');
	t.regex(unknown.message, /refused the exec session for service notechondria-backend: Instance "notechondria-backend-gone" is not a running instance/);
	t.truthy(unknown.hint);

	const addon = await provider.openExec(postgres, {command: ['true'], tty: false});
	t.deepEqual(addon.where, {instance: 'notechondria-postgres-0', container: 'notechondria-postgres'});
	await addon.result;
});

test('a target that is not running is refused with a clear message', async t => {
	const {provider} = await setUp(t);
	const error = await providerError(provider.openExec(migrate, {command: ['true'], tty: false}));
	t.is(error.message, 'the sandbox refused the exec session for job notechondria-migrate: Cannot exec into job "notechondria-migrate": it is not running (no running container)');
	t.is(error.exitCode, 1);
	t.regex(error.hint ?? '', /running container/);
});

test('a bad token is an auth error: exit status 2 and a hint', async t => {
	const {provider} = await setUp(t, {token: 'nf-wrong-token-0000-0000-0000'});
	const error = await providerError(provider.openExec(backend, {tty: true}));
	t.is(error.kind, 'auth');
	t.is(error.exitCode, 2);
	t.regex(error.message, /refused the exec session: Invalid API token/);
	t.is(error.hint, 'Check the API token of this context.');
});

test('an unreachable platform is refused with exit status 2', async t => {
	const {sandbox, provider} = await setUp(t);
	await sandbox.close();
	const error = await providerError(provider.openExec(backend, {tty: true}));
	t.is(error.kind, 'unreachable');
	t.is(error.exitCode, 2);
});

test('close() ends the session and the sandbox kills the shell', async t => {
	const {provider} = await setUp(t);
	const session = await provider.openExec(backend, {tty: true});
	const output = collect(session);
	session.write('echo "shell=$$"; sleep 9876\r');
	const [, shell] = await output.waitFor(/shell=(\d+)/);
	t.true(await eventually(() => pidsRunning(['sleep', '9876']).length === 1));
	session.close();
	t.like(await session.result, {exitCode: 255, status: 'unknown'});
	t.true(await eventually(() => pidsRunning(['sleep', '9876']).length === 0 && !existsSync(`/proc/${shell}`)));
});

test('a connection lost before completion ends the session with 255 and a message', async t => {
	const {sandbox, provider} = await setUp(t);
	const session = await provider.openExec(backend, {command: ['sleep', '9877'], tty: false});
	await sandbox.close();
	const result = await session.result;
	t.like(result, {exitCode: 255, status: 'unknown'});
	t.regex(result.message ?? '', /The connection to the sandbox closed \(\d+\) before the command reported its exit status/);
});

test('each session counts one request, and team-scoped contexts reach exec too', async t => {
	const {sandbox, provider} = await setUp(t, {team: 'sandbox-team'});
	const before = provider.stats().requests;
	const session = await provider.openExec(backend, {command: ['true'], tty: false});
	await session.result;
	t.is(provider.stats().requests, before + 1);
	t.is(sandbox.stats().byRoute['WS /command-exec/projects/:projectId/services/:serviceId'], 1);
});

test('a host target is not for Northflank', async t => {
	const {provider} = await setUp(t);
	const error = await providerError(provider.openExec({kind: 'host', name: 'bastion'}, {tty: true}));
	t.is(error.kind, 'bad-request');
});
