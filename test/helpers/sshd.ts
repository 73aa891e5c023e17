import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {createServer} from 'node:net';
import {tmpdir, userInfo} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);
const sshdPath = '/usr/sbin/sshd';

export type ClientKey = {
	path: string;
	/** `ssh-ed25519 AAAA… comment`, as in the .pub file. */
	publicKey: string;
	passphrase?: string;
};

export type SshdServer = {
	host: '127.0.0.1';
	port: number;
	/** Who the tests log in as: the current user (root here, allowed keys only). */
	user: string;
	/** `ssh-ed25519 AAAA…` */
	hostKey: string;
	/** `SHA256:…`, from ssh-keygen -lf. */
	hostKeyFingerprint: string;
	/** The known_hosts line for this server (`[127.0.0.1]:port ssh-ed25519 AAAA…`). */
	knownHostsLine: string;
	/** What sshd has logged so far (stderr, -e). */
	log(): string;
	stop(): Promise<void>;
};

export async function makeTempDir(prefix: string): Promise<string> {
	return mkdtemp(join(tmpdir(), `wheelhouse-${prefix}-`));
}

export async function removeTempDir(dir: string): Promise<void> {
	await rm(dir, {recursive: true, force: true});
}

/** A key pair made by ssh-keygen, optionally encrypted with a passphrase. */
export async function makeClientKey(dir: string, name: string, options: {passphrase?: string; type?: 'ed25519' | 'ecdsa' | 'rsa'} = {}): Promise<ClientKey> {
	const path = join(dir, name);
	await run('ssh-keygen', ['-q', '-t', options.type ?? 'ed25519', '-N', options.passphrase ?? '', '-C', `${name}@wheelhouse-test`, '-f', path]);
	const publicKey = (await readFile(`${path}.pub`, 'utf8')).trim();
	return {path, publicKey, ...(options.passphrase === undefined ? {} : {passphrase: options.passphrase})};
}

export async function fingerprintOf(publicKeyFile: string): Promise<string> {
	const {stdout} = await run('ssh-keygen', ['-lf', publicKeyFile]);
	return stdout.split(' ')[1] ?? '';
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => {
				resolve(typeof address === 'object' && address ? address.port : 0);
			});
		});
	});
}

/**
 * OpenSSH's sshd in the foreground (-D -e) on a free loopback port, with its own temp host key and
 * config: public keys only, the given authorized keys, TCP forwarding allowed. As root (as here),
 * root may log in with a key only; otherwise it can only log in the current user, who runs it.
 */
export async function startSshd(options: {authorizedKeys: readonly string[]; logLevel?: 'INFO' | 'VERBOSE' | 'DEBUG1'; extraConfig?: readonly string[]}): Promise<SshdServer> {
	const dir = await makeTempDir('sshd');
	await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_ed25519')]);
	await writeFile(join(dir, 'authorized_keys'), `${options.authorizedKeys.join('\n')}\n`, {mode: 0o600});
	if (process.getuid?.() === 0 && !existsSync('/run/sshd')) {
		// sshd's privilege separation directory, which the openssh-server package leaves to the init system.
		await mkdir('/run/sshd', {recursive: true, mode: 0o755});
	}

	const hostKey = (await readFile(join(dir, 'host_ed25519.pub'), 'utf8')).trim().split(' ').slice(0, 2).join(' ');
	const hostKeyFingerprint = await fingerprintOf(join(dir, 'host_ed25519.pub'));
	for (let attempt = 1; ; attempt++) {
		const port = await freePort();
		await writeFile(join(dir, 'sshd_config'), sshdConfig(dir, port, options.logLevel ?? 'INFO', options.extraConfig ?? []));
		const started = await launch(join(dir, 'sshd_config'), port);
		if ('child' in started) {
			const {child, log} = started;
			return {
				host: '127.0.0.1',
				port,
				user: userInfo().username,
				hostKey,
				hostKeyFingerprint,
				knownHostsLine: `[127.0.0.1]:${port} ${hostKey}`,
				log,
				async stop() {
					await stopChild(child);
					await removeTempDir(dir);
				},
			};
		}

		if (!started.portTaken || attempt === 3) {
			await removeTempDir(dir);
			throw new Error(`sshd did not start:\n${started.log}`);
		}
	}
}

/** `extraConfig`: more sshd_config lines, e.g. `SetEnv PATH=…` to give sessions a stand-in program. */
function sshdConfig(dir: string, port: number, logLevel: string, extraConfig: readonly string[]): string {
	return [
		`Port ${port}`,
		'ListenAddress 127.0.0.1',
		`HostKey ${join(dir, 'host_ed25519')}`,
		`PidFile ${join(dir, 'sshd.pid')}`,
		`AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
		'StrictModes no',
		'UsePAM no',
		'PermitRootLogin prohibit-password',
		'PubkeyAuthentication yes',
		'PasswordAuthentication no',
		'KbdInteractiveAuthentication no',
		'AllowTcpForwarding yes',
		'PermitTTY yes',
		'X11Forwarding no',
		'PrintMotd no',
		'PrintLastLog no',
		'UseDNS no',
		`LogLevel ${logLevel}`,
		...extraConfig,
		'',
	].join('\n');
}

type Launch = {child: ChildProcess; log: () => string} | {portTaken: boolean; log: string};

async function launch(configPath: string, port: number): Promise<Launch> {
	const child = spawn(sshdPath, ['-D', '-e', '-f', configPath], {stdio: ['ignore', 'ignore', 'pipe']});
	let log = '';
	child.stderr!.setEncoding('utf8');
	return new Promise(resolve => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			resolve({portTaken: false, log: `${log}\n(no "Server listening" within 10 s)`});
		}, 10_000);
		child.stderr!.on('data', (text: string) => {
			log += text;
			if (log.includes(`Server listening on 127.0.0.1 port ${port}`)) {
				clearTimeout(timer);
				resolve({child, log: () => log});
			}
		});
		child.once('exit', () => {
			clearTimeout(timer);
			resolve({portTaken: /Address already in use/.test(log), log});
		});
		child.once('error', error => {
			clearTimeout(timer);
			resolve({portTaken: false, log: `${log}\n${error.message}`});
		});
	});
}

async function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) {
		return;
	}

	const exited = new Promise<void>(resolve => {
		child.once('exit', () => {
			resolve();
		});
	});
	child.kill('SIGTERM');
	await exited;
}
