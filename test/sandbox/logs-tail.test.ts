// The live tail over a WebSocket (reference §3), driven by a raw `ws` client and by the official one.
import {setTimeout as delay} from 'node:timers/promises';
import {ApiClient, ApiClientInMemoryContextProvider} from '@northflank/js-client';
import test from 'ava';
import WebSocket from 'ws';
import {FakeClock, sandboxFor, service, servicePath, type Json} from './helpers.js';
import {assertContiguous, openTail, seqOf, textOf, withoutDuplicates, type Entry} from './log-helpers.js';

const tailPath = `${servicePath}/logs?queryType=tail`;

test('init with a good token answers "successful", then the 10 most recent lines, oldest first', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const tail = await openTail(api.sandbox.url, tailPath, {token: api.sandbox.token});
	await tail.waitFor(() => tail.frames.length > 0);
	t.deepEqual(tail.messages[0], {type: 'init', data: {auth: 'successful'}});
	const recent = (await api.get(`${servicePath}/logs?lineLimit=10`)).body.data as Entry[];
	t.deepEqual(tail.frames[0], recent.toReversed());
	await tail.close();

	const more = await openTail(api.sandbox.url, `${tailPath}&lineLimit=25`, {token: api.sandbox.token});
	await more.waitFor(() => more.frames.length > 0);
	t.is(more.frames[0]!.length, 25);
	await more.close();
});

test('a bad token gets an init failure with a message, then the socket closes', async t => {
	const api = await sandboxFor(t);
	const tail = await openTail(api.sandbox.url, tailPath, {token: 'nf-wrong-token-000000000000000000'});
	const {code} = await tail.closed;
	t.is(code, 1008);
	t.is(tail.messages.length, 1);
	t.is(tail.messages[0].type, 'init');
	t.not(tail.messages[0].data.auth, 'successful');
	t.regex(tail.messages[0].data.message, /Invalid API token/);
	t.false(JSON.stringify(tail.messages).includes('nf-wrong-token'), 'the token is not echoed');
	t.is(api.sandbox.stats().byStatus['401'], 1);
});

test('a first frame that is not the init message is an error', async t => {
	const api = await sandboxFor(t);
	const tail = await openTail(api.sandbox.url, tailPath, {init: '{"type":"hello"}'});
	t.is((await tail.closed).code, 1008);
	t.is(tail.messages[0].type, 'error');
	t.regex(tail.messages[0].data.message, /"type":"init"/);
});

test('bad filters and unknown runs are error frames after init; unknown paths refuse the upgrade', async t => {
	const api = await sandboxFor(t);
	const badRegex = await openTail(api.sandbox.url, `${tailPath}&regexIncludes=${encodeURIComponent('([')}`, {token: api.sandbox.token});
	t.is((await badRegex.closed).code, 1008);
	t.deepEqual(badRegex.messages.map(message => message.type), ['error']);
	t.regex(badRegex.messages[0].data.message, /"regexIncludes" is not a valid regular expression/);

	const unknownRun = await openTail(api.sandbox.url, '/v1/projects/notechondria/jobs/notechondria-migrate/logs?queryType=tail&runId=nope', {token: api.sandbox.token});
	await unknownRun.closed;
	t.regex(unknownRun.messages[0].data.message, /Job run "nope" not found/);

	await t.throwsAsync(openTail(api.sandbox.url, '/v1/projects/notechondria/services/notechondria-backend/metrics?queryType=tail'), {message: /404/});
	await t.throwsAsync(openTail(api.sandbox.url, '/elsewhere'), {message: /404/});
});

test('live batches follow the backlog with increasing sequence numbers, new containers included', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const tail = await openTail(api.sandbox.url, tailPath, {token: api.sandbox.token});
	await tail.waitFor(() => tail.frames.length === 1);
	const oldContainer = tail.lines[0]!.containerId;
	clock.advance(5000);
	await tail.waitFor(() => tail.frames.length >= 2);
	t.true(tail.frames[1]!.length > 0);
	t.notThrows(() => {
		assertContiguous(tail.lines.map(entry => seqOf(entry)));
	});

	await api.post(`${servicePath}/restart`);
	clock.advance(30_000);
	await tail.waitFor(() => tail.lines.some(entry => entry.containerId !== oldContainer && textOf(entry).includes('Starting gunicorn')));
	await tail.waitFor(() => tail.lines.some(entry => entry.containerId === oldContainer && textOf(entry).includes('Shutting down: Master')));
	for (const container of new Set(tail.lines.map(entry => entry.containerId))) {
		t.notThrows(() => {
			assertContiguous(tail.lines.filter(entry => entry.containerId === container).map(entry => seqOf(entry)));
		});
	}

	const fresh = tail.lines.filter(entry => entry.containerId !== oldContainer);
	t.is(seqOf(fresh[0]!), 1);
	const times = tail.lines.map(entry => entry.ts);
	t.deepEqual(times, times.toSorted(), 'lines arrive in time order');
	await tail.close();
});

test('closing the sandbox ends its open tails', async t => {
	const api = await sandboxFor(t);
	const tail = await openTail(api.sandbox.url, tailPath, {token: api.sandbox.token});
	await tail.waitFor(() => tail.frames.length > 0);
	await api.sandbox.close();
	t.is((await tail.closed).code, 1006);
});

test('resuming with startTime = the last ts seen gives that line again, then continues', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const first = await openTail(api.sandbox.url, tailPath, {token: api.sandbox.token});
	await first.waitFor(() => first.frames.length > 0);
	await first.close();
	const last = first.lines.at(-1)!;
	clock.advance(20_000);

	const resumed = await openTail(api.sandbox.url, `${tailPath}&startTime=${last.ts}`, {token: api.sandbox.token});
	await resumed.waitFor(() => resumed.lines.length > 30);
	t.deepEqual(resumed.lines[0], last);
	t.notThrows(() => {
		assertContiguous(withoutDuplicates([...first.lines, ...resumed.lines]).map(entry => seqOf(entry)));
	});
	t.true(resumed.lines.at(-1)!.ts < new Date(clock.t).toISOString());
	await resumed.close();
});

test('POST /_sandbox/drop-ws drops live tails abruptly (1006), between frames; stats count them', async t => {
	const api = await sandboxFor(t, {logRate: 2000});
	const tail = await openTail(api.sandbox.url, tailPath, {token: api.sandbox.token});
	await tail.waitFor(() => tail.lines.length > 3000);
	t.deepEqual(api.sandbox.stats().webSockets, {opened: 1, open: 1, dropped: 0});
	const drop = await api.post('/_sandbox/drop-ws');
	t.deepEqual(drop.body.data, {dropped: 1});
	t.is((await tail.closed).code, 1006);
	// Every frame that arrived was whole JSON (openTail parses each one).
	t.true(tail.messages.every(message => message.type === 'init' || message.type === 'log-lines'));
	t.notThrows(() => {
		assertContiguous(tail.lines.map(entry => seqOf(entry)));
	});
	await delay(50);
	t.deepEqual(api.sandbox.stats().webSockets, {opened: 1, open: 0, dropped: 1});
	t.deepEqual((await api.post('/_sandbox/drop-ws')).body.data, {dropped: 0});
});

test('drop-ws=30s drops every live tail at each 30 s tick', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now, chaos: 'drop-ws=30s'});
	const tail = await openTail(api.sandbox.url, tailPath, {token: api.sandbox.token});
	await tail.waitFor(() => tail.frames.length > 0);
	clock.advance(29_000);
	await delay(300);
	t.is(tail.ws.readyState, tail.ws.OPEN);
	clock.advance(1000);
	t.is((await tail.closed).code, 1006);

	const next = await openTail(api.sandbox.url, tailPath, {token: api.sandbox.token});
	await next.waitFor(() => next.frames.length > 0);
	clock.advance(30_000);
	t.is((await next.closed).code, 1006, 'the next tick drops the next connection');
});

test('drop-ws=1 drops every live tail within its first 5 s; drop-ws=0 never', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now, chaos: 'drop-ws=1'});
	const tail = await openTail(api.sandbox.url, tailPath, {token: api.sandbox.token});
	await tail.waitFor(() => tail.frames.length > 0);
	clock.advance(5000);
	t.is((await tail.closed).code, 1006);

	api.sandbox.setChaos('drop-ws=0');
	const kept = await openTail(api.sandbox.url, tailPath, {token: api.sandbox.token});
	await kept.waitFor(() => kept.frames.length > 0);
	clock.advance(60_000);
	await kept.waitFor(() => kept.frames.length > 1);
	t.is(kept.ws.readyState, kept.ws.OPEN);
	await kept.close();
	t.is(api.sandbox.stats().webSockets.dropped, 1);
});

test('a client that resumes after every drop loses no line and, de-duplicating, repeats none', async t => {
	const api = await sandboxFor(t, {logRate: 400});
	const received: Entry[] = [];
	for (let connection = 0; connection < 6; connection++) {
		const startTime = received.at(-1)?.ts;
		const tail = await openTail(api.sandbox.url, startTime === undefined ? tailPath : `${tailPath}&startTime=${startTime}`, {token: api.sandbox.token});
		const before = received.length;
		await tail.waitFor(() => tail.lines.length > 200);
		if (connection < 5) {
			await api.post('/_sandbox/drop-ws');
			await tail.closed;
		} else {
			await tail.close();
		}

		received.push(...tail.lines);
		t.true(received.length > before);
	}

	const unique = withoutDuplicates(received);
	t.is(received.length - unique.length, 5, 'each resume repeats exactly the line at its startTime');
	t.notThrows(() => {
		assertContiguous(unique.map(entry => seqOf(entry)));
	});
	t.is(api.sandbox.stats().webSockets.dropped, 5);
});

test('opening a tail spends one request of the budget and shows in the stats', async t => {
	const api = await sandboxFor(t, {rateLimitPerHour: 2});
	const first = await openTail(api.sandbox.url, tailPath, {token: api.sandbox.token});
	await first.waitFor(() => first.frames.length > 0);
	t.is(api.sandbox.stats().byRoute['WS /projects/:projectId/services/:serviceId/logs'], 1);
	t.is(api.sandbox.stats().total, 1);
	t.is((await api.get('/v1/projects')).headers.get('x-ratelimit-remaining'), '0');
	const refused = await openTail(api.sandbox.url, tailPath, {token: api.sandbox.token});
	t.is((await refused.closed).code, 1008);
	t.is(refused.messages[0].type, 'error');
	t.regex(refused.messages[0].data.message, /Rate limit of 2 requests/);
	await first.close();
});

// The client only counts, checking that each frame's sequence numbers run on from the previous
// frame's. What is asserted is the stream itself (lines per second of log time, none lost); the wall
// clock rate depends on the machine's load and is only reported (bench/ measures it).
test('a flood of 100,000 lines/s arrives whole, in frames of about 32.7 kB', async t => {
	const api = await sandboxFor(t, {logRate: 100_000});
	const ws = new WebSocket(`${api.sandbox.url.replace(/^http/, 'ws')}${tailPath}`);
	const marker = /(?: seq=|\\"seq\\":)(\d+)\}?","ts":"([^"]+)"/g;
	let lines = 0;
	let lastSeq: number | undefined;
	let gaps = 0;
	let firstTs: string | undefined;
	let lastTs = '';
	const frameBytes: number[] = [];
	const enough = Promise.withResolvers<void>();
	ws.on('message', data => {
		const frame = data.toString();
		const found = Array.from(frame.matchAll(marker), match => ({seq: Number(match[1]), ts: match[2]!}));
		if (found.length === 0) {
			return;
		}

		if ((lastSeq !== undefined && found[0]!.seq !== lastSeq + 1) || found.at(-1)!.seq - found[0]!.seq + 1 !== found.length) {
			gaps += 1;
		}

		lastSeq = found.at(-1)!.seq;
		lines += found.length;
		frameBytes.push(Buffer.byteLength(frame));
		if (frameBytes.length === 2) {
			firstTs = found[0]!.ts;
			lines = found.length;
		}

		lastTs = found.at(-1)!.ts;
		if (lines >= 250_000) {
			enough.resolve();
		}
	});
	await new Promise(resolve => ws.once('open', resolve));
	const started = performance.now();
	ws.send(JSON.stringify({type: 'init', data: {auth: {type: 'apiToken', apiToken: api.sandbox.token}}}));
	await enough.promise;
	const seconds = (performance.now() - started) / 1000;
	ws.close();
	const logSeconds = (Date.parse(lastTs) - Date.parse(firstTs!)) / 1000;
	t.log(`${lines} lines: ${Math.round(lines / logSeconds)} per second of log time, received at ${Math.round(lines / seconds)} lines/s`);
	t.true(lines / logSeconds > 50_000, `${Math.round(lines / logSeconds)} lines per second of log time`);
	t.is(gaps, 0, 'no line lost or repeated between or inside frames');
	const full = frameBytes.slice(1, -1);
	t.true(full.every(bytes => bytes <= 32_700 + 16_384), 'frames stay near 32.7 kB (one long line may go alone)');
	t.true(full.filter(bytes => bytes > 25_000 && bytes <= 32_700).length > full.length * 0.9, 'at flood rates frames are cut by size');
});

async function officialClient(api: Json): Promise<ApiClient> {
	const contexts = new ApiClientInMemoryContextProvider();
	await contexts.addContext({name: 'sandbox', token: api.sandbox.token as string, host: api.sandbox.url as string});
	return new ApiClient(contexts, {throwErrorOnHttpErrorCode: true});
}

type LogsClient = Awaited<ReturnType<ApiClient['get']['service']['logTail']>>;
type OfficialLine = {log: string; ts: Date; containerId: string};

async function collect(client: LogsClient, enough: (lines: OfficialLine[]) => boolean) {
	const lines: OfficialLine[] = [];
	const done = new Promise<void>(resolve => {
		client.on('logs-received', (batch: OfficialLine[]) => {
			lines.push(...batch);
			if (enough(lines)) {
				resolve();
			}
		});
	});
	const session = client.start();
	await done;
	await client.stop();
	await session;
	return lines;
}

test('the official client tails with logTail, start() and logs-received, and resumes from a Date', async t => {
	const api = await sandboxFor(t, {logRate: 100});
	const client = await officialClient(api);
	const parameters = {projectId: 'notechondria', serviceId: service};
	const first = await collect(await client.get.service.logTail({parameters, options: {lineLimit: 5}}), lines => lines.length >= 50);
	t.true(first.every(line => line.ts instanceof Date && typeof line.log === 'string'));
	const last = first.at(-1)!;
	// The client sends startTime with millisecond precision: lines from that millisecond come again.
	const resumed = await collect(await client.get.service.logTail({parameters, options: {startTime: last.ts}}), lines => lines.length >= 50);
	t.true(resumed.some(line => line.log === last.log));
	const all = withoutDuplicates([...first, ...resumed].map(line => ({containerId: line.containerId, log: line.log, ts: line.log.slice(0, 30)})));
	t.notThrows(() => {
		assertContiguous(all.map(entry => seqOf(entry)));
	});
});

test('the official client tails build logs, and reports a bad token as an error', async t => {
	const api = await sandboxFor(t, {timeScale: 10});
	const client = await officialClient(api);
	const build = (await api.post(`${servicePath}/build`, {branch: 'main'})).body.data;
	const lines = await collect(await client.get.service.buildLogTail({parameters: {projectId: 'notechondria', serviceId: service}, options: {buildId: build.id as string}}), batch => batch.some(line => line.log.includes('Image successfully built')));
	t.true(lines.every(line => line.containerId === `build-${build.id as string}`));
	t.regex(lines.map(line => line.log).join('\n'), /Step 7\/14 : RUN pip install -r backend\/requirements\.txt/);

	const contexts = new ApiClientInMemoryContextProvider();
	await contexts.addContext({name: 'wrong', token: 'nf-not-the-token', host: api.sandbox.url});
	const bad = await new ApiClient(contexts).get.service.logTail({parameters: {projectId: 'notechondria', serviceId: service}});
	const errors: unknown[] = [];
	bad.on('error', error => errors.push(error));
	await t.throwsAsync(bad.start(), {message: /Log tail initialization failed: Invalid API token/});
	t.is(errors.length, 1);
});
