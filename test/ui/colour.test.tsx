import '../helpers/force-colour.js';
import test from 'ava';
import {renderApp} from '../helpers/render-app.js';

const red = 1;
const green = 2;
const yellow = 3;
const cyan = 6;

test('states are coloured by meaning', async t => {
	const {harness} = await renderApp({columns: 120, rows: 40});
	t.is(harness.styleOf('● healthy')?.foreground, green);
	t.is(harness.styleOf('✖ failure')?.foreground, red);
	t.is(harness.styleOf('● running')?.foreground, green);
	await harness.unmount();
});

test('the SANDBOX badge is yellow reverse video', async t => {
	const {harness} = await renderApp();
	const badge = harness.styleOf('SANDBOX');
	t.is(badge?.foreground, yellow);
	t.true(badge?.inverse);
	await harness.unmount();
});

test('the focused pane\'s border is cyan, and its selected row is in reverse video', async t => {
	const {harness} = await renderApp();
	t.is(harness.styleOf('┏━')?.foreground, cyan);
	t.true(harness.styleOf('notechondria-backend ')?.inverse);
	t.false(harness.styleOf('notechondria-postgres')?.inverse, 'unfocused panes do not shout');
	await harness.press('tab');
	t.false(harness.styleOf('notechondria-backend ')?.inverse);
	t.true(harness.styleOf('jolly-orbit-8845')?.inverse);
	await harness.unmount();
});
