import test from 'ava';
import {UsageError} from '../../source/core/errors.js';
import {chaosSyntax, parseChaosSpec, startSandbox} from '../../source/sandbox/index.js';
import {formatChaosSpec} from '../../source/sandbox/chaos.js';
import {FakeClock, sandboxFor} from './helpers.js';

test('parses every documented fault', t => {
	t.deepEqual(parseChaosSpec('latency=200ms'), {latency: {minMs: 200, maxMs: 200}});
	t.deepEqual(parseChaosSpec('latency=100-400ms'), {latency: {minMs: 100, maxMs: 400}});
	t.deepEqual(parseChaosSpec('latency=0.5s-2s'), {latency: {minMs: 500, maxMs: 2000}});
	t.deepEqual(parseChaosSpec('5xx=0.2'), {serverErrors: 0.2});
	t.deepEqual(parseChaosSpec('5xx=20%'), {serverErrors: 0.2});
	t.deepEqual(parseChaosSpec('429=0.1'), {tooManyRequests: 0.1});
	t.deepEqual(parseChaosSpec('429storm=20s/60s'), {storm429: {stormMs: 20_000, periodMs: 60_000}});
	t.deepEqual(parseChaosSpec('drop-ws=30s'), {dropWebSockets: {everyMs: 30_000}});
	t.deepEqual(parseChaosSpec('drop-ws=0.1'), {dropWebSockets: {ratio: 0.1}});
	t.deepEqual(parseChaosSpec(' latency=100-400ms , 5xx=0.2,429storm=1m/2m '), {
		latency: {minMs: 100, maxMs: 400},
		serverErrors: 0.2,
		storm429: {stormMs: 60_000, periodMs: 120_000},
	});
	t.deepEqual(parseChaosSpec(''), {});
	t.deepEqual(parseChaosSpec('off'), {});
});

test('formats a spec back to the canonical syntax', t => {
	t.is(formatChaosSpec(parseChaosSpec('latency=100-400ms,5xx=20%,429storm=20s/60s')), 'latency=100-400ms,5xx=0.2,429storm=20000ms/60000ms');
	t.is(formatChaosSpec({}), 'off');
});

const badSpecs: Array<[string, RegExp]> = [
	['latency=fast', /"latency=fast".+duration such as 200ms/],
	['latency=400-100ms', /"latency=400-100ms".+smaller to the larger/],
	['latency=200', /"latency=200"/],
	['5xx=2', /"5xx=2".+from 0 to 1/],
	['5xx=lots', /"5xx=lots"/],
	['429=-0.1', /"429=-0.1"/],
	['429storm=20s', /"429storm=20s".+STORM\/PERIOD/],
	['429storm=60s/20s', /longer than its period/],
	['drop-ws=often', /"drop-ws=often"/],
	['meteor=1', /Unknown fault "meteor".+latency, 5xx, 429, 429storm, drop-ws/],
	['latency', /"latency" has no value/],
	['5xx=0.1,5xx=0.2', /"5xx" twice/],
	['5xx=0.1,,429=0.1', /empty fault.+stray comma/i],
];

for (const [spec, message] of badSpecs) {
	test(`rejects "${spec}" with a UsageError naming the part and the syntax`, t => {
		const error = t.throws(() => parseChaosSpec(spec), {instanceOf: UsageError, message});
		t.is(error.exitCode, 2);
		t.is(error.hint, `--chaos accepts ${chaosSyntax}`);
	});
}

test('startSandbox refuses a bad chaos spec before listening', async t => {
	await t.throwsAsync(startSandbox({chaos: 'latency=soon'}), {instanceOf: UsageError});
});

test('5xx=1 answers every API request 500 or 503 with the error envelope, never the control endpoints', async t => {
	const api = await sandboxFor(t, {chaos: '5xx=1'});
	const statuses = new Set<number>();
	for (let index = 0; index < 20; index++) {
		const reply = await api.get('/v1/projects');
		statuses.add(reply.status);
		t.regex(reply.body.error.message, /sandbox chaos/);
		t.truthy(reply.headers.get('x-ratelimit-remaining'));
	}

	t.deepEqual([...statuses].toSorted(), [500, 503]);
	t.is((await api.get('/_sandbox/stats')).status, 200);
});

test('5xx=0.2 fails about a fifth of requests, the same ones for the same seed', async t => {
	const run = async () => {
		const api = await sandboxFor(t, {chaos: '5xx=0.2', seed: 7});
		const statuses: number[] = [];
		for (let index = 0; index < 200; index++) {
			statuses.push((await api.get('/v1/projects')).status);
		}

		return statuses;
	};

	const first = await run();
	const failures = first.filter(status => status >= 500).length;
	t.true(failures > 20 && failures < 60, `${failures} of 200 failed`);
	t.deepEqual(await run(), first);
});

test('429=1 refuses with Retry-After', async t => {
	const api = await sandboxFor(t, {chaos: '429=1'});
	const reply = await api.get('/v1/projects');
	t.is(reply.status, 429);
	t.is(reply.headers.get('retry-after'), '2');
});

test('a 429 storm refuses everything for its length, with Retry-After up to its end, then lets requests through', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const set = await api.post('/_sandbox/chaos', {spec: '429storm=20s/60s'});
	t.is(set.body.data.spec, '429storm=20000ms/60000ms');
	const during = await api.get('/v1/projects');
	t.is(during.status, 429);
	t.is(during.headers.get('retry-after'), '20');
	t.regex(during.body.error.message, /storm/);
	t.is(during.headers.get('x-ratelimit-remaining'), '1000', 'storm refusals do not spend the budget');
	clock.advance(15_000);
	t.is((await api.get('/v1/projects')).headers.get('retry-after'), '5');
	clock.advance(5000);
	t.is((await api.get('/v1/projects')).status, 200);
	clock.advance(40_000);
	t.is((await api.get('/v1/projects')).status, 429, 'the next period storms again');
	await api.post('/_sandbox/chaos', {spec: 'off'});
	t.is((await api.get('/v1/projects')).status, 200);
});

test('latency delays API answers', async t => {
	const api = await sandboxFor(t, {chaos: 'latency=150ms'});
	const started = performance.now();
	await api.get('/v1/projects');
	t.true(performance.now() - started >= 145);
	api.sandbox.setChaos('off');
	const quick = performance.now();
	await api.get('/v1/projects');
	t.true(performance.now() - quick < 145);
});

test('POST /_sandbox/chaos accepts plain text, and a bad spec is 400 naming the syntax while the old faults stay', async t => {
	const api = await sandboxFor(t);
	const plain = await api.request('POST', '/_sandbox/chaos', {body: 'latency=10ms'});
	t.is(plain.body.data.spec, 'latency=10ms');
	const bad = await api.post('/_sandbox/chaos', {spec: '5xx=often'});
	t.is(bad.status, 400);
	t.regex(bad.body.error.message, /"5xx=often"/);
	t.is(bad.body.error.details.accepted, chaosSyntax);
	t.is((await api.get('/_sandbox/chaos')).body.data.spec, 'latency=10ms');
	t.throws(() => {
		api.sandbox.setChaos('nope=1');
	}, {instanceOf: UsageError});
});
