import '../helpers/no-colour.js';
import test from 'ava';
import {recordingActions, renderApp} from '../helpers/render-app.js';
import {seedNow} from '../helpers/seed-snapshot.js';

const sgr = /\u001B\[[\d;]*m/;

test('with FORCE_COLOR=0 no colour or style codes are written at all', async t => {
	const {harness, source} = await renderApp({actions: recordingActions()});
	await harness.press('tab', 'j', ':');
	await harness.type('build');
	await harness.press('enter');
	source.update({staleSince: new Date(seedNow), error: {message: 'timeout'}});
	await harness.settle();
	t.false(sgr.test(harness.output()));
	await harness.unmount();
});

test('without colour, states still read as symbols and words', async t => {
	const {harness} = await renderApp();
	const frame = harness.frame();
	t.true(frame.includes('SANDBOX'));
	t.true(frame.includes('● healthy'));
	t.true(frame.includes('✖ failure'));
	t.true(frame.includes('✔ success'));
	t.true(frame.includes('● running'));
	await harness.unmount();
});

test('without colour, focus shows as a heavy border and the selection as ›', async t => {
	const {harness} = await renderApp();
	await harness.press('tab', 'j');
	const frame = harness.frame();
	t.regex(frame, /┏━ Builds/);
	t.regex(frame, /┌─ Services/);
	t.regex(frame, /┃›happy-maple-7733/);
	await harness.unmount();
});

test('without colour, the highlighted dialog button and palette suggestion are marked', async t => {
	const {harness} = await renderApp({actions: recordingActions()});
	await harness.press(':');
	await harness.type('bu');
	t.regex(harness.lines().at(-2) ?? '', /▸builds/);
	await harness.type('ild');
	await harness.press('enter');
	t.regex(harness.frame(), /Build +\[ Cancel \]/);
	await harness.press('left');
	t.regex(harness.frame(), /\[ Build \] +Cancel/);
	await harness.unmount();
});

test('without colour, STALE is spelled out', async t => {
	const {harness, source} = await renderApp();
	source.update({staleSince: new Date(seedNow), error: {message: 'timeout'}});
	await harness.settle();
	t.regex(harness.lines()[0] ?? '', /STALE since \d\d:\d\d:\d\d\s+— timeout/);
	await harness.unmount();
});
