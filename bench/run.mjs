// Prints the benchmark figures. `npm run bench` (BENCH_API_MINUTES sets the idle-dashboard window).
import {spawnSync} from 'node:child_process';
import {measureApiBudget} from './api-budget.mjs';
import {measureLogFlood, printLogFlood} from './log-flood.mjs';
import {measureLogsToPipe} from './logs-pipe.mjs';
import {measureStartup} from './startup.mjs';

const only = process.argv[2];
const round = value => Math.round(value * 10) / 10;

if (!only || only === 'startup') {
	const startup = await measureStartup();
	console.log('start-up (bundled, in-process sandbox, 120x40 pty; medians)');
	console.log(`  first frame                 ${round(startup.firstFrameMs)} ms   (target ≤ 300 ms)`);
	console.log(`  first frame with data       ${round(startup.firstDataFrameMs)} ms`);
	console.log(`  (pty + bare node baseline   ${round(startup.harnessMs)} ms, included in both)`);
	console.log(`  wheelhouse --version        ${round(startup.versionMs)} ms`);
	console.log(`  node -e 0                   ${round(startup.bareNodeMs)} ms`);
	console.log(`  --version / node -e 0       ${startup.versionRatio.toFixed(2)}x   (target ≤ 2x)`);
}

if (!only || only === 'api') {
	const budget = await measureApiBudget();
	console.log(`API budget (idle dashboard on a standalone sandbox, ${budget.minutes} min, counted by the sandbox)`);
	console.log(`  requests to first frame     ${budget.startupRequests}`);
	console.log(`  idle requests               ${budget.idleRequests}`);
	console.log(`  idle requests per hour      ${budget.requestsPerHour}   (target ≤ 600 per context)`);
	console.log(`  idle bytes to the terminal  ${budget.idleBytesPerSecond} B/s   (target ≤ 500 B/s)`);
}

if (!only || only === 'flood') {
	printLogFlood(await measureLogFlood());
}

if (!only || only === 'pipe') {
	const pipe = await measureLogsToPipe();
	console.log(`logs --follow into a pipe (${pipe.lines} lines replayed from a 100,000 lines/s sandbox flood)`);
	console.log(`  wheelhouse logs --follow     ${Math.round(pipe.wheelhouseLinesPerSecond)} lines/s`);
	console.log(`  cat of the same lines        ${Math.round(pipe.catLinesPerSecond)} lines/s`);
	console.log(`  ratio wheelhouse / cat       ${pipe.ratio.toFixed(3)}x`);
}

if (!only || only === 'exec') {
	// Written in TypeScript to share the tests' sshd helper: run through tsx.
	const run = spawnSync(process.execPath, ['--import=tsx', new URL('exec-latency.ts', import.meta.url).pathname], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']});
	const exec = JSON.parse(run.stdout);
	console.log(`keystroke echo round trip, interactive login shell on a real sshd (${exec.samples} keystrokes each)`);
	console.log(`  ssh -tt                      median ${exec.sshMedianMs.toFixed(2)} ms, p95 ${exec.sshP95Ms.toFixed(2)} ms`);
	console.log(`  wheelhouse exec              median ${exec.wheelhouseMedianMs.toFixed(2)} ms, p95 ${exec.wheelhouseP95Ms.toFixed(2)} ms`);
	console.log(`  ratio wheelhouse / ssh       ${exec.ratio.toFixed(2)}x   (target ≤ 1.2x)`);
}

if (!only || only === 'backup') {
	// The Compose host helper is TypeScript too: run through tsx.
	const run = spawnSync(process.execPath, ['--import=tsx', new URL('backup-over-ssh.ts', import.meta.url).pathname], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']});
	const backup = JSON.parse(run.stdout);
	const megabytes = bytes => `${Math.round(bytes / 1e6)} MB`;
	console.log(`backup of a ${megabytes(backup.databaseBytes)} database (${megabytes(backup.archiveBytes)} archive; best of 2)`);
	console.log(`  direct pg_dump -Fc           ${(backup.directMs / 1000).toFixed(1)} s`);
	console.log(`  Compose over SSH (${backup.route})    ${(backup.composeMs / 1000).toFixed(1)} s`);
	console.log(`  ratio direct / Compose       ${backup.ratio.toFixed(2)}x   (target ≥ 0.8x)`);
}
