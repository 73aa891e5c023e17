// The in-process half of the log flood benchmark, bundled by log-flood.mjs with the production React
// build: the whole console on a fake 120×40 terminal, its log viewer fed by a synthetic source at
// fixed rates, measured from inside (CPU, heap after GC, frames, bytes written). Prints one JSON line.
import {Buffer} from 'node:buffer';
import process from 'node:process';
import {PassThrough, Writable} from 'node:stream';
import {render} from 'ink';
import type {LiveSource, LiveState} from '../source/core/live-state.js';
import type {LogSessionSource} from '../source/core/log-source.js';
import type {LogLine, LogTarget} from '../source/core/logs.js';
import type {DashboardSnapshot} from '../source/core/types.js';
import {App} from '../source/ui/app.js';
import {fullScreenRenderOptions} from '../source/ui/terminal.js';

class FakeTerminal extends Writable {
	readonly isTTY = true;
	bytes = 0;
	writes = 0;

	constructor(readonly columns: number, readonly rows: number) {
		super({decodeStrings: false});
	}

	override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
		this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
		this.writes++;
		callback();
	}

	getColorDepth(): number {
		return 8;
	}

	hasColors(): boolean {
		return true;
	}
}

class FakeKeyboard extends PassThrough {
	readonly isTTY = true;
	isRaw = false;

	setRawMode(mode: boolean): this {
		this.isRaw = mode;
		return this;
	}

	ref(): this {
		return this;
	}

	unref(): this {
		return this;
	}
}

const sleep = async (ms: number) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

const paths = ['/api/notes/', '/api/notes/1842/', '/api/health/', '/api/courses/12/planner/', '/static/app.css', '/api/auth/token/refresh/'];
const statuses = [200, 200, 200, 200, 201, 204, 304, 404, 500];
const loggers = ['notes.views', 'planner.tasks', 'django.request', 'sync.github', 'auth.middleware'];

/** A realistic, ever-different line: gunicorn access lines, Django logs, JSON, colour, a traceback line. */
function syntheticText(index: number): string {
	switch (index % 10) {
		case 0:
		case 1:
		case 2:
		case 3: {
			return `10.0.${index % 7}.${index % 251} - - [22/Nov/2026:03:12:40 +0000] "GET ${paths[index % paths.length]}?page=${index % 97} HTTP/1.1" ${statuses[index % statuses.length]} ${(index * 37) % 9000} "-" "Mozilla/5.0 (X11; Linux x86_64) req-${index}"`;
		}

		case 4:
		case 5: {
			return `{"time":"2026-11-22T03:12:40.${String(index % 1000).padStart(3, '0')}Z","level":"${index % 20 === 5 ? 'warning' : 'info'}","logger":"${loggers[index % loggers.length]}","msg":"Saved note ${index}","duration_ms":${index % 250},"user_id":${index % 5000},"request_id":"r-${index.toString(36)}"}`;
		}

		case 6: {
			return `[2026-11-22 03:12:40 +0000] [${7 + (index % 4)}] [INFO] Worker handled request ${index} in ${index % 900} ms`;
		}

		case 7: {
			return `\u001B[32mINFO\u001B[0m ${loggers[index % loggers.length]} cache hit for key notes:${index} (${index % 64} KB)`;
		}

		case 8: {
			return `WARNING 2026-11-22 03:12:40,${index % 1000} planner.tasks Slow query (${index % 3000} ms): SELECT "planner_task"."id" FROM "planner_task" WHERE "course_id" = ${index % 400}`;
		}

		default: {
			return index % 100 === 9
				? `ERROR 2026-11-22 03:12:40 django.request Internal Server Error: /api/notes/${index}/ \u001B]0;pwned\u0007`
				: `  File "/home/notechondria/notes/views.py", line ${index % 800}, in update_note ${index}`;
		}
	}
}

/** A LogSessionSource that delivers `rate` lines a second in 10 ms batches, as a WebSocket tail would. */
function syntheticSource(targets: LogTarget[]): LogSessionSource & {setRate(rate: number): void; emitted: number} {
	let timer: ReturnType<typeof setInterval> | undefined;
	let rate = 0;
	let rateSince = performance.now();
	let dueBefore = 0;
	let emitted = 0;
	const label = targets[0]?.name ?? 'bench';
	const source = {
		targets,
		start(handlers: Parameters<LogSessionSource['start']>[0]) {
			handlers.onState(targets[0]!, {status: 'live', reconnects: 0, longestGapSeconds: 0, duplicatesDropped: 0});
			timer = setInterval(() => {
				// Catch up with the clock: a slow loop gets bigger batches, not fewer lines.
				const due = dueBefore + Math.floor(rate * (performance.now() - rateSince) / 1000);
				const lines: LogLine[] = [];
				const now = Date.now();
				for (; emitted < due; emitted++) {
					lines.push({source: label, container: 'notechondria-backend-78b4d4459d-x7k2p', timestamp: now, cursor: '', text: syntheticText(emitted)});
				}

				if (lines.length > 0) {
					handlers.onLines(lines);
				}
			}, 10);
		},
		stop() {
			clearInterval(timer);
		},
		async fetchOlder() {
			return {lines: [], hasMore: false};
		},
		setRate(next: number) {
			dueBefore = emitted;
			rateSince = performance.now();
			rate = next;
		},
		get emitted() {
			return emitted;
		},
	};
	return source;
}

function snapshot(): DashboardSnapshot {
	const now = Date.now();
	return {
		project: {id: 'notechondria', name: 'notechondria', region: 'europe-west'},
		services: [{
			id: 'notechondria-backend',
			name: 'notechondria-backend',
			kind: 'combined',
			deployment: {status: 'completed', rawStatus: 'COMPLETED', since: new Date(now - 86_400_000)},
			paused: false,
			instances: 1,
			containers: [{name: 'notechondria-backend-78b4d4459d-x7k2p', status: 'running', rawStatus: 'TASK_RUNNING', createdAt: new Date(now - 86_400_000)}],
			health: 'healthy',
			healthReason: '1 of 1 containers running',
		}],
		addons: [],
		jobs: [],
		builds: {'notechondria-backend': []},
	};
}

function staticLiveSource(): LiveSource {
	const state: LiveState = {snapshot: snapshot(), updatedAt: new Date(), loading: false, transitioning: false, requests: 0, budget: {}};
	return {
		getState: () => state,
		subscribe: () => () => undefined,
		refreshNow() {},
		selectService() {},
		start() {},
		stop() {},
	};
}

const heapAfterGc = (): number => {
	globalThis.gc?.();
	globalThis.gc?.();
	return process.memoryUsage().heapUsed;
};

const cpuMs = (): number => {
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1000;
};

/** What making the synthetic lines costs by itself (it runs in the measured process), in µs a line. */
function generatorMicrosPerLine(): number {
	const count = 200_000;
	const lines: LogLine[] = [];
	const before = cpuMs();
	for (let index = 0; index < count; index++) {
		lines.push({source: 'bench', container: 'notechondria-backend-78b4d4459d-x7k2p', timestamp: Date.now(), cursor: '', text: syntheticText(index)});
		if (lines.length === 500) {
			lines.length = 0;
		}
	}

	return (cpuMs() - before) * 1000 / count;
}

export type FloodPhase = {
	rate: number;
	seconds: number;
	lines: number;
	linesPerSecond: number;
	cpuShare: number;
	/** The share of that spent making the synthetic lines. */
	generatorShare: number;
	framesPerSecond: number;
	bytesPerSecond: number;
	heapStartMb: number;
	heapEndMb: number;
	maxLoopDelayMs: number;
};

async function main(): Promise<void> {
	const seconds = Number(process.env.BENCH_FLOOD_SECONDS ?? 20);
	const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? Math.min(10, seconds));
	const rates = (process.env.BENCH_FLOOD_RATES ?? '20000,50000,100000').split(',').map(Number);
	generatorMicrosPerLine();
	const generatorMicros = generatorMicrosPerLine();
	const terminal = new FakeTerminal(120, 40);
	const keyboard = new FakeKeyboard();
	keyboard.setEncoding('utf8');
	let frames = 0;
	let source: ReturnType<typeof syntheticSource> | undefined;
	const instance = render(
		<App
			source={staticLiveSource()}
			context={{name: 'bench', sandbox: true, platform: 'northflank'}}
			openLogs={targets => {
				source = syntheticSource(targets);
				return source;
			}}
		/>,
		{
			...fullScreenRenderOptions({stdout: terminal as unknown as NodeJS.WriteStream, stderr: terminal as unknown as NodeJS.WriteStream, stdin: keyboard as unknown as NodeJS.ReadStream}),
			onRender() {
				frames++;
			},
		},
	);

	// The idle dashboard first: only the "updated Ns ago" label changes, once a second.
	await sleep(1500);
	const idleBytesBefore = terminal.bytes;
	await sleep(idleSeconds * 1000);
	const idleBytesPerSecond = (terminal.bytes - idleBytesBefore) / idleSeconds;

	keyboard.write('l');
	await sleep(300);
	if (!source) {
		throw new Error('The log viewer did not open.');
	}

	const heapEmptyViewerMb = heapAfterGc() / 1e6;
	const phases: FloodPhase[] = [];
	for (const rate of rates) {
		const heapStart = heapAfterGc();
		const linesBefore = source.emitted;
		const bytesBefore = terminal.bytes;
		const framesBefore = frames;
		const cpuBefore = cpuMs();
		const started = performance.now();
		let maxLoopDelayMs = 0;
		let lastTick = performance.now();
		const probe = setInterval(() => {
			const now = performance.now();
			maxLoopDelayMs = Math.max(maxLoopDelayMs, now - lastTick - 50);
			lastTick = now;
		}, 50);
		source.setRate(rate);
		await sleep(seconds * 1000);
		source.setRate(0);
		clearInterval(probe);
		const elapsed = (performance.now() - started) / 1000;
		const cpu = cpuMs() - cpuBefore;
		const lines = source.emitted - linesBefore;
		phases.push({
			rate,
			seconds: elapsed,
			lines,
			linesPerSecond: lines / elapsed,
			cpuShare: cpu / 1000 / elapsed,
			generatorShare: generatorMicros * lines / 1e6 / elapsed,
			framesPerSecond: (frames - framesBefore) / elapsed,
			bytesPerSecond: (terminal.bytes - bytesBefore) / elapsed,
			heapStartMb: heapStart / 1e6,
			heapEndMb: heapAfterGc() / 1e6,
			maxLoopDelayMs,
		});
		await sleep(500);
	}

	instance.unmount();
	await instance.waitUntilExit().catch(() => undefined);
	process.stdout.write(`${JSON.stringify({idleBytesPerSecond, heapEmptyViewerMb, generatorMicros, totalLines: source.emitted, phases})}\n`);
	process.exit(0);
}

await main();
