import test from 'ava';
import {defaultSandboxToken} from '../../source/sandbox/index.js';
import {FakeClock, sandboxFor} from './helpers.js';

test('the default token is the fixed, clearly-sandbox one', async t => {
	const api = await sandboxFor(t);
	t.is(api.sandbox.token, defaultSandboxToken);
	t.regex(defaultSandboxToken, /^nf-sandbox-/);
	t.regex(api.sandbox.url, /^http:\/\/127\.0\.0\.1:\d+$/);
});

test('a missing or wrong Bearer token is 401 with the error envelope', async t => {
	const api = await sandboxFor(t, {token: 'nf-test-token-1234567890'});
	const missing = await api.get('/v1/projects', {token: null});
	t.is(missing.status, 401);
	t.regex(missing.body.error.message, /Authorization: Bearer/);
	const wrong = await api.get('/v1/projects', {token: defaultSandboxToken});
	t.is(wrong.status, 401);
	t.regex(wrong.body.error.message, /Invalid API token/);
	t.false(wrong.body.error.message.includes(defaultSandboxToken), 'a token is never echoed');
	const right = await api.get('/v1/login');
	t.is(right.status, 200);
});

test('control endpoints need the token too', async t => {
	const api = await sandboxFor(t);
	for (const path of ['/_sandbox/stats', '/_sandbox/info', '/_sandbox/chaos']) {
		const reply = await api.get(path, {token: null});
		t.is(reply.status, 401, path);
		t.truthy(reply.body.error.message);
	}

	const failNext = await api.post('/_sandbox/fail-next', {kind: 'build'}, {token: 'nope'});
	t.is(failNext.status, 401);
});

test('every /v1 response carries x-ratelimit headers, counting down from 1000 per hour', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const first = await api.get('/v1/projects');
	t.is(first.headers.get('x-ratelimit-limit'), '1000');
	t.is(first.headers.get('x-ratelimit-remaining'), '999');
	t.is(first.headers.get('x-ratelimit-reset'), '3600');
	clock.advance(600_000);
	const notFound = await api.get('/v1/projects/nope');
	t.is(notFound.status, 404);
	t.is(notFound.headers.get('x-ratelimit-remaining'), '998');
	t.is(notFound.headers.get('x-ratelimit-reset'), '3000', 'the window started with the first request');
	const unauthenticated = await api.get('/v1/projects', {token: null});
	t.truthy(unauthenticated.headers.get('x-ratelimit-remaining'));
});

test('a spent budget answers 429 with Retry-After until the window resets', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now, rateLimitPerHour: 5});
	for (let index = 0; index < 5; index++) {
		const reply = await api.get('/v1/projects');
		t.is(reply.status, 200);
		t.is(reply.headers.get('x-ratelimit-remaining'), String(4 - index));
	}

	clock.advance(1_000_000);
	const refused = await api.get('/v1/projects');
	t.is(refused.status, 429);
	t.regex(refused.body.error.message, /Rate limit/);
	t.is(refused.headers.get('retry-after'), '2600');
	t.is(refused.headers.get('x-ratelimit-remaining'), '0');
	t.is(refused.headers.get('x-ratelimit-reset'), '2600');

	clock.advance(2_600_000);
	const again = await api.get('/v1/projects');
	t.is(again.status, 200);
	t.is(again.headers.get('x-ratelimit-remaining'), '4');
});

test('the budget is per token: another client\'s bad token does not spend it', async t => {
	const api = await sandboxFor(t, {now: new FakeClock().now, rateLimitPerHour: 2});
	for (let index = 0; index < 5; index++) {
		await api.get('/v1/projects', {token: 'someone-elses-token-0000'});
	}

	const mine = await api.get('/v1/projects');
	t.is(mine.status, 200);
	t.is(mine.headers.get('x-ratelimit-remaining'), '1');
});

test('stats count API requests per masked token, by status and by route', async t => {
	const api = await sandboxFor(t);
	await api.get('/v1/projects');
	await api.get('/v1/projects/notechondria/services');
	await api.get('/v1/projects/notechondria/services');
	await api.get('/v1/projects', {token: null});
	const {body} = await api.get('/_sandbox/stats');
	const stats = body.data;
	t.is(stats.total, 4);
	t.deepEqual(stats.byToken, {'nf-…0000': 3, anonymous: 1});
	t.deepEqual(stats.byStatus, {200: 3, 401: 1});
	t.is(stats.byRoute['GET /projects/:projectId/services'], 2);
	t.regex(stats.startedAt, /Z$/);
	t.false(JSON.stringify(stats).includes(defaultSandboxToken));
	t.deepEqual(api.sandbox.stats().byToken, stats.byToken, 'the handle and the endpoint agree');

	const reset = await api.request('DELETE', '/_sandbox/stats');
	t.is(reset.body.data.total, 0);
});
