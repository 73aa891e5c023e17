import {execFile} from 'node:child_process';
import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {promisify} from 'node:util';
import test from 'ava';
import {describeHostKey, hostKeyAlgorithmsPreferring, keyTypeLabel} from '../../../source/infra/ssh/host-key.js';
import {findKnownHostEntries, hashedHostName, recordKnownHost} from '../../../source/infra/ssh/known-hosts.js';
import {fingerprintOf, makeClientKey, makeTempDir, removeTempDir} from '../../helpers/sshd.js';

const run = promisify(execFile);
let dir: string;

test.before(async () => {
	dir = await makeTempDir('known-hosts');
});

test.after.always(async () => {
	await removeTempDir(dir);
});

for (const type of ['ed25519', 'ecdsa', 'rsa'] as const) {
	test(`the ${type} fingerprint and type are OpenSSH's`, async t => {
		const key = await makeClientKey(dir, `fingerprint-${type}`, {type});
		const [keyType, base64] = key.publicKey.split(' ');
		const described = describeHostKey(Buffer.from(base64!, 'base64'));
		t.is(described.keyType, keyType!);
		t.is(described.keyBase64, base64!);
		t.is(described.fingerprint, await fingerprintOf(`${key.path}.pub`));
		const {stdout} = await run('ssh-keygen', ['-lf', `${key.path}.pub`]);
		t.true(stdout.trimEnd().endsWith(`(${keyTypeLabel(keyType!)})`));
	});
}

test('entries are found in plain, hashed, [host]:port and pattern forms, with their line numbers and markers', async t => {
	const one = (await makeClientKey(dir, 'one')).publicKey.split(' ').slice(0, 2).join(' ');
	const two = (await makeClientKey(dir, 'two')).publicKey.split(' ').slice(0, 2).join(' ');
	const file = join(dir, 'mixed');
	await writeFile(file, [
		'# comment',
		`plain.example ${one}`,
		`${hashedHostName('hashed.example')} ${one}`,
		`[ported.example]:2222 ${two}`,
		`*.wild.example,!no.wild.example ${two}`,
		`@revoked revoked.example ${two}`,
		'',
	].join('\n'));
	const find = async (name: string) => (await findKnownHostEntries(name, [file, join(dir, 'does-not-exist')])).map(entry => [entry.line, entry.marker ?? '', entry.keyType]);
	t.deepEqual(await find('plain.example'), [[2, '', 'ssh-ed25519']]);
	t.deepEqual(await find('hashed.example'), [[3, '', 'ssh-ed25519']]);
	t.deepEqual(await find('[ported.example]:2222'), [[4, '', 'ssh-ed25519']]);
	t.deepEqual(await find('ported.example'), []);
	t.deepEqual(await find('a.wild.example'), [[5, '', 'ssh-ed25519']]);
	t.deepEqual(await find('no.wild.example'), []);
	t.deepEqual(await find('revoked.example'), [[6, 'revoked', 'ssh-ed25519']]);
	t.deepEqual(await find('nowhere.example'), []);
});

test('recorded entries: plain by default, hashed on request, and OpenSSH reads both', async t => {
	const key = (await makeClientKey(dir, 'recorded')).publicKey.split(' ');
	const file = join(dir, 'nested', 'known_hosts');
	await recordKnownHost(file, '[a.example]:2200', key[0]!, key[1]!, {hash: false});
	await recordKnownHost(file, 'b.example', key[0]!, key[1]!, {hash: true});
	const lines = (await readFile(file, 'utf8')).split('\n');
	t.is(lines[0], `[a.example]:2200 ${key[0]} ${key[1]}`);
	t.regex(lines[1]!, /^\|1\|[^|]+\|[^ ]+ ssh-ed25519 /);
	for (const name of ['[a.example]:2200', 'b.example']) {
		const {stdout} = await run('ssh-keygen', ['-F', name, '-f', file]);
		t.true(stdout.includes(key[1]!), name);
	}
});

test('a file without a final newline gets one before the new entry', async t => {
	const file = join(dir, 'no-newline');
	await writeFile(file, '# last line without newline');
	await recordKnownHost(file, 'c.example', 'ssh-ed25519', 'AAAA', {hash: false});
	t.is(await readFile(file, 'utf8'), '# last line without newline\nc.example ssh-ed25519 AAAA\n');
});

test('host-key algorithms known for the host come first', t => {
	t.deepEqual(hostKeyAlgorithmsPreferring(['ssh-rsa']).slice(0, 2), ['rsa-sha2-512', 'rsa-sha2-256']);
	t.is(hostKeyAlgorithmsPreferring(['ecdsa-sha2-nistp256'])[0], 'ecdsa-sha2-nistp256');
	t.is(hostKeyAlgorithmsPreferring([])[0], 'ssh-ed25519');
	t.false(hostKeyAlgorithmsPreferring([]).includes('ssh-rsa' as never), 'SHA-1 RSA signatures stay off, as in OpenSSH');
});
