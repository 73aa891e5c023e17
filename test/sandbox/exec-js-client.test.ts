// The official client's exec API driving the sandbox: an independent judge that the exec face speaks
// Northflank's protocol, not just what wheelhouse's provider expects.
import {ApiClient, ApiClientInMemoryContextProvider} from '@northflank/js-client';
import test from 'ava';
import {job, sandboxFor, service} from './helpers.js';

const projectId = 'notechondria';

async function officialClientFor(t: Parameters<typeof sandboxFor>[0], token?: string) {
	const api = await sandboxFor(t);
	const contexts = new ApiClientInMemoryContextProvider();
	await contexts.addContext({name: 'sandbox', token: token ?? api.sandbox.token, host: api.sandbox.url});
	return {api, client: new ApiClient(contexts, {throwErrorOnHttpErrorCode: true})};
}

test('execServiceCommand runs a command and reports stdout, stderr and the exit code', async t => {
	const {client} = await officialClientFor(t);
	const {commandResult, stdOut, stdErr} = await client.exec.execServiceCommand({projectId, serviceId: service}, {command: ['sh', '-c', 'echo "sandbox=$WHEELHOUSE_SANDBOX"; echo oops >&2; exit 2']});
	t.deepEqual(commandResult, {exitCode: 2, status: 'Failure'});
	t.is(stdOut, 'sandbox=1\n');
	t.is(stdErr, 'oops\n');

	const ok = await client.exec.execServiceCommand({projectId, serviceId: service}, {command: 'echo hello', shell: 'bash -c'});
	t.deepEqual(ok, {commandResult: {exitCode: 0, status: 'Success'}, stdOut: 'hello\n', stdErr: ''});
});

test('execServiceSession: an interactive shell in a pty, with the chosen container, resize and exit status', async t => {
	const {client} = await officialClientFor(t);
	let chosen: {instanceName?: string; containerName?: string} = {};
	const session = await client.exec.execServiceSession({projectId, serviceId: service}, {tty: true, ttyColumns: 90, ttyRows: 20}, info => {
		chosen = info;
	});
	const result = session.waitForCommandResult();
	let output = '';
	const seen = async (pattern: RegExp) => new Promise<void>(resolve => {
		const check = () => {
			if (pattern.test(output)) {
				session.stdOut.off('data', onData);
				resolve();
			}
		};

		const onData = (chunk: Buffer) => {
			output += chunk.toString('utf8');
			check();
		};

		session.stdOut.on('data', onData);
		check();
	});
	t.regex(chosen.instanceName ?? '', /^notechondria-backend-/);
	t.is(chosen.containerName, service);
	await seen(/\[sandbox notechondria-backend-\S+\] ~ \$ $/);
	session.stdIn.write('stty size\r');
	await seen(/20 90\r\n/);
	await session.resizeTerminal({rows: 33, columns: 111});
	session.stdIn.write('stty size; exit 5\r');
	await seen(/33 111\r\n/);
	t.deepEqual(await result, {exitCode: 5, status: 'Failure'});
});

test('execServiceSession without a tty: stdin piped, and ending stdin ends the command', async t => {
	const {client} = await officialClientFor(t);
	const session = await client.exec.execServiceSession({projectId, serviceId: service}, {command: ['wc', '-c'], shell: 'none'});
	const result = session.waitForCommandResult();
	let output = '';
	session.stdOut.on('data', (chunk: Buffer) => {
		output += chunk.toString('utf8');
	});
	session.stdIn.write('twelve bytes');
	session.stdIn.end();
	t.deepEqual(await result, {exitCode: 0, status: 'Success'});
	t.is(output.trim(), '12');
});

test('refusals reach the official client: a bad token, a job that is not running', async t => {
	const {client: wrong} = await officialClientFor(t, 'nf-not-the-sandbox-token');
	const badToken = await t.throwsAsync(wrong.exec.execServiceCommand({projectId, serviceId: service}, {command: ['true']}));
	t.regex(badToken.message, /Command initialization failed: Invalid API token/);

	const {client} = await officialClientFor(t);
	const notRunning = await t.throwsAsync(client.exec.execJobCommand({projectId, jobId: job}, {command: ['true']}));
	t.regex(notRunning.message, /Cannot exec into job "notechondria-migrate": it is not running/);
});
