// `wheelhouse logs --follow` into a pipe against `cat` of the same lines into the same pipe reader.
import {spawn} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {startStandaloneSandbox} from './sandbox-process.mjs';

const bin = new URL('../bin/wheelhouse.js', import.meta.url).pathname;

/** Reads a child's stdout until `lines` lines have arrived; returns the elapsed ms and the text. */
async function readLines(child, lines) {
	const started = performance.now();
	let count = 0;
	const chunks = [];
	await new Promise((resolve, reject) => {
		child.stdout.on('data', chunk => {
			chunks.push(chunk);
			for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) {
				count++;
			}

			if (count >= lines) {
				resolve();
			}
		});
		child.on('exit', code => {
			if (count < lines) {
				reject(new Error(`exited ${code} after ${count} lines`));
			}
		});
	});
	const elapsed = performance.now() - started;
	child.kill('SIGKILL');
	return {elapsed, text: Buffer.concat(chunks).toString('utf8')};
}

export async function measureLogsToPipe({lines = 300_000} = {}) {
	const sandbox = await startStandaloneSandbox(['--log-rate', '100000']);
	try {
		// Let the flood build up history, then replay it through the live tail from that time.
		await sleep(Math.ceil(lines / 100_000) * 1000 + 1500);
		const configDir = mkdtempSync(join(tmpdir(), 'wheelhouse-bench-'));
		const wheelhouse = spawn(process.execPath, [bin, 'logs', 'notechondria-backend', '--follow', '--since', `${Math.ceil(lines / 100_000) + 1}s`, '--sandbox-url', sandbox.url], {env: {...process.env, WHEELHOUSE_CONFIG_DIR: configDir}, stdio: ['ignore', 'pipe', 'inherit']});
		const viaWheelhouse = await readLines(wheelhouse, lines);
		const file = join(configDir, 'lines.log');
		writeFileSync(file, viaWheelhouse.text);
		const cat = spawn('cat', [file], {stdio: ['ignore', 'pipe', 'inherit']});
		const viaCat = await readLines(cat, lines);
		return {
			lines,
			wheelhouseLinesPerSecond: lines / (viaWheelhouse.elapsed / 1000),
			catLinesPerSecond: lines / (viaCat.elapsed / 1000),
			ratio: viaCat.elapsed / viaWheelhouse.elapsed,
		};
	} finally {
		sandbox.child.kill('SIGTERM');
	}
}
