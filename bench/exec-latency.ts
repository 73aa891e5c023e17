// Keystroke echo round trip through `wheelhouse exec` on an SSH host context, against OpenSSH's
// `ssh -tt` to the same sshd with the same key and config. Run by bench/run.mjs through tsx.
import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {spawnInPty, type PtyProcess} from './pty.mjs';
import {makeClientKey, makeTempDir, removeTempDir, startSshd} from '../test/helpers/sshd.js';

const bin = new URL('../bin/wheelhouse.js', import.meta.url).pathname;
const samples = Number(process.env.BENCH_EXEC_SAMPLES ?? 200);

/** Types one character at a time and times until the shell's echo of it comes back. */
async function echoRoundTrips(pty: PtyProcess, count: number): Promise<number[]> {
	const times: number[] = [];
	const letters = 'abcdefghijklmnopqrstuvwxyz';
	for (let index = 0; index < count; index++) {
		const letter = letters[index % letters.length]!;
		const echoed = new Promise<number>(resolve => {
			const onData = (chunk: Buffer) => {
				if (chunk.includes(letter)) {
					pty.child.stdout!.off('data', onData);
					resolve(performance.now());
				}
			};

			pty.child.stdout!.on('data', onData);
		});
		const sent = performance.now();
		pty.child.stdin!.write(letter);
		times.push(await echoed - sent);
		if (index % letters.length === letters.length - 1) {
			// Ctrl-U clears the line so it never wraps.
			pty.child.stdin!.write('\u0015');
			await new Promise(resolve => {
				setTimeout(resolve, 50);
			});
		}
	}

	return times;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], share: number): number => [...values].sort((a, b) => a - b)[Math.floor(values.length * share)]!;

async function measure(argv: string[], env: Record<string, string>): Promise<number[]> {
	const pty = spawnInPty(argv, {columns: 120, rows: 40, env});
	// A shell prompt ends in "$ " or, for root, "# ".
	for (let waited = 0; !/[$#] $/m.test(pty.output().trimEnd() + ' ') && waited < 15_000; waited += 50) {
		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
	}

	await new Promise(resolve => {
		setTimeout(resolve, 300);
	});
	const times = await echoRoundTrips(pty, samples);
	pty.child.stdin!.write('\u0015exit\r');
	await pty.exited();
	return times;
}

const home = await makeTempDir('bench-exec');
try {
	await mkdir(join(home, '.ssh'), {mode: 0o700});
	const key = await makeClientKey(join(home, '.ssh'), 'id_ed25519');
	const sshd = await startSshd({authorizedKeys: [key.publicKey]});
	try {
		const knownHosts = join(home, '.ssh', 'known_hosts');
		await writeFile(knownHosts, `${sshd.knownHostsLine}\n`);
		const sshConfig = join(home, '.ssh', 'config');
		await writeFile(sshConfig, [
			'Host bench-host',
			'  HostName 127.0.0.1',
			`  Port ${sshd.port}`,
			`  User ${sshd.user}`,
			`  IdentityFile ${key.path}`,
			`  UserKnownHostsFile ${knownHosts}`,
			'  IdentitiesOnly yes',
			'',
		].join('\n'));
		const configDir = join(home, 'wheelhouse');
		await mkdir(configDir);
		await writeFile(join(configDir, 'config.json'), JSON.stringify({current: 'bench-host', contexts: {'bench-host': {platform: 'ssh', destination: 'bench-host'}}}));
		const env = {HOME: home, WHEELHOUSE_CONFIG_DIR: configDir, SSH_AUTH_SOCK: ''};
		// Both open the same interactive login shell on the same sshd.
		const viaSsh = await measure(['ssh', '-tt', '-F', sshConfig, 'bench-host'], env);
		const viaWheelhouse = await measure([process.execPath, bin, 'exec'], env);
		const result = {
			samples,
			sshMedianMs: median(viaSsh),
			sshP95Ms: percentile(viaSsh, 0.95),
			wheelhouseMedianMs: median(viaWheelhouse),
			wheelhouseP95Ms: percentile(viaWheelhouse, 0.95),
		};
		process.stdout.write(`${JSON.stringify({...result, ratio: result.wheelhouseMedianMs / result.sshMedianMs})}\n`);
	} finally {
		await sshd.stop();
	}
} finally {
	await removeTempDir(home);
}
