import '../helpers/force-colour.js';
import test from 'ava';
import {fitProblem, renderApp, sandboxContext} from '../helpers/render-app.js';
import {seedLiveState, seedNow} from '../helpers/seed-snapshot.js';

const header = (lines: string[]): string => lines[0] ?? '';

test('before the first snapshot the header says loading… and the panes wait', async t => {
	const {harness, source} = await renderApp({state: {loading: true, transitioning: false, requests: 0, budget: {}}});
	t.true(header(harness.lines()).endsWith('loading…'));
	t.true(harness.frame().includes('loading…'));
	source.update(seedLiveState());
	await harness.settle();
	t.regex(header(harness.lines()), /updated 4s ago/);
	t.true(harness.frame().includes('notechondria-backend'));
	await harness.unmount();
});

test('"updated 4s ago" counts up with the clock', async t => {
	const {harness, clock} = await renderApp();
	clock.advance(1000);
	await harness.settle();
	t.regex(header(harness.lines()), /updated 5s ago/);
	clock.advance(60_000);
	await harness.settle();
	t.regex(header(harness.lines()), /updated 1m ago/);
	await harness.unmount();
});

test('STALE since … with the error appears while refreshes fail and goes away on recovery', async t => {
	const {harness, source, clock} = await renderApp();
	const staleSince = new Date(2026, 10, 22, 3, 12, 40);
	source.update({staleSince, error: {message: 'api.northflank.com unreachable (ECONNREFUSED)', hint: 'Check the network or VPN.'}});
	await harness.settle();
	const stale = header(harness.lines());
	t.regex(stale, /STALE since 03:12:40\s+— api\.northflank\.com unre/);
	t.true(stale.includes('SANDBOX'), 'the badge stays');
	t.regex(harness.lines().at(-2) ?? '', /hint: Check the network or VPN\./);
	t.true(harness.frame().includes('notechondria-backend'), 'the last known data stays on screen');
	t.is(fitProblem(harness, sandboxContext.name), undefined);

	clock.advance(30_000);
	source.update({staleSince: undefined, error: undefined, updatedAt: new Date(seedNow + 29_000)});
	await harness.settle();
	t.false(harness.frame().includes('STALE'));
	t.regex(header(harness.lines()), /updated 1s ago/);
	await harness.unmount();
});

test('STALE is drawn in red reverse video', async t => {
	const {harness, source} = await renderApp();
	source.update({staleSince: new Date(seedNow - 5000), error: {message: 'timeout'}});
	await harness.settle();
	const style = harness.styleOf('STALE');
	t.truthy(style);
	t.true(style?.inverse);
	t.is(style?.foreground, 1, 'red');
	await harness.unmount();
});

test('a marker shows while something is in transition', async t => {
	const {harness, source} = await renderApp({columns: 120, rows: 40});
	t.false(header(harness.lines()).includes('in progress'));
	source.update({transitioning: true});
	await harness.settle();
	t.regex(header(harness.lines()), /◌ in progress\s+updated 4s ago/);
	await harness.unmount();
});

test('the API budget shows requests used of the limit, and nothing when unknown', async t => {
	const {harness, source} = await renderApp({columns: 120, rows: 40});
	t.regex(header(harness.lines()), /api 37\/1000$/);
	source.update({budget: {}});
	await harness.settle();
	t.false(header(harness.lines()).includes('api '));
	await harness.unmount();
});

test('when the first refresh fails the console says so and how to fix it', async t => {
	const {harness} = await renderApp({state: {
		loading: true,
		transitioning: false,
		requests: 1,
		budget: {},
		error: {message: 'The Northflank token was rejected (401).', hint: 'Create a new API token and run wheelhouse setup.'},
	}});
	const frame = harness.frame();
	t.true(frame.includes('Not connected'));
	t.true(frame.includes('✖ The Northflank token was rejected (401).'));
	t.true(frame.includes('Create a new API token and run wheelhouse setup.'));
	t.true(frame.includes('r retries now'));
	await harness.unmount();
});

test('r asks the source for a refresh now', async t => {
	const {harness, source} = await renderApp();
	await harness.press('r');
	t.is(source.calls.refreshNow, 1);
	await harness.unmount();
});
