import {createServer, connect as connectTcp, type Server, type Socket} from 'node:net';
import test from 'ava';
import {connectSsh, SshError} from '../../../source/infra/ssh/index.js';
import type {SshdServer} from '../../helpers/sshd.js';
import {makeClientHome, startServerFor, type ClientHome} from './world.js';

let home: ClientHome;
let server: SshdServer;

test.before(async () => {
	home = await makeClientHome();
	server = await startServerFor(home);
});

test.after.always(async () => {
	await server?.stop();
	await home?.remove();
});

/** A TCP relay to the sshd that can go silent (a network that stops carrying packets) or hang up. */
async function relay(): Promise<{port: number; freeze(): void; cut(): void; close(): void}> {
	const pairs: Array<[Socket, Socket]> = [];
	let frozen = false;
	const proxy: Server = createServer(inbound => {
		const outbound = connectTcp(server.port, '127.0.0.1');
		pairs.push([inbound, outbound]);
		for (const [from, to] of [[inbound, outbound], [outbound, inbound]] as const) {
			from.on('data', (chunk: Buffer) => {
				if (!frozen) {
					to.write(chunk);
				}
			});
			from.on('error', () => to.destroy());
			from.on('close', () => to.destroy());
		}
	});
	await new Promise<void>(resolve => {
		proxy.listen(0, '127.0.0.1', resolve);
	});
	const address = proxy.address();
	const cut = (): void => {
		for (const [inbound, outbound] of pairs) {
			inbound.destroy();
			outbound.destroy();
		}
	};

	return {
		port: typeof address === 'object' && address ? address.port : 0,
		freeze() {
			frozen = true;
		},
		cut,
		close() {
			cut();
			proxy.close();
		},
	};
}

test('closing on purpose resolves closed with no reason', async t => {
	const connection = await connectSsh(home.options(`${server.user}@127.0.0.1:${server.port}`));
	connection.close();
	t.is(await connection.closed, undefined);
});

test('keepalives notice a connection that has gone silent', async t => {
	const link = await relay();
	try {
		await home.trust({...server, knownHostsLine: `[127.0.0.1]:${link.port} ${server.hostKey}`});
		const connection = await connectSsh(home.options(`${server.user}@127.0.0.1:${link.port}`, {keepaliveIntervalMs: 100, keepaliveCountMax: 2}));
		const started = Date.now();
		link.freeze();
		const reason = await connection.closed;
		t.true(reason instanceof SshError);
		t.is(reason?.kind, 'closed');
		t.is(reason?.exitCode, 1);
		t.regex(reason?.message ?? '', /stopped answering/);
		t.true(Date.now() - started < 5000);
	} finally {
		link.close();
	}
});

test('a dropped connection resolves closed with the reason', async t => {
	const link = await relay();
	try {
		await home.trust({...server, knownHostsLine: `[127.0.0.1]:${link.port} ${server.hostKey}`});
		const connection = await connectSsh(home.options(`${server.user}@127.0.0.1:${link.port}`));
		link.cut();
		const reason = await connection.closed;
		t.is(reason?.kind, 'closed');
		t.regex(reason?.message ?? '', new RegExp(`127\\.0\\.0\\.1:${link.port}`));
	} finally {
		link.close();
	}
});

test('time spent waiting for the operator does not count against the connect timeout', async t => {
	const patient = await makeClientHome();
	try {
		const connection = await connectSsh(patient.options(`${server.user}@127.0.0.1:${server.port}`, {
			homeDir: home.home,
			timeoutMs: 500,
			async confirmUnknownHost() {
				await new Promise(resolve => setTimeout(resolve, 1200));
				return 'accept' as const;
			},
		}));
		connection.close();
		t.pass();
	} finally {
		await patient.remove();
	}
});
