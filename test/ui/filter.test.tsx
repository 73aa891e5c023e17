import test from 'ava';
import {renderApp} from '../helpers/render-app.js';

const buildIds = (frame: string): string[] => [...frame.matchAll(/\b([a-z]+-[a-z]+-\d{4})\b/g)].map(match => match[1]!);

test('/ filters the focused pane as you type, case-insensitively, and shows the filter', async t => {
	const {harness} = await renderApp();
	await harness.press('tab', '/');
	t.true(harness.lines().at(-2)?.includes('/▏'));
	await harness.type('GITHUB');
	const frame = harness.frame();
	t.deepEqual(buildIds(frame), ['gentle-lantern-6620', 'fuzzy-harbor-5012']);
	t.true(frame.includes('Builds · notechondria-backend (2/8) /GITHUB'));
	t.true(harness.lines().at(-2)?.startsWith('/GITHUB'));
	t.true(frame.includes('notechondria-postgres'), 'other panes are not filtered');
	await harness.unmount();
});

test('enter keeps the filter and returns to the list; esc then clears it', async t => {
	const {harness} = await renderApp();
	await harness.press('tab', '/');
	await harness.type('fail');
	await harness.press('enter');
	t.deepEqual(buildIds(harness.frame()), ['fuzzy-harbor-5012']);
	t.regex(harness.lines().at(-2) ?? '', /Builds filtered by \/fail/);
	await harness.press('j', 'k');
	t.deepEqual(buildIds(harness.frame()), ['fuzzy-harbor-5012'], 'keys move in the filtered list again');
	await harness.press('esc');
	t.is(buildIds(harness.frame()).length, 8);
	t.false(harness.frame().includes('/fail'));
	await harness.unmount();
});

test('esc while typing clears the filter; backspace edits it', async t => {
	const {harness} = await renderApp();
	await harness.press('tab', '/');
	await harness.type('maplex');
	t.true(harness.frame().includes('nothing matches /maplex'));
	await harness.press('backspace');
	t.deepEqual(buildIds(harness.frame()), ['happy-maple-7733']);
	await harness.press('esc');
	t.is(buildIds(harness.frame()).length, 8);
	t.false(harness.lines().at(-2)?.includes('/'));
	await harness.unmount();
});

test('letters typed into the filter are text, not commands', async t => {
	const {harness, quits} = await renderApp();
	await harness.press('/');
	await harness.press('q', 'r', 'j', 'G', '?');
	t.is(quits(), 0);
	t.true(harness.lines().at(-2)?.startsWith('/qrjG?'));
	await harness.unmount();
});
