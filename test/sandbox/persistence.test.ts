import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'ava';
import {UsageError} from '../../source/core/errors.js';
import {startSandbox} from '../../source/sandbox/index.js';
import {stateFileName} from '../../source/sandbox/persistence.js';
import {addonPath, FakeClock, sandboxFor, servicePath} from './helpers.js';

async function temporaryDirectory(t: {teardown(fn: () => Promise<void>): void}): Promise<string> {
	const directory = await mkdtemp(path.join(tmpdir(), 'wheelhouse-sandbox-'));
	t.teardown(async () => rm(directory, {recursive: true, force: true}));
	return directory;
}

test('with a state dir, a restarted sandbox has what the previous one did, still moving in time', async t => {
	const stateDir = await temporaryDirectory(t);
	const clock = new FakeClock();
	const first = await sandboxFor(t, {stateDir, now: clock.now});
	const build = await first.post(`${servicePath}/build`, {});
	const backup = await first.post(`${addonPath}/backups`, {name: 'before restart'});
	await first.post('/_sandbox/fail-next', {kind: 'job-run'});
	clock.advance(3000);
	await first.sandbox.close();

	const files = await readdir(stateDir);
	t.deepEqual(files, [stateFileName], 'no temporary file left behind');

	const second = await sandboxFor(t, {stateDir, now: clock.now});
	const reloaded = await second.get(`${servicePath}/build/${build.body.data.id}`);
	t.is(reloaded.status, 200);
	t.is(reloaded.body.data.status, 'CLONING');
	clock.advance(30_000);
	t.is((await second.get(`${servicePath}/build/${build.body.data.id}`)).body.data.status, 'SUCCESS');
	t.is((await second.get(`${addonPath}/backups/${backup.body.data.id}`)).body.data.status, 'completed');
	const info = await second.get('/_sandbox/info');
	t.is(info.body.data.failNext['job-run'], 1);

	const next = await second.post(`${servicePath}/build`, {});
	t.not(next.body.data.id, build.body.data.id, 'ids keep being fresh after a reload');
	t.not(next.body.data.sha, build.body.data.sha);
});

test('state is saved as changes happen, not only on close', async t => {
	const stateDir = await temporaryDirectory(t);
	const api = await sandboxFor(t, {stateDir, now: new FakeClock().now});
	const build = await api.post(`${servicePath}/build`, {});
	let saved = '';
	for (let attempt = 0; attempt < 50 && !saved.includes(build.body.data.id); attempt++) {
		saved = await readFile(path.join(stateDir, stateFileName), 'utf8');
		await new Promise(resolve => {
			setTimeout(resolve, 10);
		});
	}

	t.true(saved.includes(build.body.data.id));
});

test('without a state dir nothing is written and each start is a fresh seed', async t => {
	const clock = new FakeClock();
	const first = await sandboxFor(t, {now: clock.now});
	await first.post(`${servicePath}/build`, {});
	await first.sandbox.close();
	const second = await sandboxFor(t, {now: clock.now});
	const builds = (await second.get(`${servicePath}/build`)).body.data.builds;
	t.is(builds[0].status, 'SUCCESS');
});

test('a damaged state file is a UsageError and is left untouched', async t => {
	const stateDir = await temporaryDirectory(t);
	const file = path.join(stateDir, stateFileName);
	await writeFile(file, '{"version": 1, "projects": [', 'utf8');
	const error = await t.throwsAsync(startSandbox({stateDir}), {instanceOf: UsageError});
	t.regex(error.message, /not valid JSON/);
	t.regex(error.hint ?? '', /aside/);
	t.is(await readFile(file, 'utf8'), '{"version": 1, "projects": [');

	await writeFile(file, '{"version": 99}', 'utf8');
	await t.throwsAsync(startSandbox({stateDir}), {instanceOf: UsageError, message: /version 1/});
});
