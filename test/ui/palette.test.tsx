import test from 'ava';
import {recordingActions, renderApp} from '../helpers/render-app.js';

const statusLine = (lines: string[]): string => lines.at(-2) ?? '';

test(': opens the palette with suggestions; tab completes and enter runs', async t => {
	const {harness} = await renderApp({actions: recordingActions()});
	await harness.press(':');
	await harness.type('j');
	t.regex(statusLine(harness.lines()), /^:j▏\s+▸jobs — Focus the Jobs pane/);
	await harness.press('tab');
	t.regex(statusLine(harness.lines()), /^:jobs▏/);
	await harness.press('enter');
	t.regex(harness.frame(), /┏━ Jobs/);
	t.false(statusLine(harness.lines()).startsWith(':'));
	await harness.unmount();
});

test('the palette offers build and restart only when actions exist (read-only has none)', async t => {
	const readOnly = await renderApp();
	await readOnly.harness.press(':');
	await readOnly.harness.type('b');
	t.regex(statusLine(readOnly.harness.lines()), /▸builds/);
	t.false(statusLine(readOnly.harness.lines()).includes(' build '));
	await readOnly.harness.type('uild');
	await readOnly.harness.press('backspace', 'backspace', 'backspace', 'backspace', 'backspace');
	await readOnly.harness.type('restart');
	t.regex(statusLine(readOnly.harness.lines()), /no such command/);
	await readOnly.harness.unmount();

	const writable = await renderApp({actions: recordingActions()});
	await writable.harness.press(':');
	await writable.harness.type('b');
	t.regex(statusLine(writable.harness.lines()), /▸builds\s+build/);
	await writable.harness.unmount();
});

test('up/down choose among suggestions', async t => {
	const {harness} = await renderApp({actions: recordingActions()});
	await harness.press(':');
	await harness.type('b');
	await harness.press('down');
	t.regex(statusLine(harness.lines()), /▸build — Start a build/);
	await harness.press('up');
	t.regex(statusLine(harness.lines()), /▸builds +build — Focus the Builds pane/);
	await harness.press('esc');
	t.false(statusLine(harness.lines()).startsWith(':'));
	await harness.unmount();
});

test(':build asks first, and Enter on the dialog as it opens cancels', async t => {
	const actions = recordingActions();
	const {harness} = await renderApp({actions});
	await harness.press(':');
	await harness.type('build');
	await harness.press('enter');
	const frame = harness.frame();
	t.true(frame.includes('Start a build of notechondria-backend?'));
	t.true(frame.includes('Context: notechondria-sandbox (SANDBOX)'));
	t.regex(frame, / Build +\[ Cancel \]/, 'Cancel is highlighted');
	await harness.press('enter');
	t.deepEqual(actions.calls, []);
	t.false(harness.frame().includes('Start a build of'));
	t.regex(statusLine(harness.lines()), /Cancelled; nothing was changed/);
	await harness.unmount();
});

test('y confirms a build; the result shows in the status line and a refresh is asked for', async t => {
	const actions = recordingActions();
	const {harness, source} = await renderApp({actions});
	await harness.press(':');
	await harness.type('build');
	await harness.press('enter', 'y');
	t.deepEqual(actions.calls, [{action: 'startBuild', serviceId: 'notechondria-backend'}]);
	await harness.waitFor('✔ Build started for notechondria-backend.');
	t.is(source.calls.refreshNow, 1);
	await harness.unmount();
});

test('← then Enter confirms a restart', async t => {
	const actions = recordingActions();
	const {harness} = await renderApp({actions});
	await harness.press(':');
	await harness.type('restart');
	await harness.press('enter');
	t.true(harness.frame().includes('Restart notechondria-backend?'));
	await harness.press('left');
	t.regex(harness.frame(), /\[ Restart \] +Cancel/);
	await harness.press('enter');
	t.deepEqual(actions.calls, [{action: 'restartService', serviceId: 'notechondria-backend'}]);
	await harness.waitFor('Restart requested for notechondria-backend');
	await harness.unmount();
});

test('a failed action says so in the status line', async t => {
	const actions = recordingActions({fail: 'the platform answered 503'});
	const {harness} = await renderApp({actions});
	await harness.press(':');
	await harness.type('build');
	await harness.press('enter', 'y');
	const frame = await harness.waitFor('✖ Could not start a build');
	t.regex(frame, /Could not start a build of notechondria-backend: the platform answered 503/);
	await harness.unmount();
});

test('esc and n cancel the dialog; keys do not leak to the dashboard underneath', async t => {
	const actions = recordingActions();
	const {harness, quits} = await renderApp({actions});
	await harness.press(':');
	await harness.type('build');
	await harness.press('enter', 'q', 'j', 'tab', 'esc');
	t.is(quits(), 0);
	t.deepEqual(actions.calls, []);
	t.regex(harness.frame(), /┏━ Services/);
	await harness.press(':');
	await harness.type('build');
	await harness.press('enter', 'n');
	t.deepEqual(actions.calls, []);
	t.false(harness.frame().includes('Start a build of'));
	await harness.unmount();
});

test('an unknown command is reported, not run', async t => {
	const {harness} = await renderApp();
	await harness.press(':');
	await harness.type('deploy');
	await harness.press('enter');
	t.regex(statusLine(harness.lines()), /No command "deploy"/);
	await harness.unmount();
});

test(':refresh, :help and :q do what they say', async t => {
	const {harness, source, quits} = await renderApp();
	await harness.press(':');
	await harness.type('refresh');
	await harness.press('enter');
	t.is(source.calls.refreshNow, 1);
	await harness.press(':');
	await harness.type('help');
	await harness.press('enter');
	t.true(harness.frame().includes('Help — keys and commands'));
	await harness.press(':');
	await harness.type('q');
	await harness.press('enter');
	t.is(quits(), 1);
	await harness.unmount();
});
