import {spawn, execFile, type ChildProcess} from 'node:child_process';
import {rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {inspect, promisify} from 'node:util';
import test from 'ava';
import {processRedactor} from '../../../source/infra/redact.js';
import {connectSsh, SshError} from '../../../source/infra/ssh/index.js';
import {makeClientKey, startSshd, type ClientKey, type SshdServer} from '../../helpers/sshd.js';
import {makeClientHome, type ClientHome} from './world.js';

const run = promisify(execFile);
const passphrase = 'correct horse battery staple';
const wrongPassphrase = 'incorrect donkey';

let server: SshdServer;
let home: ClientHome;
let encryptedKey: ClientKey;
let agentKey: ClientKey;
let agent: ChildProcess | undefined;
let agentSocket: string;

test.before(async () => {
	home = await makeClientHome();
	encryptedKey = await makeClientKey(home.home, 'encrypted', {passphrase});
	agentKey = await makeClientKey(home.home, 'in-agent');
	server = await startSshd({authorizedKeys: [home.key.publicKey, encryptedKey.publicKey, agentKey.publicKey]});
	await home.trust(server);
	agentSocket = join(home.home, 'agent.sock');
	agent = spawn('ssh-agent', ['-D', '-a', agentSocket], {stdio: 'ignore'});
	for (let tries = 0; ; tries++) {
		try {
			await run('ssh-add', [agentKey.path], {env: {...process.env, SSH_AUTH_SOCK: agentSocket}});
			break;
		} catch (error) {
			if (tries > 50) {
				throw error;
			}

			await new Promise(resolve => setTimeout(resolve, 100));
		}
	}
});

test.after.always(async () => {
	agent?.kill();
	await server?.stop();
	await home?.remove();
});

const destination = (): string => `${server.user}@127.0.0.1:${server.port}`;

test('the default key in ~/.ssh is used', async t => {
	const connection = await connectSsh(home.options(destination()));
	t.deepEqual(connection.target, {name: '127.0.0.1', host: '127.0.0.1', port: server.port, user: server.user});
	connection.close();
	t.is(await connection.closed, undefined);
});

test('a key the server does not accept gets a clear message naming what was tried', async t => {
	const stranger = await makeClientKey(home.home, 'stranger');
	const error = await t.throwsAsync(connectSsh(home.options(destination(), {configPath: '/dev/null', homeDir: join(home.home, 'nowhere'), knownHostsPath: home.knownHosts})), {instanceOf: SshError});
	t.is(error.kind, 'auth');
	t.regex(error.message, /nothing: no ssh-agent and no key files found/);

	const refused = await t.throwsAsync(connectSsh(home.options(destination(), {configPath: await configWith(home, `Host *\n  IdentityFile ${stranger.path}\n`)})), {instanceOf: SshError});
	t.is(refused.kind, 'auth');
	t.is(refused.exitCode, 2);
	t.true(refused.message.startsWith(`Permission denied for ${server.user}@127.0.0.1:${server.port} (the server accepts: publickey)`), refused.message);
	t.true(refused.message.includes(`key ${stranger.path} (offered, refused by the server)`));
	t.regex(refused.hint ?? '', /authorized_keys/);
});

test('an encrypted key asks for its passphrase and then connects', async t => {
	const asked: Array<{keyPath: string; attempt: number}> = [];
	const connection = await connectSsh(home.options(destination(), {
		configPath: await configWith(home, `Host *\n  IdentityFile ${encryptedKey.path}\n`),
		async askPassphrase(keyPath, {attempt}) {
			asked.push({keyPath, attempt});
			return passphrase;
		},
	}));
	connection.close();
	t.deepEqual(asked, [{keyPath: encryptedKey.path, attempt: 1}]);
});

test('a wrong passphrase is asked again, then reported; the passphrase is never shown or logged', async t => {
	const printed: string[] = [];
	const originalStdout = process.stdout.write.bind(process.stdout);
	const originalStderr = process.stderr.write.bind(process.stderr);
	const capture = (original: typeof process.stdout.write) => ((chunk: string | Uint8Array, ...rest: unknown[]) => {
		printed.push(String(chunk));
		return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
	}) as typeof process.stdout.write;
	process.stdout.write = capture(originalStdout);
	process.stderr.write = capture(originalStderr);
	const attempts: number[] = [];
	let error: SshError | undefined;
	try {
		error = await t.throwsAsync(connectSsh(home.options(destination(), {
			configPath: await configWith(home, `Host *\n  IdentityFile ${encryptedKey.path}\n`),
			async askPassphrase(_keyPath, {attempt}) {
				attempts.push(attempt);
				return wrongPassphrase;
			},
		})), {instanceOf: SshError});
	} finally {
		process.stdout.write = originalStdout;
		process.stderr.write = originalStderr;
	}

	t.deepEqual(attempts, [1, 2, 3]);
	t.is(error?.kind, 'auth');
	t.true(error?.message.includes(`key ${encryptedKey.path} (wrong passphrase, 3 tries)`), error?.message);
	const everything = [error?.message, error?.hint, error?.stack, inspect(error, {depth: 10}), JSON.stringify(error), ...printed].join('\n');
	t.false(everything.includes(wrongPassphrase));
	t.false(everything.includes(passphrase));
	t.false(processRedactor.redact(`oops ${wrongPassphrase}`).includes(wrongPassphrase), 'the process redactor knows it');
});

test('without a way to ask, an encrypted key is skipped with advice to use ssh-agent', async t => {
	const error = await t.throwsAsync(connectSsh(home.options(destination(), {configPath: await configWith(home, `Host *\n  IdentityFile ${encryptedKey.path}\n`)})), {instanceOf: SshError});
	t.is(error.kind, 'auth');
	t.true(error.message.includes(`key ${encryptedKey.path} (encrypted, and no terminal to ask for its passphrase: add it to ssh-agent with ssh-add)`), error.message);
});

test('keys in ssh-agent are offered', async t => {
	const keyless = await makeClientHome();
	try {
		await rm(keyless.key.path);
		await keyless.trust(server);
		const connection = await connectSsh(keyless.options(destination(), {agentSocket}));
		connection.close();
		t.pass();
	} finally {
		await keyless.remove();
	}
});

test('IdentitiesOnly limits the agent to the identity files named', async t => {
	const error = await t.throwsAsync(connectSsh(home.options(destination(), {
		agentSocket,
		configPath: await configWith(home, `Host *\n  IdentitiesOnly yes\n  IdentityFile ${join(home.home, 'missing-key')}\n`),
	})), {instanceOf: SshError});
	t.true(error.message.includes(`ssh-agent at ${agentSocket} (0 keys offered, refused)`), error.message);

	const connection = await connectSsh(home.options(destination(), {
		agentSocket,
		configPath: await configWith(home, `Host *\n  IdentitiesOnly yes\n  IdentityFile ${agentKey.path}\n`),
	}));
	connection.close();
});

test('an agent socket that does not answer is passed over for the key files', async t => {
	const connection = await connectSsh(home.options(destination(), {agentSocket: join(home.home, 'no-agent.sock')}));
	connection.close();
	t.pass();
});

let configs = 0;

async function configWith(client: ClientHome, text: string): Promise<string> {
	const path = join(client.home, `config-${++configs}`);
	await writeFile(path, text);
	return path;
}
