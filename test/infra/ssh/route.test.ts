import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import test from 'ava';
import {UsageError} from '../../../source/core/errors.js';
import {loadSshConfig} from '../../../source/infra/ssh/config-file.js';
import {resolveRoute, type SshHop} from '../../../source/infra/ssh/route.js';
import {makeTempDir, removeTempDir} from '../../helpers/sshd.js';

let home: string;

test.before(async () => {
	home = await makeTempDir('route');
	await mkdir(join(home, '.ssh', 'config.d'), {recursive: true});
});

test.after.always(async () => {
	await removeTempDir(home);
});

let files = 0;

async function route(destination: string, config: string, extra: Record<string, string> = {}): Promise<SshHop[]> {
	const path = join(home, `config-${++files}`);
	await writeFile(path, config);
	for (const [name, text] of Object.entries(extra)) {
		await writeFile(join(home, '.ssh', name), text);
	}

	const parsed = await loadSshConfig([{path, includeBase: join(home, '.ssh')}], home);
	return resolveRoute(destination, {config: parsed, homeDir: home, localUser: 'operator'});
}

const summary = (hops: SshHop[]): string[] => hops.map(hop => `${hop.user}@${hop.host}:${hop.port} (${hop.name})`);

test('a plain destination with no config: the local user, port 22, OpenSSH\'s default keys and known_hosts files', async t => {
	const [hop, ...rest] = await route('db.example.com', '');
	t.deepEqual(rest, []);
	t.like(hop, {name: 'db.example.com', host: 'db.example.com', port: 22, user: 'operator', knownHostsName: 'db.example.com', identitiesOnly: false, hashKnownHosts: false});
	t.deepEqual(hop!.identityFiles, ['id_ed25519', 'id_ecdsa', 'id_rsa'].map(name => join(home, '.ssh', name)));
	t.deepEqual(hop!.userKnownHostsFiles, [join(home, '.ssh', 'known_hosts'), join(home, '.ssh', 'known_hosts2')]);
	t.deepEqual(hop!.globalKnownHostsFiles, ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']);
});

test('user@host:port, [IPv6]:port and ssh:// destinations', async t => {
	t.deepEqual(summary(await route('deploy@10.0.0.5:2222', '')), ['deploy@10.0.0.5:2222 (10.0.0.5)']);
	t.deepEqual(summary(await route('ssh://deploy@[::1]:2200', '')), ['deploy@::1:2200 (::1)']);
	t.is((await route('deploy@[::1]:2200', ''))[0]!.knownHostsName, '[::1]:2200');
	t.deepEqual(summary(await route('::1', '')), ['operator@::1:22 (::1)']);
});

test('Host patterns: first value wins, wildcards and negations, HostName with %h, IdentityFile accumulates with ~ and %d', async t => {
	const config = [
		'Host web-*.prod !web-9.prod',
		'  HostName %h.example.net',
		'  User deploy',
		'  IdentityFile ~/.ssh/prod_key',
		'Host web-1.prod',
		'  User ignored-later',
		'  Port 2201',
		'Host *',
		'  User fallback',
		'  Port 22',
		'  IdentityFile %d/.ssh/everywhere',
		'  IdentitiesOnly yes',
		'  ServerAliveInterval 30',
		'  ServerAliveCountMax 5',
		'  ConnectTimeout 7',
		'',
	].join('\n');
	const [web1] = await route('web-1.prod', config);
	t.like(web1, {host: 'web-1.prod.example.net', user: 'deploy', port: 2201, identitiesOnly: true, keepaliveIntervalMs: 30_000, keepaliveCountMax: 5, connectTimeoutMs: 7000});
	t.deepEqual(web1!.identityFiles, [join(home, '.ssh', 'prod_key'), join(home, '.ssh', 'everywhere')]);
	const [web9] = await route('web-9.prod', config);
	t.like(web9, {host: 'web-9.prod', user: 'fallback', port: 22});
	const [explicit] = await route('root@web-2.prod:2022', config);
	t.like(explicit, {user: 'root', port: 2022, knownHostsName: '[web-2.prod.example.net]:2022'});
});

test('ProxyJump: one bastion, a chain, a bastion\'s own ProxyJump, and none', async t => {
	const config = [
		'Host app',
		'  HostName 10.1.0.10',
		'  ProxyJump bastion',
		'Host chain',
		'  HostName 10.1.0.11',
		'  ProxyJump edge,ops@inner:2200',
		'Host bastion',
		'  HostName bastion.example.com',
		'  User jump',
		'  ProxyJump edge',
		'Host edge',
		'  HostName edge.example.com',
		'  ProxyJump none',
		'Host inner',
		'  ProxyJump should-be-ignored-in-a-chain',
		'Host direct',
		'  ProxyJump none',
		'',
	].join('\n');
	t.deepEqual(summary(await route('app', config)), [
		'operator@edge.example.com:22 (edge)',
		'jump@bastion.example.com:22 (bastion)',
		'operator@10.1.0.10:22 (app)',
	]);
	t.deepEqual(summary(await route('chain', config)), [
		'operator@edge.example.com:22 (edge)',
		'ops@inner:2200 (inner)',
		'operator@10.1.0.11:22 (chain)',
	]);
	t.deepEqual(summary(await route('direct', config)), ['operator@direct:22 (direct)']);
});

test('a ProxyJump loop is a usage error, not a hang', async t => {
	const error = await t.throwsAsync(route('a', 'Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n'), {instanceOf: UsageError});
	t.regex(error.message, /ProxyJump chain to a is longer than 8 hosts/);
});

test('Include brings in files, relative to ~/.ssh, in name order, also inside a Host block', async t => {
	const hops = await route('included', 'Include config.d/*.conf\nHost late\n  Include late.conf\n', {
		'config.d/20-second.conf': 'Host included\n  User second\n  Port 2002\n',
		'config.d/10-first.conf': 'Host included\n  User first\n',
		'late.conf': 'Port 9999\n',
	});
	t.deepEqual(summary(hops), ['first@included:2002 (included)']);
	t.is((await route('late', 'Host late\n  Include late.conf\n'))[0]!.port, 9999);
});

test('known_hosts and agent settings from the config', async t => {
	const [hop] = await route('h', [
		'Host h',
		'  UserKnownHostsFile ~/.ssh/kh_%h %d/second',
		'  GlobalKnownHostsFile none',
		'  HostKeyAlias h-alias',
		'  HashKnownHosts yes',
		'  StrictHostKeyChecking yes',
		'  IdentityAgent ~/agent.sock',
		'',
	].join('\n'));
	t.deepEqual(hop!.userKnownHostsFiles, [join(home, '.ssh', 'kh_h'), join(home, 'second')]);
	t.deepEqual(hop!.globalKnownHostsFiles, []);
	t.like(hop, {knownHostsName: 'h-alias', hashKnownHosts: true, neverAskAboutUnknownKeys: true, identityAgent: join(home, 'agent.sock')});
	t.is((await route('x', 'Host x\n  IdentityAgent none\n'))[0]!.identityAgent, 'none');
	t.is((await route('x', 'Host x\n  IdentityAgent SSH_AUTH_SOCK\n'))[0]!.identityAgent, '$SSH_AUTH_SOCK');
});

test('bad numbers in the config are usage errors naming the directive', async t => {
	const port = await t.throwsAsync(route('p', 'Host p\n  Port http\n'), {instanceOf: UsageError});
	t.regex(port.message, /port "http"/);
	const timeout = await t.throwsAsync(route('p', 'Host p\n  ConnectTimeout soon\n'), {instanceOf: UsageError});
	t.regex(timeout.message, /ConnectTimeout "soon"/);
});
