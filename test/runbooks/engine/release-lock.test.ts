import {readdir, readFile, stat} from 'node:fs/promises';
import {hostname} from 'node:os';
import test from 'ava';
import {UsageError, WheelhouseError} from '../../../source/core/errors.js';
import {LockHeldError} from '../../../source/runbooks/engine/release-lock.js';
import type {Finding, LockHolder} from '../../../source/runbooks/types.js';
import {deadPid, journalFor, runbookOf, temporaryState, World} from './world.js';

function holderOf(runId: string, pid = process.pid, operator = 'alice'): LockHolder {
	return {runId, operator, host: hostname(), pid, acquiredAt: '2026-11-22T10:04:12.345Z', kind: 'release', target: 'notechondria-backend'};
}

const nothingRuns: Finding[] = [
	{level: 'ok', check: 'advisory lock', message: 'No session holds the migration lock.'},
	{level: 'ok', check: 'job runs', message: 'No run of notechondria-migrate is going.'},
];

test('one holder per context; the file holds the holder and is 0600', async t => {
	const {lock} = await temporaryState(t);
	await lock.acquire('production', holderOf('2026-11-22T10-04-12Z-aaaa'));
	t.is((await stat(lock.pathOf('production'))).mode & 0o777, 0o600);
	t.is((await stat(lock.directory)).mode & 0o777, 0o700);
	t.deepEqual(JSON.parse(await readFile(lock.pathOf('production'), 'utf8')), holderOf('2026-11-22T10-04-12Z-aaaa'));
	const error = await t.throwsAsync(lock.acquire('production', holderOf('2026-11-22T10-05-00Z-bbbb', process.pid, 'bob')), {instanceOf: LockHeldError});
	t.is(error.message, `A release of notechondria-backend is in progress: run 2026-11-22T10-04-12Z-aaaa by alice on ${hostname()} since 2026-11-22T10:04:12Z (pid ${process.pid})`);
	t.is(error.exitCode, 1);
	await lock.acquire('staging', holderOf('2026-11-22T10-05-00Z-bbbb'));
	t.deepEqual((await readdir(lock.directory)).sort(), ['production.lock', 'staging.lock'], 'no temp file is left behind');
});

test('many runs racing for one context: exactly one gets it', async t => {
	const {lock} = await temporaryState(t);
	const results = await Promise.allSettled(Array.from({length: 20}, async (_, index) => lock.acquire('production', holderOf(`2026-11-22T10-04-12Z-${String(index).padStart(4, '0')}`))));
	t.is(results.filter(result => result.status === 'fulfilled').length, 1);
	t.true(results.filter(result => result.status === 'rejected').every(result => result.reason instanceof LockHeldError));
});

test('a run takes its own lock back when its process is gone or is this one; others are refused', async t => {
	const {lock} = await temporaryState(t);
	const runId = '2026-11-22T10-04-12Z-aaaa';
	const dead = await deadPid();
	await lock.acquire('production', holderOf(runId, dead));
	t.true(lock.isStale((await lock.holder('production'))!));
	await t.throwsAsync(lock.acquire('production', holderOf('2026-11-22T11-00-00Z-bbbb')), {instanceOf: LockHeldError}, 'a stale lock of a run that did not end is not taken by another run');
	await lock.acquire('production', holderOf(runId));
	t.is((await lock.holder('production'))?.pid, process.pid, 'the resume took it over');
	await lock.acquire('production', holderOf(runId));
	t.false(lock.isStale((await lock.holder('production'))!));
});

test('release only removes our own lock', async t => {
	const {lock} = await temporaryState(t);
	await lock.acquire('production', holderOf('2026-11-22T10-04-12Z-aaaa'));
	t.false(await lock.release('production', '2026-11-22T10-05-00Z-bbbb'));
	t.truthy(await lock.holder('production'));
	t.true(await lock.release('production', '2026-11-22T10-04-12Z-aaaa'));
	t.is(await lock.holder('production'), undefined);
	t.false(await lock.release('production', '2026-11-22T10-04-12Z-aaaa'));
});

test('a stale lock left by a run whose journal shows it ended is taken over', async t => {
	const {lock, store} = await temporaryState(t);
	const journal = {...journalFor(runbookOf(new World(), [])), status: 'succeeded' as const};
	await store.save(journal);
	await lock.acquire('production', holderOf(journal.runId, await deadPid()));
	await lock.acquire('production', holderOf('2026-11-22T11-00-00Z-bbbb'));
	t.is((await lock.holder('production'))?.runId, '2026-11-22T11-00-00Z-bbbb');
});

test('breaking a lock needs it stale, proof that nothing runs, and the context name typed; it is journalled', async t => {
	const {lock, store} = await temporaryState(t);
	const journal = {...journalFor(runbookOf(new World(), [])), status: 'running' as const};
	await store.save(journal);

	await t.throwsAsync(lock.break('production', {proof: nothingRuns, typed: 'production'}), {instanceOf: UsageError, message: 'No release lock is held for context "production".'});

	await lock.acquire('production', holderOf(journal.runId));
	const live = await t.throwsAsync(lock.break('production', {proof: nothingRuns, typed: 'production'}), {instanceOf: WheelhouseError});
	t.regex(live.message, /is not stale: .* its process \(pid \d+\) is still running/);
	t.truthy(await lock.holder('production'));

	await lock.release('production', journal.runId);
	const pid = await deadPid();
	await lock.acquire('production', holderOf(journal.runId, pid));
	await t.throwsAsync(lock.break('production', {proof: [], typed: 'production'}), {instanceOf: UsageError, message: /needs proof that nothing of run/});
	const busy = await t.throwsAsync(lock.break('production', {proof: [...nothingRuns, {level: 'block', check: 'job runs', message: 'Run migrate-7 is still going.'}], typed: 'production'}));
	t.regex(busy.message, /may still be going: job runs: Run migrate-7 is still going\./);
	await t.throwsAsync(lock.break('production', {proof: nothingRuns, typed: 'prod'}), {instanceOf: UsageError, message: 'To break the lock, type the context\'s name "production" exactly.'});
	t.truthy(await lock.holder('production'), 'every refusal left the lock in place');

	const old = await lock.break('production', {proof: nothingRuns, typed: 'production', operator: 'bob'});
	t.deepEqual(old, holderOf(journal.runId, pid));
	t.is(await lock.holder('production'), undefined);
	const broken = await store.load(journal.runId);
	t.is(broken.status, 'interrupted');
	t.is(broken.events.at(-1)!.event, `lock broken from run ${journal.runId} by alice on ${hostname()} since 2026-11-22T10:04:12Z (pid ${pid}) by bob`);
	await lock.acquire('production', holderOf('2026-11-22T11-00-00Z-bbbb'));
});

test('a lock taken on another host is never stale here', async t => {
	const {lock} = await temporaryState(t);
	await lock.acquire('production', {...holderOf('2026-11-22T10-04-12Z-aaaa', await deadPid()), host: 'bastion-2'});
	const error = await t.throwsAsync(lock.break('production', {proof: nothingRuns, typed: 'production'}));
	t.regex(error.message, /taken on bastion-2, where this machine cannot check its process/);
});
