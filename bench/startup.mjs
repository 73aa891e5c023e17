// Start-up figures: time to the first painted frame and to the first frame with data, for the bundled
// console on the in-process sandbox; and `wheelhouse --version` against a bare `node -e 0`.
import {spawnSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {spawnInPty} from './pty.mjs';

const bin = new URL('../bin/wheelhouse.js', import.meta.url).pathname;

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

function timeCommand(argv, runs) {
	const samples = [];
	for (let index = 0; index < runs; index++) {
		const start = performance.now();
		const result = spawnSync(argv[0], argv.slice(1), {stdio: 'ignore'});
		if (result.status !== 0) {
			throw new Error(`${argv.join(' ')} exited ${result.status}`);
		}

		samples.push(performance.now() - start);
	}

	return median(samples);
}

export async function measureStartup({runs = 7} = {}) {
	const firstFrame = [];
	const firstData = [];
	for (let index = 0; index < runs; index++) {
		// An empty config directory: no context, so the console opens on the sandbox.
		const configDir = mkdtempSync(join(tmpdir(), 'wheelhouse-bench-'));
		const start = performance.now();
		const pty = spawnInPty([process.execPath, bin], {env: {WHEELHOUSE_CONFIG_DIR: configDir}});
		// The header is the first thing painted; the service row needs the API.
		const frame = await pty.waitFor('wheelhouse');
		const data = await pty.waitFor('notechondria-backend');
		firstFrame.push(frame - start);
		firstData.push(data - start);
		await pty.stop();
	}

	// What the pseudo-terminal harness itself costs: `script` starting a bare node that prints one byte.
	const harness = [];
	for (let index = 0; index < runs; index++) {
		const start = performance.now();
		const pty = spawnInPty([process.execPath, '-e', 'process.stdout.write("ready")']);
		harness.push(await pty.waitFor('ready') - start);
		await new Promise(resolve => {
			pty.child.on('exit', resolve);
		});
	}

	const versionMs = timeCommand([process.execPath, bin, '--version'], 21);
	const bareNodeMs = timeCommand([process.execPath, '-e', '0'], 21);
	return {
		firstFrameMs: median(firstFrame),
		harnessMs: median(harness),
		firstDataFrameMs: median(firstData),
		versionMs,
		bareNodeMs,
		versionRatio: versionMs / bareNodeMs,
	};
}
