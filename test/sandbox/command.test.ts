import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import test from 'ava';
import {runSandboxCommand} from '../../source/commands/sandbox.js';
import {UsageError} from '../../source/core/errors.js';
import {defaultSandboxToken} from '../../source/sandbox/index.js';

function capture() {
	const stream = new PassThrough();
	let text = '';
	stream.on('data', (chunk: Buffer) => {
		text += chunk.toString();
	});
	return {stream, text: () => text};
}

async function waitFor(check: () => boolean): Promise<void> {
	for (let attempt = 0; attempt < 200 && !check(); attempt++) {
		await new Promise(resolve => {
			setTimeout(resolve, 10);
		});
	}
}

test('prints the URL, the token and how to point the console at it, serves, and stops cleanly', async t => {
	const stateDir = await mkdtemp(path.join(tmpdir(), 'wheelhouse-sandbox-command-'));
	t.teardown(async () => rm(stateDir, {recursive: true, force: true}));
	const stdout = capture();
	const stderr = capture();
	const stop = new AbortController();
	const running = runSandboxCommand({port: 0, stateDir, chaos: 'latency=1ms'}, {stdout: stdout.stream, stderr: stderr.stream, signal: stop.signal});
	await waitFor(() => stdout.text().includes('Ctrl+C'));
	const url = /listening on (http:\/\/127\.0\.0\.1:\d+) \(token (\S+)\)/.exec(stdout.text());
	t.truthy(url, stdout.text());
	t.is(url?.[2], defaultSandboxToken);
	t.true(stdout.text().includes(`wheelhouse --sandbox-url ${url?.[1]}`));
	const reply = await fetch(`${url?.[1]}/v1/projects`, {headers: {authorization: `Bearer ${defaultSandboxToken}`}});
	t.is(reply.status, 200);

	stop.abort();
	t.is(await running, 0);
	t.regex(stdout.text(), /stopped.+state saved/);
	t.deepEqual((await readdir(stateDir)).toSorted(), ['postgres', 'sandbox-state.json'], 'the state and the addon\'s database');
	t.is(stderr.text(), '');
});

test('a port in use is a UsageError with a hint', async t => {
	const blocker = createServer();
	await new Promise<void>(resolve => {
		blocker.listen(0, '127.0.0.1', resolve);
	});
	t.teardown(() => blocker.close());
	const {port} = blocker.address() as {port: number};
	const error = await t.throwsAsync(runSandboxCommand({port}, {stdout: new PassThrough(), stderr: new PassThrough()}), {instanceOf: UsageError});
	t.regex(error.message, new RegExp(`Port ${port} .+already in use`));
	t.regex(error.hint ?? '', /--port/);
	t.is(error.exitCode, 2);
});

test('a bad chaos spec or port is a UsageError before anything listens', async t => {
	const io = {stdout: new PassThrough(), stderr: new PassThrough()};
	const chaos = await t.throwsAsync(runSandboxCommand({port: 0, chaos: '5xx=lots'}, io), {instanceOf: UsageError});
	t.regex(chaos.message, /"5xx=lots"/);
	t.regex(chaos.hint ?? '', /latency=200ms/);
	await t.throwsAsync(runSandboxCommand({port: 70_000}, io), {instanceOf: UsageError, message: /--port/});
});
