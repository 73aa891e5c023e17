import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import test from 'ava';
import {makeClientKey, makeTempDir, removeTempDir, startSshd, type SshdServer} from '../helpers/sshd.js';
import {runCli} from '../helpers/run-cli.js';

type World = {home: string; configDir: string; sshd: SshdServer; env: Record<string, string>};

async function sshHostWorld(knownHost: boolean): Promise<World> {
	const home = await makeTempDir('cli-exec-host');
	await mkdir(join(home, '.ssh'), {mode: 0o700});
	const key = await makeClientKey(join(home, '.ssh'), 'id_ed25519');
	const sshd = await startSshd({authorizedKeys: [key.publicKey]});
	const knownHosts = join(home, '.ssh', 'known_hosts');
	await writeFile(knownHosts, knownHost ? `${sshd.knownHostsLine}\n` : '');
	await writeFile(join(home, '.ssh', 'config'), `Host app-host\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${sshd.user}\n  IdentityFile ${key.path}\n  UserKnownHostsFile ${knownHosts}\n`);
	const configDir = join(home, 'wheelhouse');
	await mkdir(configDir);
	await writeFile(join(configDir, 'config.json'), JSON.stringify({current: 'app-host', contexts: {'app-host': {platform: 'ssh', destination: 'app-host'}}}));
	return {home, configDir, sshd, env: {HOME: home, WHEELHOUSE_CONFIG_DIR: configDir, SSH_AUTH_SOCK: ''}};
}

test('exec on an SSH host context runs the command there and exits with its status', async t => {
	const world = await sshHostWorld(true);
	t.teardown(async () => {
		await world.sshd.stop();
		await removeTempDir(world.home);
	});
	const result = await runCli(['exec', '--', 'sh', '-c', 'echo "on $(hostname)"; echo oops >&2; exit 7'], {env: world.env});
	t.is(result.code, 7, result.stderr);
	t.regex(result.stdout, /^on /);
	t.regex(result.stderr, /oops/);
});

test('an SSH host whose key is unknown is refused without a terminal, naming the fingerprint', async t => {
	const world = await sshHostWorld(false);
	t.teardown(async () => {
		await world.sshd.stop();
		await removeTempDir(world.home);
	});
	const result = await runCli(['exec', '--', 'true'], {env: world.env});
	t.is(result.code, 2);
	t.true(result.stderr.includes(world.sshd.hostKeyFingerprint), result.stderr);
});

test('status on an SSH host context says what works on it', async t => {
	const world = await sshHostWorld(true);
	t.teardown(async () => {
		await world.sshd.stop();
		await removeTempDir(world.home);
	});
	const result = await runCli(['status'], {env: world.env});
	t.is(result.code, 2);
	t.regex(result.stderr, /is an SSH host.*only open a shell/);
});
