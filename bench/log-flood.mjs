// Log flood: the console's log viewer on a fake 120×40 terminal, fed 20k, 50k and 100k lines a second
// (BENCH_FLOOD_SECONDS each, default 20), and the idle dashboard's output. `node bench/log-flood.mjs`.
// The measured code is bundled here with the production React build and run with --expose-gc.
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

async function bundle(directory) {
	const outfile = join(directory, 'log-flood-app.mjs');
	await build({
		entryPoints: [join(root, 'bench/log-flood-app.tsx')],
		outfile,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node22',
		define: {'process.env.NODE_ENV': '"production"'},
		alias: {'react-devtools-core': join(root, 'scripts/devtools-stub.mjs')},
		external: ['bufferutil', 'utf-8-validate'],
		banner: {js: "import {createRequire as __createRequire} from 'node:module';const require=__createRequire(import.meta.url);"},
		logLevel: 'warning',
	});
	return outfile;
}

async function run(file, env) {
	const child = spawn(process.execPath, ['--expose-gc', file], {env: {...process.env, ...env, NODE_ENV: 'production'}, stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	let errors = '';
	child.stdout.on('data', chunk => {
		output += chunk;
	});
	// Only shown on failure: Ink puts the cursor back on its way out, on stderr.
	child.stderr.on('data', chunk => {
		errors += chunk;
	});
	const code = await new Promise(resolve => {
		child.on('exit', resolve);
	});
	if (code !== 0) {
		throw new Error(`the log flood run exited ${code}: ${errors}${output}`);
	}

	return JSON.parse(output.trim().split('\n').at(-1));
}

/**
 * Figures for each rate: lines handled per second, CPU share of one core, frames and bytes per
 * second, heap after GC at the start and end; plus the idle dashboard's bytes per second.
 */
export async function measureLogFlood({seconds = Number(process.env.BENCH_FLOOD_SECONDS ?? 20), rates = [20_000, 50_000, 100_000]} = {}) {
	const directory = mkdtempSync(join(tmpdir(), 'wheelhouse-flood-'));
	try {
		const file = await bundle(directory);
		return await run(file, {BENCH_FLOOD_SECONDS: String(seconds), BENCH_FLOOD_RATES: rates.join(',')});
	} finally {
		rmSync(directory, {recursive: true, force: true});
	}
}

const round = value => Math.round(value * 10) / 10;
const thousands = value => Math.round(value).toLocaleString('en-US');

export function printLogFlood(figures, log = console.log) {
	log(`log flood (viewer following on a 120x40 fake terminal, production React, ${thousands(figures.totalLines)} lines in all)`);
	log('  offered/s  handled/s  CPU of 1 core (of it: making lines)  frames/s  to the terminal  heap after GC: start → end  max loop delay');
	for (const phase of figures.phases) {
		const cpu = `${round(phase.cpuShare * 100)} % (${round(phase.generatorShare * 100)} %)`;
		log(`  ${thousands(phase.rate).padStart(9)}  ${thousands(phase.linesPerSecond).padStart(9)}  ${cpu.padEnd(35)}  ${String(round(phase.framesPerSecond)).padStart(8)}  ${`${round(phase.bytesPerSecond / 1024)} KB/s`.padStart(15)}  ${`${round(phase.heapStartMb)} MB → ${round(phase.heapEndMb)} MB`.padEnd(26)}  ${Math.round(phase.maxLoopDelayMs)} ms`);
	}

	log('  targets: ≥ 50,000 lines/s; ≤ 50 % of a core; heap flat once the 100,000-line buffer is full; ≤ 60 KB/s');
	log(`  heap with the viewer open and empty: ${round(figures.heapEmptyViewerMb)} MB; making one synthetic line costs ${figures.generatorMicros.toFixed(2)} µs`);
	log(`  idle dashboard: ${round(figures.idleBytesPerSecond)} B/s   (target ≤ 500 B/s)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	printLogFlood(await measureLogFlood());
}
