// A real process running a runbook, killed with SIGKILL at every step boundary, in the middle of a wait
// and right after each journal write; the run is then resumed here, and every effect file must hold
// exactly one line.
import {spawn} from 'node:child_process';
import {mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {isRunId, newRunId} from '../../../source/runbooks/engine/run-id.js';
import {JournalStore} from '../../../source/runbooks/engine/journal-store.js';
import {yesOperator} from '../../../source/runbooks/engine/operators.js';
import {ReleaseLock} from '../../../source/runbooks/engine/release-lock.js';
import {RunbookRunner} from '../../../source/runbooks/engine/runner.js';
import {effectLines, fileRunbook, fileStepIds} from './fixtures/file-runbook.js';
import {provider, temporaryState} from './world.js';

const script = fileURLToPath(new URL('fixtures/kill-runner.ts', import.meta.url));

/** Three steps: a write before the lock, one when it is taken, three per step, two at the end. */
const journalWrites = 2 + (3 * fileStepIds.length) + 2;

const killPoints = [
	...fileStepIds.flatMap(id => [`before-action:${id}`, `applied:${id}`, `after-action:${id}`, `mid-wait:${id}`, `verify:${id}`]),
	...Array.from({length: journalWrites - 1}, (_, index) => `saved:${index + 2}`),
];

// A few children at a time: each loads TypeScript through tsx.
let running = 0;
const queue: Array<() => void> = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
	if (running >= 4) {
		await new Promise<void>(resolve => queue.push(resolve));
	}

	running++;
	try {
		return await work();
	} finally {
		running--;
		queue.shift()?.();
	}
}

/** Runs the child until it says KILLME, kills it with SIGKILL, and returns what it printed. */
async function runAndKill(args: string[]): Promise<{output: string; signal: NodeJS.Signals | null}> {
	const child = spawn(process.execPath, ['--import=tsx', script, ...args], {stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => {
		output += chunk.toString('utf8');
		if (output.includes('KILLME')) {
			child.kill('SIGKILL');
		}
	});
	child.stderr.on('data', (chunk: Buffer) => {
		output += chunk.toString('utf8');
	});
	const signal = await new Promise<NodeJS.Signals | null>(resolve => {
		child.once('exit', (_code, exitSignal) => resolve(exitSignal));
	});
	return {output, signal};
}

for (const point of killPoints) {
	test(`kill -9 at ${point}, then resume: every effect written exactly once`, async t => {
		const {stateDir} = await temporaryState(t);
		const effects = join(stateDir, 'effects');
		await mkdir(effects);
		const runId = newRunId();
		t.true(isRunId(runId));
		const {output, signal} = await slot(async () => runAndKill([stateDir, effects, runId, point]));
		t.is(signal, 'SIGKILL', output);

		const store = new JournalStore(stateDir);
		const lock = new ReleaseLock(stateDir, store);
		const journal = await store.load(runId);
		const afterTheEnd = point === `saved:${journalWrites - 1}` || point === `saved:${journalWrites}`;
		if (afterTheEnd) {
			t.is(journal.status, 'succeeded', 'killed after the run ended');
			t.deepEqual(await store.findUnfinished('production'), []);
		} else {
			const [interrupted] = await store.findUnfinished('production');
			t.is(interrupted?.status, 'interrupted', 'the killed run is found as interrupted');
		}

		if (point !== `saved:${journalWrites}`) {
			t.not((await lock.holder('production'))?.pid, process.pid, 'the killed process still holds the lock');
		}

		const runner = new RunbookRunner({runbook: fileRunbook(effects), provider, operator: yesOperator({name: 'bob'}), journal, store, lock, options: {yes: true}});
		t.deepEqual(await runner.resume(), {status: 'succeeded'});
		for (const id of fileStepIds) {
			t.is((await effectLines(effects, id)).length, 1, `${id}.effect`);
		}

		t.is(await lock.holder('production'), undefined, 'the lock was given back at the end');
		t.deepEqual(await store.findUnfinished('production'), []);
	});
}

test('the child finishes the run when it is not killed, writing the journal as often as the kill points assume', async t => {
	const {stateDir} = await temporaryState(t);
	const effects = join(stateDir, 'effects');
	await mkdir(effects);
	const runId = newRunId();
	const {output} = await slot(async () => runAndKill([stateDir, effects, runId, `saved:${journalWrites + 1}`]));
	t.regex(output, /FINISHED succeeded/);
	t.notRegex(output, /KILLME/, `the run writes its journal ${journalWrites} times`);
	const moreEffects = join(stateDir, 'more-effects');
	await mkdir(moreEffects);
	const {output: last} = await slot(async () => runAndKill([stateDir, moreEffects, newRunId(), `saved:${journalWrites}`]));
	t.regex(last, /KILLME/);
});
