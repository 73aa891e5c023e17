// API budget: requests the idle dashboard makes, counted by a standalone sandbox, per hour.
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {spawnInPty} from './pty.mjs';
import {startStandaloneSandbox} from './sandbox-process.mjs';

const bin = new URL('../bin/wheelhouse.js', import.meta.url).pathname;

async function countRequests(sandbox) {
	const response = await fetch(`${sandbox.url}/_sandbox/stats`, {headers: {authorization: `Bearer ${sandbox.token}`}});
	const stats = await response.json();
	return stats.data?.total ?? stats.total;
}

export async function measureApiBudget({minutes = Number(process.env.BENCH_API_MINUTES ?? 6)} = {}) {
	const sandbox = await startStandaloneSandbox();
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
