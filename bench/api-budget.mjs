// API budget: requests the idle dashboard makes, counted by a standalone sandbox, per hour.
import {spawn} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {spawnInPty} from './pty.mjs';

const bin = new URL('../bin/wheelhouse.js', import.meta.url).pathname;

async function startSandbox() {
	const child = spawn(process.execPath, [bin, 'sandbox', '--port', '0'], {stdio: ['ignore', 'pipe', 'inherit']});
	let output = '';
	const url = await new Promise((resolve, reject) => {
		child.stdout.on('data', chunk => {
			output += chunk;
			const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
			if (match) {
				resolve(match[1]);
			}
		});
		child.on('exit', code => reject(new Error(`sandbox exited ${code}: ${output}`)));
	});
	const token = /token (\S+?)\)?$/m.exec(output)?.[1];
	return {child, url, token};
}

async function countRequests(sandbox) {
	const response = await fetch(`${sandbox.url}/_sandbox/stats`, {headers: {authorization: `Bearer ${sandbox.token}`}});
	const stats = await response.json();
	return stats.data?.total ?? stats.total;
}

export async function measureApiBudget({minutes = Number(process.env.BENCH_API_MINUTES ?? 6)} = {}) {
	const sandbox = await startSandbox();
	try {
		const configDir = mkdtempSync(join(tmpdir(), 'wheelhouse-bench-'));
		const before = await countRequests(sandbox);
		const pty = spawnInPty([process.execPath, bin, '--sandbox-url', sandbox.url], {env: {WHEELHOUSE_CONFIG_DIR: configDir}});
		await pty.waitFor('notechondria-backend');
		const started = performance.now();
		const afterStart = await countRequests(sandbox);
		const bytesAtStart = pty.bytes;
		await sleep(minutes * 60_000);
		const after = await countRequests(sandbox);
		const idleBytes = pty.bytes - bytesAtStart;
		const elapsedMs = performance.now() - started;
		const elapsedHours = elapsedMs / 3_600_000;
		await pty.stop();
		const idleRequests = after - afterStart;
		return {
			minutes,
			startupRequests: afterStart - before,
			idleRequests,
			requestsPerHour: Math.round(idleRequests / elapsedHours),
			idleBytesPerSecond: Math.round(idleBytes / (elapsedMs / 1000)),
		};
	} finally {
		sandbox.child.kill('SIGTERM');
	}
}
