// The log's history outlives changes: rate changes, aborts and restarts leave written lines alone.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'ava';
import {UsageError} from '../../source/core/errors.js';
import {startSandbox} from '../../source/sandbox/index.js';
import {FakeClock, jobPath, sandboxFor, servicePath} from './helpers.js';
import {assertContiguous, seqOf, textOf, type Entry} from './log-helpers.js';

const iso = (ms: number) => new Date(ms).toISOString();

test('GET and POST /_sandbox/log-rate read and change the rate; bad rates are 400 or a UsageError', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	t.deepEqual((await api.get('/_sandbox/log-rate')).body.data, {linesPerSecond: 3, maxLinesPerSecond: 100_000});
	t.deepEqual((await api.post('/_sandbox/log-rate', {linesPerSecond: 250})).body.data, {linesPerSecond: 250, maxLinesPerSecond: 100_000});
	t.is((await api.get('/_sandbox/info')).body.data.logRate, 250);
	for (const linesPerSecond of [0, -1, 100_001, 'fast']) {
		const reply = await api.post('/_sandbox/log-rate', {linesPerSecond});
		t.is(reply.status, 400);
		t.regex(reply.body.error.message, /"linesPerSecond" must be a number above 0 and at most 100000/);
	}

	clock.advance(10_000);
	const lines = (await api.get(`${servicePath}/logs?duration=10&lineLimit=10000`)).body.data as Entry[];
	t.true(lines.length > 2000, `${lines.length} lines in 10 s at 250 lines/s`);
	await t.throwsAsync(startSandbox({logRate: 0}), {instanceOf: UsageError, message: /log rate/});
});

test('a restarted sandbox with the same state reads the same history and keeps the rate it was given', async t => {
	const stateDir = await mkdtemp(path.join(tmpdir(), 'wheelhouse-logs-'));
	t.teardown(async () => rm(stateDir, {recursive: true, force: true}));
	const clock = new FakeClock();
	const first = await sandboxFor(t, {stateDir, now: clock.now});
	clock.advance(60_000);
	await first.post('/_sandbox/log-rate', {linesPerSecond: 40});
	clock.advance(60_000);
	const window = `startTime=${iso(clock.t - 180_000)}&endTime=${iso(clock.t)}&direction=forward&lineLimit=10000`;
	const before = (await first.get(`${servicePath}/logs?${window}`)).body.data as Entry[];
	await first.sandbox.close();

	clock.advance(5000);
	const second = await sandboxFor(t, {stateDir, now: clock.now});
	t.deepEqual((await second.get(`${servicePath}/logs?${window}`)).body.data, before);
	t.is((await second.get('/_sandbox/log-rate')).body.data.linesPerSecond, 40);
	const after = (await second.get(`${servicePath}/logs?startTime=${before.at(-1)!.ts}&direction=forward&lineLimit=10000`)).body.data as Entry[];
	t.notThrows(() => {
		assertContiguous([...before, ...after.slice(1)].map(entry => seqOf(entry)));
	});
});

test('an aborted build\'s log stops where it was aborted, and what it wrote stays as it was', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const build = (await api.post(`${servicePath}/build`, {})).body.data;
	const read = async () => (await api.get(`${servicePath}/build-logs?buildId=${build.id as string}&direction=forward&duration=120&lineLimit=10000`)).body.data as Entry[];
	clock.advance(15_000);
	const written = await read();
	t.regex(written.map(entry => textOf(entry)).join('\n'), /Step 1\/14/);
	await api.delete(`${servicePath}/build/${build.id as string}`);
	const atAbort = await read();
	t.deepEqual(atAbort, written);
	clock.advance(30_000);
	t.deepEqual(await read(), written, 'nothing more after the abort');
});

test('a failing migration job run logs the traceback', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	await api.post('/_sandbox/fail-next', {kind: 'job-run'});
	const run = (await api.post(`${jobPath}/runs`, {})).body.data;
	clock.advance(10_000);
	const lines = (await api.get(`${jobPath}/logs?runId=${run.id as string}&direction=forward&duration=60`)).body.data as Entry[];
	const text = lines.map(entry => textOf(entry)).join('\n');
	t.regex(text, /Traceback \(most recent call last\):/);
	t.regex(text, /django\.db\.utils\.ProgrammingError/);
	t.is(seqOf(lines[0]!), 1);
});
