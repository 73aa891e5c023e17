import {spawn} from 'node:child_process';
import {mkdir, symlink} from 'node:fs/promises';
import {join} from 'node:path';
import test from 'ava';
import {connectSsh, interactiveShellCommand, sshExec, type SshConnection} from '../../../source/infra/ssh/index.js';
import type {SshdServer} from '../../helpers/sshd.js';
import {recordOutput} from './output.js';
import {makeClientHome, startServerFor, type ClientHome} from './world.js';

let client: ClientHome;
let server: SshdServer;
let connection: SshConnection;

test.before(async () => {
	client = await makeClientHome();
	server = await startServerFor(client);
	connection = await connectSsh(client.options(`${server.user}@127.0.0.1:${server.port}`));
});

test.after.always(async () => {
	connection?.close();
	await server?.stop();
	await client?.remove();
});

test('a one-shot command: its exit status, stdout and stderr apart', async t => {
	const session = await sshExec(connection, {command: ['sh', '-c', 'echo to-stdout; echo to-stderr >&2; exit 3'], tty: false});
	const output = recordOutput(session);
	const result = await session.result;
	t.deepEqual(result, {exitCode: 3, status: 'failure'});
	t.is(output.stdout(), 'to-stdout\n');
	t.is(output.stderr(), 'to-stderr\n');
	t.deepEqual(session.where, {host: '127.0.0.1'});
});

test('exit status 0 is success', async t => {
	const session = await sshExec(connection, {command: ['true'], tty: false});
	t.deepEqual(await session.result, {exitCode: 0, status: 'success'});
});

test('a command killed by a signal ends non-zero (128 + signal) with a message', async t => {
	const session = await sshExec(connection, {command: ['sh', '-c', 'kill -TERM $$'], tty: false});
	const result = await session.result;
	t.is(result.exitCode, 143);
	t.is(result.status, 'failure');
	t.regex(result.message ?? '', /signal SIGTERM/);
});

test('piped stdin reaches the command and ends with endInput', async t => {
	const session = await sshExec(connection, {command: ['wc', '-c'], tty: false});
	const output = recordOutput(session);
	const block = 'x'.repeat(64 * 1024);
	for (let index = 0; index < 4; index++) {
		session.write(block);
	}

	session.write(new TextEncoder().encode('tail\n'));
	session.endInput();
	t.deepEqual(await session.result, {exitCode: 0, status: 'success'});
	t.is(output.stdout().trim(), String((4 * 64 * 1024) + 5));
});

test('arguments reach the remote command exactly, whatever they contain', async t => {
	const argv = ['printf', '[%s]', 'two words', 'it\'s', '$HOME', '*', '', 'a;b|c&&d', '`id`', 'new\nline'];
	const session = await sshExec(connection, {command: argv, tty: false});
	const output = recordOutput(session);
	await session.result;
	t.is(output.stdout(), '[two words][it\'s][$HOME][*][][a;b|c&&d][`id`][new\nline]');
});

test('output written before anyone listens is kept for the first listener', async t => {
	const session = await sshExec(connection, {command: ['echo', 'early'], tty: false});
	await session.result;
	const output = recordOutput(session);
	t.is(output.stdout(), 'early\n');
});

test('an interactive shell in a pty: TERM, the size, a resize, and the exit status', async t => {
	const session = await sshExec(connection, {tty: true, columns: 100, rows: 30}, {term: 'xterm-256color'});
	const output = recordOutput(session);
	session.write('echo "term=$TERM shell=${BASH_VERSION:+bash}"; stty size\n');
	await output.waitFor(/term=xterm-256color shell=bash/);
	await output.waitFor(/^30 100\r?$/m);
	session.resize(120, 40);
	session.write('stty size\n');
	await output.waitFor(/^40 120\r?$/m);
	session.write('exit 7\n');
	t.deepEqual(await session.result, {exitCode: 7, status: 'failure'});
	t.is(output.stderr(), '', 'a pty merges stderr into stdout');
});

test('a one-shot command with a pty sees a terminal', async t => {
	const session = await sshExec(connection, {command: ['sh', '-c', 'test -t 0 && stty size'], tty: true, columns: 90, rows: 20});
	const output = recordOutput(session);
	t.is((await session.result).exitCode, 0);
	t.is(output.stdout().trim(), '20 90');
});

test('closing a session stops the remote command and ends the session', async t => {
	const session = await sshExec(connection, {command: ['sleep', '30'], tty: false});
	const started = Date.now();
	session.close();
	const result = await session.result;
	t.true(Date.now() - started < 5000);
	t.not(result.status, 'success');
	t.not(result.exitCode, 0);
	t.regex(result.message ?? '', /closed/);
});

test('closing an interactive shell hangs it up', async t => {
	const session = await sshExec(connection, {tty: true});
	const output = recordOutput(session);
	session.write('echo ready\n');
	await output.waitFor(/^ready/m);
	session.close();
	const result = await session.result;
	t.not(result.status, 'success');
	t.regex(result.message ?? '', /closed/);
});

test('the interactive shell falls back to sh where there is no bash', async t => {
	const bin = join(client.home, 'only-sh');
	await mkdir(bin);
	await symlink('/bin/sh', join(bin, 'sh'));
	const shell = spawn('/bin/sh', ['-c', interactiveShellCommand], {env: {PATH: bin, HOME: client.home}, stdio: ['pipe', 'pipe', 'pipe']});
	let output = '';
	shell.stdout.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	shell.stdin.end('echo "running=$0 bash=${BASH_VERSION:-none}"\n');
	await new Promise(resolve => shell.once('close', resolve));
	t.regex(output, /running=\S*sh bash=none/);
});
