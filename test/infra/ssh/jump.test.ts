import {writeFile} from 'node:fs/promises';
import {connect as connectTcp} from 'node:net';
import test from 'ava';
import pg from 'pg';
import {connectSsh, openTunnel, sshExec, SshError, type SshConnection, type UnknownHostKey} from '../../../source/infra/ssh/index.js';
import {startPostgres, type PostgresServer} from '../../helpers/postgres.js';
import {freePort, startSshd, type SshdServer} from '../../helpers/sshd.js';
import {recordOutput} from './output.js';
import {makeClientHome, type ClientHome} from './world.js';

let home: ClientHome;
let target: SshdServer;
let bastion: SshdServer;
let outerBastion: SshdServer;
let postgres: PostgresServer;

test.before(async () => {
	home = await makeClientHome();
	const keys = [home.key.publicKey];
	[target, bastion, outerBastion, postgres] = await Promise.all([
		startSshd({authorizedKeys: keys}),
		startSshd({authorizedKeys: keys, logLevel: 'DEBUG1'}),
		startSshd({authorizedKeys: keys, logLevel: 'DEBUG1'}),
		startPostgres(),
	]);
	await home.trust(target, bastion, outerBastion);
	await writeFile(home.config, [
		'Host bastion',
		'  HostName 127.0.0.1',
		`  Port ${bastion.port}`,
		`  User ${bastion.user}`,
		'Host outer',
		'  HostName 127.0.0.1',
		`  Port ${outerBastion.port}`,
		'Host app.internal',
		'  HostName 127.0.0.1',
		`  Port ${target.port}`,
		'Host deep.internal',
		'  HostName 127.0.0.1',
		`  Port ${target.port}`,
		'  ProxyJump outer,bastion',
		'Host *.internal',
		'  ProxyJump bastion',
		'  IdentityFile ~/.ssh/id_ed25519',
		'Host *',
		`  User ${target.user}`,
		'',
	].join('\n'));
});

test.after.always(async () => {
	await Promise.all([target?.stop(), bastion?.stop(), outerBastion?.stop(), postgres?.stop()]);
	await home?.remove();
});

/** The bastion's sshd logs each forwarding it opens (LogLevel DEBUG1). */
function forwardedTo(server: SshdServer, port: number): boolean {
	return server.log().includes(`target 127.0.0.1 port ${port}`);
}

async function run(connection: SshConnection, command: string[]): Promise<string> {
	const session = await sshExec(connection, {command, tty: false});
	const output = recordOutput(session);
	await session.result;
	return output.stdout();
}

test('a Host alias with HostName, Port, User, IdentityFile and ProxyJump reaches the target through the bastion', async t => {
	const connection = await connectSsh(home.options('app.internal'));
	try {
		t.deepEqual(connection.target, {name: 'app.internal', host: '127.0.0.1', port: target.port, user: target.user});
		t.deepEqual(connection.bastions, [{name: 'bastion', host: '127.0.0.1', port: bastion.port, user: bastion.user}]);
		const [, , , serverPort] = (await run(connection, ['sh', '-c', 'echo $SSH_CONNECTION'])).trim().split(' ');
		t.is(Number(serverPort), target.port);
		t.true(forwardedTo(bastion, target.port), 'the bastion opened the connection to the target');
	} finally {
		connection.close();
	}
});

test('ProxyJump through two bastions, each reaching the next', async t => {
	const connection = await connectSsh(home.options('deep.internal'));
	try {
		t.deepEqual(connection.bastions.map(peer => peer.name), ['outer', 'bastion']);
		t.is((await run(connection, ['echo', 'deep'])).trim(), 'deep');
		t.true(forwardedTo(outerBastion, bastion.port), 'outer → bastion');
		t.true(forwardedTo(bastion, target.port), 'bastion → target');
	} finally {
		connection.close();
	}
});

test('a destination written as user@host:port, with ProxyJump from the config for that host', async t => {
	const configPath = await configFile('plain', `Host 127.0.0.1\n  ProxyJump jump\nHost jump\n  HostName 127.0.0.1\n  Port ${bastion.port}\n`);
	const connection = await connectSsh(home.options(`${target.user}@127.0.0.1:${target.port}`, {configPath}));
	t.deepEqual(connection.bastions, [{name: 'jump', host: '127.0.0.1', port: bastion.port, user: bastion.user}]);
	t.is((await run(connection, ['echo', 'plain'])).trim(), 'plain');
	connection.close();
});

test('every hop\'s host key is checked: an unknown bastion is refused, and both unknown keys are asked about in order', async t => {
	const stranger = await makeClientHome();
	try {
		const options = stranger.options('app.internal', {configPath: home.config});
		const error = await t.throwsAsync(connectSsh({...options, homeDir: home.home}), {instanceOf: SshError});
		t.is(error.kind, 'host-key-unknown');
		t.true(error.message.includes(`'[127.0.0.1]:${bastion.port}'`), 'the bastion is the first unknown host');
		t.true(error.message.includes(bastion.hostKeyFingerprint));

		const asked: UnknownHostKey[] = [];
		const connection = await connectSsh({
			...options,
			homeDir: home.home,
			confirmUnknownHost(key) {
				asked.push(key);
				return 'accept';
			},
		});
		connection.close();
		t.deepEqual(asked.map(key => [key.port, key.fingerprint]), [[bastion.port, bastion.hostKeyFingerprint], [target.port, target.hostKeyFingerprint]]);
	} finally {
		await stranger.remove();
	}
});

test('a target the bastion cannot reach is named, with the bastion', async t => {
	const closedPort = await freePort();
	const configPath = await configFile('unreachable', `Host 127.0.0.1\n  ProxyJump bastion-direct\nHost bastion-direct\n  HostName 127.0.0.1\n  Port ${bastion.port}\n  ProxyJump none\n`);
	const error = await t.throwsAsync(connectSsh(home.options(`${target.user}@127.0.0.1:${closedPort}`, {configPath})), {instanceOf: SshError});
	t.is(error.kind, 'refused');
	t.is(error.exitCode, 2);
	t.true(error.message.includes(`Connection refused by 127.0.0.1:${closedPort} (reached from the bastion bastion-direct (127.0.0.1:${bastion.port}))`), error.message);
});

test('a target name the bastion cannot resolve is named, with the bastion', async t => {
	const configPath = await configFile('no-such-host', `Host *.invalid\n  ProxyJump ${bastion.user}@127.0.0.1:${bastion.port}\n`);
	const error = await t.throwsAsync(connectSsh(home.options('root@no-such-host.invalid', {configPath})), {instanceOf: SshError});
	t.is(error.kind, 'dns');
	t.is(error.exitCode, 2);
	t.true(error.message.startsWith(`The bastion 127.0.0.1:${bastion.port} cannot resolve the host name "no-such-host.invalid"`), error.message);
});

test('a tunnel through the bastion carries a real pg query to PostgreSQL', async t => {
	const connection = await connectSsh(home.options('app.internal'));
	const tunnel = await openTunnel(connection, {remoteHost: '127.0.0.1', remotePort: postgres.port});
	try {
		t.is(tunnel.localHost, '127.0.0.1');
		t.true(tunnel.localPort > 0);
		const database = new pg.Client({host: tunnel.localHost, port: tunnel.localPort, user: postgres.user, database: postgres.database});
		await database.connect();
		try {
			await database.query('create table if not exists releases (id serial primary key, tag text not null)');
			await database.query('insert into releases (tag) values ($1), ($2)', ['v1', 'v2']);
			const {rows} = await database.query<{database: string; tags: string}>('select current_database() as database, string_agg(tag, \',\' order by id) as tags from releases');
			t.deepEqual(rows, [{database: postgres.database, tags: 'v1,v2'}]);
		} finally {
			await database.end();
		}

		t.true(forwardedTo(bastion, target.port));
	} finally {
		await tunnel.close();
		connection.close();
	}

	const refused = await new Promise<boolean>(resolve => {
		const socket = connectTcp(tunnel.localPort, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('error', () => {
			resolve(true);
		});
	});
	t.true(refused, 'the local port is closed with the tunnel');
});

test('a tunnel straight from the bastion, on a chosen local port, to a database only it needs to see', async t => {
	const connection = await connectSsh(home.options('bastion'));
	const localPort = await freePort();
	const tunnel = await openTunnel(connection, {remoteHost: 'localhost', remotePort: postgres.port, localPort});
	try {
		t.is(tunnel.localPort, localPort);
		const database = new pg.Client({host: '127.0.0.1', port: localPort, user: postgres.user, database: postgres.database});
		await database.connect();
		const {rows} = await database.query<{answer: number}>('select 40 + 2 as answer');
		await database.end();
		t.deepEqual(rows, [{answer: 42}]);
		const busy = await t.throwsAsync(openTunnel(connection, {remoteHost: '127.0.0.1', remotePort: postgres.port, localPort}), {instanceOf: SshError});
		t.regex(busy.message, new RegExp(`local port ${localPort} is already in use`));
	} finally {
		await tunnel.close();
		connection.close();
	}
});

test('a tunnel to a port nothing listens on reports it and closes the local connection', async t => {
	const connection = await connectSsh(home.options('bastion'));
	const errors: SshError[] = [];
	const tunnel = await openTunnel(connection, {remoteHost: '127.0.0.1', remotePort: await freePort(), onError: error => errors.push(error)});
	try {
		await new Promise<void>(resolve => {
			const socket = connectTcp(tunnel.localPort, '127.0.0.1');
			socket.on('error', () => undefined);
			socket.once('close', () => {
				resolve();
			});
		});
		t.is(errors.length, 1);
		t.is(errors[0]!.kind, 'tunnel');
		t.regex(errors[0]!.message, /cannot reach 127\.0\.0\.1:\d+ for the tunnel: Connection refused/);
	} finally {
		await tunnel.close();
		connection.close();
	}
});

async function configFile(name: string, text: string): Promise<string> {
	const path = `${home.config}-${name}`;
	await writeFile(path, text);
	return path;
}
