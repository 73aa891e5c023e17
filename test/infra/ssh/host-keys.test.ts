import {execFile, spawnSync} from 'node:child_process';
import {readFile, rm, writeFile} from 'node:fs/promises';
import {promisify} from 'node:util';
import test from 'ava';
import {connectSsh, SshError, type UnknownHostKey} from '../../../source/infra/ssh/index.js';
import {makeClientKey, startSshd, type SshdServer} from '../../helpers/sshd.js';
import {makeClientHome, type ClientHome} from './world.js';

const run = promisify(execFile);
let server: SshdServer;
const homes: ClientHome[] = [];

test.before(async () => {
	const keys = [];
	for (let index = 0; index < 10; index++) {
		const home = await makeClientHome();
		homes.push(home);
		keys.push(home.key.publicKey);
	}

	server = await startSshd({authorizedKeys: keys});
});

test.after.always(async () => {
	await server?.stop();
	await Promise.all(homes.map(async home => home.remove()));
});

/** Each test has a client home of its own (its own known_hosts), all allowed into the one sshd. */
function homeFor(index: number): ClientHome {
	return homes[index]!;
}

const destination = (): string => `${server.user}@127.0.0.1:${server.port}`;

async function otherKeyLine(home: ClientHome, type: 'ed25519' | 'ecdsa' = 'ed25519'): Promise<string> {
	const key = await makeClientKey(home.home, `not-the-host-${type}`, {type});
	return key.publicKey.split(' ').slice(0, 2).join(' ');
}

async function connectAndClose(options: Parameters<typeof connectSsh>[0]): Promise<void> {
	const connection = await connectSsh(options);
	connection.close();
}

test('an unknown host key is refused when nobody can be asked, with its SHA256 fingerprint and how to accept it', async t => {
	const home = homeFor(0);
	const error = await t.throwsAsync(connectSsh(home.options(destination())), {instanceOf: SshError});
	t.is(error.kind, 'host-key-unknown');
	t.is(error.exitCode, 2);
	t.true(server.hostKeyFingerprint.startsWith('SHA256:'));
	t.true(error.message.includes(`ED25519 key fingerprint is ${server.hostKeyFingerprint}.`), error.message);
	t.true(error.message.includes(`'[127.0.0.1]:${server.port}'`));
	t.regex(error.hint ?? '', /ssh-keyscan -p \d+ 127\.0\.0\.1/);
	t.regex(error.hint ?? '', /in a terminal/);
	t.is(await readFile(home.knownHosts, 'utf8'), '', 'nothing recorded');
});

test('an unknown key accepted interactively is recorded, and the next connection does not ask', async t => {
	const home = homeFor(1);
	const asked: UnknownHostKey[] = [];
	await connectAndClose(home.options(destination(), {
		confirmUnknownHost(key) {
			asked.push(key);
			return 'accept';
		},
	}));
	t.deepEqual(asked, [{host: '127.0.0.1', port: server.port, keyType: 'ssh-ed25519', fingerprint: server.hostKeyFingerprint, knownHostsFile: home.knownHosts, otherKeyTypesKnown: false}]);
	t.is(await readFile(home.knownHosts, 'utf8'), `${server.knownHostsLine}\n`);
	const {stdout} = await run('ssh-keygen', ['-F', `[127.0.0.1]:${server.port}`, '-f', home.knownHosts]);
	t.true(stdout.includes(server.hostKey), 'OpenSSH finds the recorded key');

	await connectAndClose(home.options(destination(), {
		confirmUnknownHost() {
			t.fail('asked again about a recorded key');
			return 'reject';
		},
	}));
	await connectAndClose(home.options(destination()));
	t.pass();
});

test('an unknown key the operator rejects is not recorded and the connection is refused', async t => {
	const home = homeFor(2);
	const error = await t.throwsAsync(connectSsh(home.options(destination(), {confirmUnknownHost: async () => 'reject' as const})), {instanceOf: SshError});
	t.is(error.kind, 'host-key-rejected');
	t.true(error.message.includes(server.hostKeyFingerprint));
	t.is(await readFile(home.knownHosts, 'utf8'), '');
});

test('hashed known_hosts entries are honoured', async t => {
	const home = homeFor(3);
	await writeFile(home.knownHosts, `${server.knownHostsLine}\n`);
	await run('ssh-keygen', ['-H', '-f', home.knownHosts]);
	await rm(`${home.knownHosts}.old`);
	const hashed = await readFile(home.knownHosts, 'utf8');
	t.regex(hashed, /^\|1\|[^ ]+ ssh-ed25519 /);
	t.false(hashed.includes('127.0.0.1'));
	await connectAndClose(home.options(destination()));
	t.pass();
});

test('a key accepted into a hashed known_hosts is written hashed, and OpenSSH finds it', async t => {
	const home = homeFor(4);
	await writeFile(home.knownHosts, `other.example ${await otherKeyLine(home)}`);
	await run('ssh-keygen', ['-H', '-f', home.knownHosts]);
	await rm(`${home.knownHosts}.old`);
	await connectAndClose(home.options(destination(), {confirmUnknownHost: () => 'accept'}));
	const lines = (await readFile(home.knownHosts, 'utf8')).trimEnd().split('\n');
	t.is(lines.length, 2);
	t.regex(lines[1]!, /^\|1\|[A-Za-z\d+/=]{28}\|[A-Za-z\d+/=]{28} ssh-ed25519 /);
	const {stdout} = await run('ssh-keygen', ['-F', `[127.0.0.1]:${server.port}`, '-f', home.knownHosts]);
	t.true(stdout.includes('found: line 2'));
	await connectAndClose(home.options(destination()));
});

test('HashKnownHosts yes in ~/.ssh/config hashes recorded keys', async t => {
	const home = homeFor(5);
	await writeFile(home.config, 'Host *\n  HashKnownHosts yes\n');
	await connectAndClose(home.options(destination(), {confirmUnknownHost: () => 'accept'}));
	t.regex(await readFile(home.knownHosts, 'utf8'), /^\|1\|\S+ ssh-ed25519 \S+\n$/);
	await connectAndClose(home.options(destination()));
});

test('a changed host key is always refused, with the warning OpenSSH gives', async t => {
	const home = homeFor(6);
	await writeFile(home.knownHosts, `# an old key for this host\n[127.0.0.1]:${server.port} ${await otherKeyLine(home)}\n`);
	let asked = false;
	const error = await t.throwsAsync(connectSsh(home.options(destination(), {
		confirmUnknownHost() {
			asked = true;
			return 'accept';
		},
	})), {instanceOf: SshError});
	t.false(asked, 'never offered for acceptance');
	t.is(error.kind, 'host-key-changed');
	t.is(error.exitCode, 2);
	t.true(error.message.includes('WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!'));
	t.true(error.message.includes(server.hostKeyFingerprint));
	t.true(error.message.includes(`Offending ED25519 key in ${home.knownHosts}:2`));

	const openSsh = spawnSync('ssh', ['-F', '/dev/null', '-o', `UserKnownHostsFile=${home.knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-i', home.key.path, '-p', String(server.port), `${server.user}@127.0.0.1`, 'true'], {encoding: 'utf8'});
	t.not(openSsh.status, 0);
	t.is(error.message, openSsh.stderr.replaceAll('\r\n', '\n').trim(), 'word for word what ssh prints');
	t.true((await readFile(home.knownHosts, 'utf8')).startsWith('# an old key'), 'known_hosts untouched');
});

test('a revoked host key is refused', async t => {
	const home = homeFor(7);
	await writeFile(home.knownHosts, `@revoked * ${server.hostKey}\n${server.knownHostsLine}\n`);
	const error = await t.throwsAsync(connectSsh(home.options(destination(), {confirmUnknownHost: () => 'accept'})), {instanceOf: SshError});
	t.is(error.kind, 'host-key-revoked');
	t.regex(error.message, /REVOKED HOST KEY DETECTED/);
});

test('StrictHostKeyChecking yes refuses an unknown key without asking', async t => {
	const home = homeFor(8);
	await writeFile(home.config, 'Host 127.0.0.1\n  StrictHostKeyChecking yes\n');
	const error = await t.throwsAsync(connectSsh(home.options(destination(), {
		confirmUnknownHost() {
			t.fail('asked');
			return 'accept';
		},
	})), {instanceOf: SshError});
	t.is(error.kind, 'host-key-unknown');
	t.regex(error.message, /StrictHostKeyChecking/);
});

test('a key of a type not yet known for the host is asked about, saying other types are known', async t => {
	const home = homeFor(9);
	await writeFile(home.knownHosts, `[127.0.0.1]:${server.port} ${await otherKeyLine(home, 'ecdsa')}\n`);
	const asked: UnknownHostKey[] = [];
	await connectAndClose(home.options(destination(), {
		confirmUnknownHost(key) {
			asked.push(key);
			return 'accept';
		},
	}));
	t.is(asked.length, 1);
	t.true(asked[0]!.otherKeyTypesKnown);
	const lines = (await readFile(home.knownHosts, 'utf8')).trimEnd().split('\n');
	t.deepEqual(lines.map(line => line.split(' ')[1]), ['ecdsa-sha2-nistp256', 'ssh-ed25519'], 'both keys kept');
});
