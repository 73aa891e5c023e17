import {ApiClient, ApiClientInMemoryContextProvider} from '@northflank/js-client';
import test from 'ava';
import {FakeClock, sandboxFor, service, servicePath, type Json} from './helpers.js';
import {assertContiguous, nanoTimestamp, seqOf, streamOf, textOf, type Entry} from './log-helpers.js';

const logs = `${servicePath}/logs`;
const iso = (ms: number) => new Date(ms).toISOString();

test('the range query answers {data: [{containerId, log, ts}], pagination} with "<ts> <stream> F <line>" logs', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const reply = await api.get(`${logs}?queryType=range&lineLimit=50`);
	t.is(reply.status, 200);
	t.like(reply.body.pagination, {hasNextPage: true, count: 50});
	t.regex(reply.body.pagination.cursor, nanoTimestamp);
	const entries = reply.body.data as Entry[];
	t.is(entries.length, 50);
	for (const entry of entries) {
		t.deepEqual(Object.keys(entry).toSorted(), ['containerId', 'log', 'ts']);
		t.regex(entry.ts, nanoTimestamp);
		t.true(entry.log.startsWith(`${entry.ts} ${streamOf(entry)} F `), entry.log);
		t.true(['stdout', 'stderr'].includes(streamOf(entry)));
		t.regex(entry.containerId, new RegExp(`^${service}-[\\da-f]{10}-[a-z\\d]{5}$`));
	}

	t.is(reply.body.pagination.cursor, entries.at(-1)!.ts, 'the cursor is the last line returned');
	t.true(entries[0]!.ts > entries.at(-1)!.ts, 'backward (the default) returns the newest first');
	t.is(reply.headers.get('x-ratelimit-remaining'), '999');
});

test('without times the window is the last 1800 s, and the default lineLimit is 1000', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const whole = await api.get(`${logs}?lineLimit=10000&direction=forward`);
	t.false(whole.body.pagination.hasNextPage);
	const entries = whole.body.data as Entry[];
	t.true(entries.length > 2000, `${entries.length} lines in 30 min`);
	t.true(entries[0]!.ts >= iso(clock.t - 1_800_000));
	t.true(entries.at(-1)!.ts < iso(clock.t));
	const explicit = await api.get(`${logs}?lineLimit=10000&direction=forward&startTime=${iso(clock.t - 1_800_000)}&endTime=${iso(clock.t)}`);
	t.deepEqual(explicit.body.data, entries);
	const byDuration = await api.get(`${logs}?lineLimit=10000&direction=forward&duration=1800`);
	t.deepEqual(byDuration.body.data, entries);

	const byDefault = await api.get(logs);
	t.is(byDefault.body.data.length, 1000);
	t.deepEqual(byDefault.body.data, entries.slice(-1000).toReversed());
	const capped = await api.get(`${logs}?lineLimit=50000&startTime=${iso(clock.t - 7_200_000)}`);
	t.is(capped.body.data.length, 10_000, 'lineLimit is capped at 10,000');
	t.true(capped.body.pagination.hasNextPage);
});

test('walking backward with endTime=cursor reads contiguous history, without gaps or repeats, back to the first line', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const seen: number[] = [];
	let endTime = iso(clock.t);
	for (let page = 0; page < 8; page++) {
		const reply = await api.get(`${logs}?lineLimit=250&endTime=${endTime}&startTime=2026-01-01T00:00:00Z`);
		t.is(reply.body.data.length, 250);
		seen.push(...(reply.body.data as Entry[]).map(entry => seqOf(entry)));
		endTime = reply.body.pagination.cursor as string;
	}

	t.notThrows(() => {
		assertContiguous(seen.toReversed());
	});
	t.is(new Set(seen).size, seen.length);

	// The serving container's first line, however long ago it started.
	const first = await api.get(`${logs}?direction=forward&lineLimit=1&startTime=2025-01-01T00:00:00Z&endTime=${iso(clock.t)}`);
	t.is(seqOf(first.body.data[0]), 1);
});

test('paging forward with startTime=cursor repeats the line at the cursor once, then continues', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const start = iso(clock.t - 600_000);
	const first = await api.get(`${logs}?direction=forward&lineLimit=100&startTime=${start}`);
	const second = await api.get(`${logs}?direction=forward&lineLimit=100&startTime=${first.body.pagination.cursor as string}`);
	const page1 = first.body.data as Entry[];
	const page2 = second.body.data as Entry[];
	t.deepEqual(page2[0], page1.at(-1));
	t.notThrows(() => {
		assertContiguous([...page1, ...page2.slice(1)].map(entry => seqOf(entry)));
	});
});

test('the same window reads the same lines every time, and nanosecond times are strictly increasing', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const otherClock = new FakeClock();
	const other = await sandboxFor(t, {now: otherClock.now});
	const window = `startTime=${iso(clock.t - 120_000)}&endTime=${iso(clock.t - 60_000)}&direction=forward`;
	const first = await api.get(`${logs}?${window}`);
	clock.advance(90_000);
	await api.post('/_sandbox/log-rate', {linesPerSecond: 500});
	clock.advance(10_000);
	const second = await api.get(`${logs}?${window}`);
	t.deepEqual(second.body.data, first.body.data, 'a later rate change leaves the past alone');
	otherClock.advance(30_000);
	t.deepEqual((await other.get(`${logs}?${window}`)).body.data, first.body.data, 'another sandbox with the same seed agrees');

	const entries = first.body.data as Entry[];
	for (let index = 1; index < entries.length; index++) {
		t.true(entries[index - 1]!.ts < entries[index]!.ts);
	}

	const flood = await api.get(`${logs}?startTime=${iso(clock.t - 5000)}&direction=forward&lineLimit=10000`);
	t.true(flood.body.data.length > 2000, `${flood.body.data.length} lines in the last 5 s at 500 lines/s`);
});

test('text and regex filters include or exclude lines; a bad regex or two filters are 400', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const window = `startTime=${iso(clock.t - 900_000)}&lineLimit=10000`;
	const all = (await api.get(`${logs}?${window}`)).body.data as Entry[];
	const read = async (filter: string) => (await api.get(`${logs}?${window}&${filter}`)).body.data as Entry[];

	const health = await read('textIncludes=/api/health/');
	t.true(health.length > 10);
	t.deepEqual(health, all.filter(entry => textOf(entry).includes('/api/health/')));
	const noHealth = await read('textNotIncludes=/api/health/');
	t.is(noHealth.length + health.length, all.length);
	const errors = await read(`regexIncludes=${encodeURIComponent('"(POST|PATCH) /api/notes/')}`);
	t.true(errors.length > 0);
	t.true(errors.every(entry => /"(POST|PATCH) \/api\/notes\//.test(textOf(entry))));
	const notAccess = await read(`regexNotIncludes=${encodeURIComponent('HTTP/1\\.1" \\d{3}')}`);
	t.true(notAccess.every(entry => !/HTTP\/1\.1" \d{3}/.test(entry.log)));

	const bad = await api.get(`${logs}?regexIncludes=${encodeURIComponent('(unclosed')}`);
	t.is(bad.status, 400);
	t.regex(bad.body.error.message, /"regexIncludes" is not a valid regular expression/);
	const two = await api.get(`${logs}?textIncludes=a&regexIncludes=b`);
	t.is(two.status, 400);
	t.regex(two.body.error.message, /one text filter/);
});

test('bad parameters are 400 naming the parameter', async t => {
	const api = await sandboxFor(t);
	const cases: Array<[string, RegExp]> = [
		['startTime=yesterday', /"startTime" must be an RFC 3339 time/],
		['direction=sideways', /"direction" must be "forward" or "backward"/],
		['lineLimit=0', /"lineLimit" must be a positive integer/],
		['duration=-5', /"duration" must be a positive number/],
		['startTime=2026-01-01T00:00:00Z&endTime=2026-01-02T00:00:00Z&duration=60', /at most two/],
		['startTime=2026-01-02T00:00:00Z&endTime=2026-01-01T00:00:00Z', /must not be after/],
		['queryType=tail', /WebSocket/],
		['type=syslog', /Unknown log "type" "syslog"/],
	];
	for (const [query, message] of cases) {
		const reply = await api.get(`${logs}?${query}`);
		t.is(reply.status, 400, query);
		t.regex(reply.body.error.message, message, query);
	}
});

test('type filters by log type: runtime lines are runtime, not ingress', async t => {
	const api = await sandboxFor(t);
	t.is((await api.get(`${logs}?type=runtime&lineLimit=5`)).body.data.length, 5);
	t.is((await api.get(`${logs}?type=ingress&type=cdn`)).body.data.length, 0);
	t.is((await api.get(`${servicePath}/build-logs?type=build&lineLimit=5&startTime=2025-01-01T00:00:00Z`)).body.data.length, 5);
});

test('containerName picks one container of a service; the old container\'s logs stay readable after a deploy', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const before = (await api.get(`${servicePath}/containers`)).body.data.containers as Json[];
	const old = before[0].name as string;
	await api.post(`${servicePath}/restart`);
	clock.advance(30_000);
	const after = (await api.get(`${servicePath}/containers`)).body.data.containers as Json[];
	const fresh = after.find(container => container.name !== old).name as string;
	t.false(after.some(container => container.name === old), 'the old container is gone');

	const both = (await api.get(`${logs}?duration=60&lineLimit=10000`)).body.data as Entry[];
	t.deepEqual([...new Set(both.map(entry => entry.containerId))].toSorted(), [old, fresh].toSorted());
	const oldOnly = (await api.get(`${logs}?duration=60&lineLimit=10000&containerName=${old}`)).body.data as Entry[];
	t.true(oldOnly.length > 0 && oldOnly.every(entry => entry.containerId === old));
	t.true(oldOnly.some(entry => textOf(entry).includes('Handling signal: term')));
	t.true(oldOnly.some(entry => textOf(entry).includes('Shutting down: Master')));
	const freshLines = (await api.get(`${logs}?duration=60&lineLimit=10000&direction=forward&containerName=${fresh}`)).body.data as Entry[];
	t.is(seqOf(freshLines[0]!), 1, 'a new container starts at seq 1');
	t.regex(textOf(freshLines[0]!), /Starting gunicorn 22\.0\.0/);
	t.is((await api.get(`${logs}?containerName=all&duration=60&lineLimit=10000`)).body.data.length, both.length);
});

test('build-logs scoped by buildId show the Dockerfile steps, or the step that broke', async t => {
	const api = await sandboxFor(t);
	const builds = (await api.get(`${servicePath}/build`)).body.data.builds as Json[];
	const good = builds.find(build => build.status === 'SUCCESS');
	const bad = builds.find(build => build.status === 'FAILURE');
	const read = async (buildId: string) => (await api.get(`${servicePath}/build-logs?buildId=${buildId}&direction=forward&startTime=2025-01-01T00:00:00Z&lineLimit=10000`)).body.data as Entry[];

	const goodLines = await read(good.id);
	t.true(goodLines.every(entry => entry.containerId === `build-${good.id as string}`));
	t.notThrows(() => {
		assertContiguous(goodLines.map(entry => seqOf(entry)));
	});
	t.is(seqOf(goodLines[0]!), 1);
	const text = goodLines.map(entry => textOf(entry)).join('\n');
	t.regex(text, /Step 1\/14 : FROM python:3\.12-slim/);
	t.regex(text, /Step 14\/14 : CMD gunicorn/);
	t.regex(text, /Successfully tagged registry\.sandbox\.localhost\/sandbox-team\/notechondria\/notechondria-backend:/);

	const badText = (await read(bad.id)).map(entry => textOf(entry)).join('\n');
	t.regex(badText, /Step 9\/14 : RUN python manage\.py check --deploy/);
	t.regex(badText, /ModuleNotFoundError: No module named 'jwt'/);
	t.notRegex(badText, /Step 10\/14/);

	const unknown = await api.get(`${servicePath}/build-logs?buildId=no-such-build`);
	t.is(unknown.status, 404);
	const all = (await api.get(`${servicePath}/build-logs?startTime=2025-01-01T00:00:00Z&lineLimit=10000`)).body.data as Entry[];
	t.true(new Set(all.map(entry => entry.containerId)).size > 2, 'without buildId, every build');
});

test('job logs scoped by runId show the migration the run applied', async t => {
	const api = await sandboxFor(t);
	const jobLogs = '/v1/projects/notechondria/jobs/notechondria-migrate/logs';
	const runs = (await api.get('/v1/projects/notechondria/jobs/notechondria-migrate/runs')).body.data.runs as Json[];
	const newest = runs[0];
	const lines = (await api.get(`${jobLogs}?runId=${newest.id as string}&direction=forward&startTime=2025-01-01T00:00:00Z`)).body.data as Entry[];
	t.true(lines.every(entry => entry.containerId === newest.runName));
	t.deepEqual(lines.map(entry => textOf(entry).replace(/ seq=\d+$/, '')), [
		'Operations to perform:',
		'  Apply all migrations: admin, auth, contenttypes, courses, notes, planner, sessions, sync',
		'Running migrations:',
		'  Applying notes.0042_record_database_latency_for_api_health... OK',
	]);
	const both = (await api.get(`${jobLogs}?direction=forward&startTime=2025-01-01T00:00:00Z`)).body.data as Entry[];
	t.is(new Set(both.map(entry => entry.containerId)).size, 2);
	t.is((await api.get(`${jobLogs}?runId=nope`)).status, 404);
});

test('addon, backup and restore logs; team-scoped paths work too', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const addonLogs = '/v1/teams/sandbox-team/projects/notechondria/addons/notechondria-postgres/logs';
	const recent = (await api.get(`${addonLogs}?lineLimit=20`)).body.data as Entry[];
	t.is(recent.length, 20);
	t.true(recent.every(entry => entry.containerId === 'notechondria-postgres-0' && / UTC \[\d+\] [A-Z]+: {2}/.test(textOf(entry))));
	const boot = (await api.get(`${addonLogs}?direction=forward&lineLimit=6&startTime=2020-01-01T00:00:00Z`)).body.data as Entry[];
	t.regex(textOf(boot[0]!), /LOG: {2}starting PostgreSQL 16\.4/);
	t.regex(textOf(boot[5]!), /database system is ready to accept connections/);

	const backup = (await api.post('/v1/projects/notechondria/addons/notechondria-postgres/backups', {name: 'before tests', backupType: 'dump'})).body.data;
	clock.advance(10_000);
	const backupLines = (await api.get(`/v1/projects/notechondria/addons/notechondria-postgres/backups/${backup.id as string}/logs?direction=forward&duration=60`)).body.data as Entry[];
	t.regex(textOf(backupLines[0]!), /Starting backup "before tests"/);
	t.regex(textOf(backupLines.at(-1)!), /Backup completed/);
	const {restoreId} = (await api.post(`/v1/projects/notechondria/addons/notechondria-postgres/backups/${backup.id as string}/restore`)).body.data;
	clock.advance(10_000);
	const restoreLines = (await api.get(`/v1/projects/notechondria/addons/notechondria-postgres/backups/${backup.id as string}/restores/${restoreId as string}/logs?direction=forward&duration=60`)).body.data as Entry[];
	t.regex(textOf(restoreLines.at(-1)!), /Restore completed/);
	t.true(restoreLines.every(entry => entry.containerId === `restore-${restoreId as string}`));
});

test('the official client reads a range: apiClient.get.service.logs', async t => {
	const api = await sandboxFor(t);
	const contexts = new ApiClientInMemoryContextProvider();
	await contexts.addContext({name: 'sandbox', token: api.sandbox.token, host: api.sandbox.url});
	const client = new ApiClient(contexts, {throwErrorOnHttpErrorCode: true});
	const reply = await client.get.service.logs({parameters: {projectId: 'notechondria', serviceId: service}, options: {lineLimit: 20, direction: 'forward', startTime: new Date(Date.now() - 60_000), textIncludes: 'HTTP/1.1'}});
	t.is(reply.data.length, 20);
	t.true(reply.data.every(line => line.ts instanceof Date && line.log.includes('HTTP/1.1')));
	t.true(reply.pagination?.hasNextPage);
});
