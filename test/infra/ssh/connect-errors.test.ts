import {writeFile} from 'node:fs/promises';
import {createServer, type Server, type Socket} from 'node:net';
import test from 'ava';
import {UsageError} from '../../../source/core/errors.js';
import {connectSsh, SshError} from '../../../source/infra/ssh/index.js';
import {freePort} from '../../helpers/sshd.js';
import {makeClientHome, type ClientHome} from './world.js';

let home: ClientHome;

test.before(async () => {
	home = await makeClientHome();
});

test.after.always(async () => {
	await home?.remove();
});

async function listen(onConnection: (socket: Socket) => void): Promise<{server: Server; port: number}> {
	const server = createServer(onConnection);
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const address = server.address();
	return {server, port: typeof address === 'object' && address ? address.port : 0};
}

test('a refused port says nothing listens there', async t => {
	const port = await freePort();
	const error = await t.throwsAsync(connectSsh(home.options(`root@127.0.0.1:${port}`)), {instanceOf: SshError});
	t.is(error.kind, 'refused');
	t.is(error.exitCode, 2);
	t.is(error.message, `Connection refused by 127.0.0.1:${port}: nothing is listening on port ${port} there.`);
	t.regex(error.hint ?? '', /sshd is running/);
});

test('a host name that does not resolve says so', async t => {
	const error = await t.throwsAsync(connectSsh(home.options('root@no-such-host.invalid')), {instanceOf: SshError});
	t.is(error.kind, 'dns');
	t.is(error.exitCode, 2);
	t.regex(error.message, /^Cannot resolve the host name "no-such-host\.invalid" \(DNS lookup failed/);
	t.regex(error.hint ?? '', /HostName in ~\/\.ssh\/config/);
});

test('a host that accepts the connection but never speaks SSH times out', async t => {
	const sockets = new Set<Socket>();
	const {server, port} = await listen(socket => sockets.add(socket));
	try {
		const started = Date.now();
		const error = await t.throwsAsync(connectSsh(home.options(`root@127.0.0.1:${port}`, {timeoutMs: 400})), {instanceOf: SshError});
		t.true(Date.now() - started < 3000);
		t.is(error.kind, 'timeout');
		t.is(error.exitCode, 2);
		t.is(error.message, `Timed out after 400ms reaching 127.0.0.1:${port}: no SSH handshake.`);
	} finally {
		for (const socket of sockets) {
			socket.destroy();
		}

		server.close();
	}
});

test('ConnectTimeout in ~/.ssh/config sets the limit', async t => {
	const sockets = new Set<Socket>();
	const {server, port} = await listen(socket => sockets.add(socket));
	try {
		const configPath = `${home.config}-timeout`;
		await writeFile(configPath, 'Host silent\n  HostName 127.0.0.1\n  ConnectTimeout 1\n');
		const started = Date.now();
		const error = await t.throwsAsync(connectSsh(home.options(`silent:${port}`, {configPath, timeoutMs: undefined})), {instanceOf: SshError});
		t.true(Date.now() - started >= 900);
		t.is(error.kind, 'timeout');
		t.regex(error.message, /^Timed out after 1s reaching silent \(127\.0\.0\.1:\d+\)/);
	} finally {
		for (const socket of sockets) {
			socket.destroy();
		}

		server.close();
	}
});

test('something that is not an SSH server is named as the problem', async t => {
	const {server, port} = await listen(socket => {
		socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
	});
	try {
		const error = await t.throwsAsync(connectSsh(home.options(`root@127.0.0.1:${port}`)), {instanceOf: SshError});
		t.is(error.exitCode, 2);
		t.regex(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
	} finally {
		server.close();
	}
});

test('a malformed destination is a usage error', async t => {
	for (const destination of ['root@', 'root@host:99999', '@host', 'root@-oProxyCommand=x', 'root@[::1', 'host:port']) {
		const error = await t.throwsAsync(connectSsh(home.options(destination)), {instanceOf: UsageError}, destination);
		t.is(error.exitCode, 2);
		t.regex(error.hint ?? '', /user@host/);
	}
});
