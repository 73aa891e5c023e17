import {mkdir, readdir, readFile, stat, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import test from 'ava';
import {WheelhouseError} from '../../../source/core/errors.js';
import {processRedactor} from '../../../source/infra/redact.js';
import {isRunId, newRunId} from '../../../source/runbooks/engine/run-id.js';
import {RunbookRunner} from '../../../source/runbooks/engine/runner.js';
import {yesOperator} from '../../../source/runbooks/engine/operators.js';
import {deadPid, effectStep, journalFor, provider, runbookOf, temporaryState, World} from './world.js';

test('run ids sort by the second they were made and look like 2026-11-22T10-04-12Z-7f3a', t => {
	const id = newRunId(new Date('2026-11-22T10:04:12.345Z'));
	t.regex(id, /^2026-11-22T10-04-12Z-[\da-f]{4}$/);
	t.true(isRunId(id));
	t.true(newRunId(new Date('2026-11-22T10:04:13Z')) > newRunId(new Date('2026-11-22T10:04:12Z')));
	t.false(isRunId('../../etc/passwd'));
});

test('journals are written 0600 in a 0700 directory, and no registered secret reaches the file', async t => {
	const secret = 'pg-password-Zq81xkLm0oPa';
	processRedactor.add(secret);
	const world = new World(0);
	const leaky = effectStep(world, 'backup', {wait: false});
	leaky.action = async context => {
		world.apply('backup');
		context.log(`connecting with ${secret}`);
		await context.record({backup: {id: 'bk-1', method: 'dump', path: `/tmp/${secret}.dump`}});
		await context.handle('url', `postgresql://app:unregistered-pass@db:5432/app`);
		throw new Error(`pg_dump: password authentication failed for "${secret}"`);
	};

	const runbook = runbookOf(world, [leaky]);
	const {store, lock} = await temporaryState(t);
	const runner = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'alice'}), journal: journalFor(runbook), store, lock, options: {yes: true}});
	t.deepEqual(await runner.start(), {status: 'failed'});
	const path = store.pathOf(runner.view().journal.runId);
	const text = await readFile(path, 'utf8');
	t.false(text.includes(secret));
	t.false(text.includes('unregistered-pass'), 'URL passwords are masked even when not registered');
	t.true(text.includes('pg_dump: password authentication failed for'));
	t.true(text.includes('postgresql://app:…@db:5432/app'));
	t.is((await stat(path)).mode & 0o777, 0o600);
	t.is((await stat(store.directory)).mode & 0o777, 0o700);
	t.false(JSON.stringify(runner.view()).includes(secret), 'nor does the view the TUI draws');
	t.deepEqual((await readdir(store.directory)).filter(name => name.endsWith('.tmp')), [], 'no temp file is left behind');
});

test('many rapid writes of one journal never interleave: the file is whole and holds the last state', async t => {
	const {store} = await temporaryState(t);
	const runbook = runbookOf(new World(), []);
	const journal = journalFor(runbook);
	const writes: Array<Promise<void>> = [];
	for (let index = 0; index < 300; index++) {
		journal.events.push({at: new Date().toISOString(), event: `event ${index}`});
		writes.push(store.save(journal));
	}

	let reads = 0;
	const reader = (async () => {
		while (reads < 200) {
			reads++;
			try {
				JSON.parse(await readFile(store.pathOf(journal.runId), 'utf8'));
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
					throw error;
				}
			}
		}
	})();
	await Promise.all([...writes, reader]);
	const saved = await store.load(journal.runId);
	t.is(saved.events.length, 300);
	t.is(saved.events.at(-1)!.event, 'event 299');
	t.deepEqual(await readdir(store.directory), [`${journal.runId}.json`]);
});

test('many concurrent record() calls from a step all land in the journal', async t => {
	const world = new World(0);
	const busy = effectStep(world, 'migrate', {wait: false});
	busy.action = async context => {
		world.apply('migrate');
		await Promise.all(Array.from({length: 100}, async (_, index) => context.record({migrations: {tool: 'django', plan: [`notes.${index}`]}})));
		await Promise.all(Array.from({length: 100}, async (_, index) => context.handle(`h${index}`, String(index))));
	};

	const runbook = runbookOf(world, [busy]);
	const {store, lock} = await temporaryState(t);
	const runner = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'alice'}), journal: journalFor(runbook), store, lock, options: {yes: true}});
	t.deepEqual(await runner.start(), {status: 'succeeded'});
	const saved = await store.load(runner.view().journal.runId);
	t.deepEqual(saved.facts.migrations?.plan, ['notes.99']);
	t.is(Object.keys(saved.steps[0]!.handles ?? {}).length, 100);
});

test('list() is newest first and reports unreadable files without deleting them', async t => {
	const {store} = await temporaryState(t);
	const runbook = runbookOf(new World(), []);
	const older = {...journalFor(runbook), runId: '2026-11-20T08-00-00Z-aaaa'};
	const newer = {...journalFor(runbook), runId: '2026-11-22T08-00-00Z-bbbb'};
	await store.save(older);
	await store.save(newer);
	const broken = join(store.directory, '2026-11-21T08-00-00Z-cccc.json');
	await writeFile(broken, '{"version": 1, "runId": ');
	const future = join(store.directory, '2026-11-23T08-00-00Z-dddd.json');
	await writeFile(future, JSON.stringify({version: 2, runId: '2026-11-23T08-00-00Z-dddd'}));
	const {journals, unreadable} = await store.list();
	t.deepEqual(journals.map(journal => journal.runId), [newer.runId, older.runId]);
	t.deepEqual(unreadable.map(entry => entry.file), [future, broken]);
	t.regex(unreadable[1]!.reason, /^not JSON/);
	t.regex(unreadable[0]!.reason, /journal version 2/);
	t.true((await readdir(store.directory)).includes('2026-11-21T08-00-00Z-cccc.json'), 'the broken file is still there');
	const error = await t.throwsAsync(store.load('2026-11-21T08-00-00Z-cccc'), {instanceOf: WheelhouseError});
	t.regex(error.message, /cannot be read: not JSON/);
	await t.throwsAsync(store.load('2026-11-19T08-00-00Z-eeee'), {message: /^No run 2026-11-19T08-00-00Z-eeee in /});
});

test('an empty state directory lists no runs', async t => {
	const {store} = await temporaryState(t);
	t.deepEqual(await store.list(), {journals: [], unreadable: []});
	await mkdir(store.directory);
	t.deepEqual(await store.findUnfinished('production'), []);
});

test('findUnfinished reports runs left part-way, a dead process\'s run as interrupted', async t => {
	const {store} = await temporaryState(t);
	const runbook = runbookOf(new World(), [effectStep(new World(), 'backup'), effectStep(new World(), 'deploy')]);
	const make = (runId: string, status: 'planned' | 'running' | 'succeeded' | 'stopped' | 'failed', stepStatus: 'pending' | 'running' | 'succeeded', extra: {pid?: number; context?: string} = {}) => {
		const journal = journalFor(runbook, extra.context ?? 'production');
		return {...journal, runId, status, pid: extra.pid ?? process.pid, steps: journal.steps.map((step, index) => ({...step, status: index === 0 ? stepStatus : 'pending' as const}))};
	};

	const dead = await deadPid();
	await store.save(make('2026-11-22T01-00-00Z-0001', 'running', 'running', {pid: dead}));
	await store.save(make('2026-11-22T02-00-00Z-0002', 'running', 'succeeded'));
	await store.save(make('2026-11-22T03-00-00Z-0003', 'planned', 'pending'));
	await store.save(make('2026-11-22T04-00-00Z-0004', 'succeeded', 'succeeded'));
	await store.save(make('2026-11-22T05-00-00Z-0005', 'stopped', 'running'));
	await store.save(make('2026-11-22T06-00-00Z-0006', 'stopped', 'succeeded'));
	await store.save(make('2026-11-22T07-00-00Z-0007', 'running', 'running', {context: 'staging', pid: dead}));
	const unfinished = await store.findUnfinished('production');
	t.deepEqual(unfinished.map(journal => [journal.runId, journal.status]), [
		['2026-11-22T05-00-00Z-0005', 'stopped'],
		['2026-11-22T02-00-00Z-0002', 'running'],
		['2026-11-22T01-00-00Z-0001', 'interrupted'],
	]);
});
