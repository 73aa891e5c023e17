// RenderProvider.openExec against the sandbox: over real SSH (the sandbox's SSH gateway) through our
// SSH layer, with known_hosts in a client home of its own.
import {readFile} from 'node:fs/promises';
import {setTimeout as delay} from 'node:timers/promises';
import test, {type ExecutionContext} from 'ava';
import type {ExecSession, ExecTarget} from '../../source/core/exec.js';
import {SshError, type UnknownHostKey} from '../../source/infra/ssh/index.js';
import {RenderProvider} from '../../source/providers/render/provider.js';
import {startSandbox, type SandboxOptions} from '../../source/sandbox/index.js';
import {makeTempDir, removeTempDir} from '../helpers/sshd.js';
import {makeClientHome, type ClientHome} from '../infra/ssh/world.js';

type ServiceTarget = ExecTarget & {kind: 'service'; id: string};
type Setup = {home: ClientHome; provider: RenderProvider; target: ServiceTarget; asked: UnknownHostKey[]; sandbox: Awaited<ReturnType<typeof startSandbox>>};

async function setUp(t: ExecutionContext, answer: 'accept' | 'reject' | 'nobody' = 'accept', options: SandboxOptions = {}, existingHome?: ClientHome): Promise<Setup> {
	const home = existingHome ?? await makeClientHome();
	if (!existingHome) {
		t.teardown(async () => home.remove());
	}

	const sandbox = await startSandbox({port: 0, database: 'simulated', timeScale: 100, ...options, render: {sshAuthorizedKeys: [home.key.publicKey], ...options.render}});
	t.teardown(async () => sandbox.close());
	const asked: UnknownHostKey[] = [];
	const {destination: _ignored, ...ssh} = home.options('unused');
	const provider = new RenderProvider({
		baseUrl: sandbox.url,
		apiKey: sandbox.renderToken,
		platformName: 'the sandbox (Render)',
		ssh: {
			...ssh,
			confirmUnknownHost: answer === 'nobody' ? undefined : key => {
				asked.push(key);
				return answer;
			},
		},
	});
	const [service] = await provider.listServices();
	return {home, provider, sandbox, asked, target: {kind: 'service', id: service!.id, name: service!.name}};
}

function collect(session: ExecSession) {
	const decoders = {stdout: new TextDecoder(), stderr: new TextDecoder()};
	const text = {stdout: '', stderr: ''};
	session.onOutput((chunk, stream) => {
		text[stream] += decoders[stream].decode(chunk, {stream: true});
	});
	return {
		text,
		async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<void> {
			const deadline = Date.now() + timeoutMs;
			while (!pattern.test(text.stdout)) {
				if (Date.now() > deadline) {
					throw new Error(`timed out waiting for ${String(pattern)}; output: ${JSON.stringify(text.stdout.slice(-400))}`);
				}

				await delay(10);
			}
		},
	};
}

test('a one-shot command: stdout and stderr apart, its exit status, in the service\'s instance', async t => {
	const {provider, target, asked, sandbox, home} = await setUp(t);
	const session = await provider.openExec(target, {command: ['sh', '-c', 'echo "hello from $WHEELHOUSE_SANDBOX_CONTAINER"; echo oops >&2; exit 3'], tty: false});
	const output = collect(session);
	const result = await session.result;
	t.like(result, {exitCode: 3, status: 'failure'});
	t.is(output.text.stdout, `hello from ${target.id}\n`);
	t.is(output.text.stderr, 'oops\n');
	t.is(session.where.host, `${target.id}@127.0.0.1:${sandbox.renderSshPort}`);
	t.is(asked.length, 1, 'the unknown host key was asked about once');
	t.regex(await readFile(home.knownHosts, 'utf8'), new RegExp(String.raw`^\[127\.0\.0\.1\]:${sandbox.renderSshPort} ssh-ed25519 `));

	const again = await provider.openExec(target, {command: ['true'], tty: false});
	t.like(await again.result, {exitCode: 0, status: 'success'});
	t.is(asked.length, 1, 'a recorded host key is not asked about again');
});

test('an interactive shell in a pty: the sandbox banner and prompt, typed input echoed and run, exit status', async t => {
	const {provider, target} = await setUp(t);
	const session = await provider.openExec(target, {tty: true, columns: 100, rows: 30});
	const output = collect(session);
	await output.waitFor(/\[sandbox srv-\S+\] ~ \$ $/);
	t.regex(output.text.stdout, /^wheelhouse sandbox: a local shell standing in for the container/);
	session.write('echo "answer=$((6 * 7)) size=$(stty size)"\r');
	await output.waitFor(/answer=42 size=30 100/);
	t.true(output.text.stdout.includes('echo "answer=$((6 * 7))'), 'the terminal echoes what was typed');
	session.write('exit 4\r');
	t.like(await session.result, {exitCode: 4, status: 'failure'});
});

test('an unknown host key is refused when nobody can accept it, and when the operator declines', async t => {
	const nobody = await setUp(t, 'nobody');
	const error = await t.throwsAsync(nobody.provider.openExec(nobody.target, {command: ['true'], tty: false}), {instanceOf: SshError});
	t.is(error.kind, 'host-key-unknown');
	t.regex(error.message, /ED25519 key fingerprint is SHA256:/);
	t.is(await readFile(nobody.home.knownHosts, 'utf8'), '', 'nothing recorded');

	const declined = await setUp(t, 'reject');
	const refusal = await t.throwsAsync(declined.provider.openExec(declined.target, {command: ['true'], tty: false}), {instanceOf: SshError});
	t.is(declined.asked.length, 1);
	t.regex(refusal.message, /host key/i);
	t.is(await readFile(declined.home.knownHosts, 'utf8'), '', 'nothing recorded');
});

test('a key not registered with the sandbox is refused until it is added through the control endpoint', async t => {
	const stranger = await makeClientHome();
	t.teardown(async () => stranger.remove());
	const {provider, target, sandbox, home} = await setUp(t, 'accept', {render: {sshAuthorizedKeys: [stranger.key.publicKey]}});
	const error = await t.throwsAsync(provider.openExec(target, {command: ['true'], tty: false}), {instanceOf: SshError});
	t.is(error.kind, 'auth');

	const register = async (body: unknown) => fetch(`${sandbox.url}/_sandbox/render/ssh-keys`, {method: 'POST', headers: {authorization: `Bearer ${sandbox.token}`}, body: JSON.stringify(body)});
	const bad = await register({publicKey: 'not a key'});
	t.is(bad.status, 400);
	t.regex(JSON.stringify(await bad.json()), /not an OpenSSH public key/);
	const added = await register({publicKey: home.key.publicKey});
	t.is(added.status, 200);
	t.true(((await added.json()) as {data: {publicKeys: string[]}}).data.publicKeys.includes(home.key.publicKey.trim()));
	const session = await provider.openExec(target, {command: ['true'], tty: false});
	t.like(await session.result, {exitCode: 0});
});

test('the host key is kept with --state: a restarted sandbox presents the same key', async t => {
	const stateDir = await makeTempDir('render-ssh-state');
	t.teardown(async () => removeTempDir(stateDir));
	const home = await makeClientHome();
	t.teardown(async () => home.remove());
	const first = await setUp(t, 'reject', {stateDir}, home);
	await t.throwsAsync(first.provider.openExec(first.target, {command: ['true'], tty: false}));
	await first.sandbox.close();
	const second = await setUp(t, 'reject', {stateDir}, home);
	await t.throwsAsync(second.provider.openExec(second.target, {command: ['true'], tty: false}));
	t.is(first.asked[0]!.fingerprint, second.asked[0]!.fingerprint);
});
