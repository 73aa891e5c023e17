import test from 'ava';
import type {Container} from '../../source/core/types.js';
import {numberedLines} from '../helpers/fake-log-source.js';
import {logRows, openLogView, settleLogs} from '../helpers/log-view.js';
import {fitProblem, renderApp} from '../helpers/render-app.js';
import {seedLiveState, seedNow} from '../helpers/seed-snapshot.js';
import {waitForConsole, waitForShell} from '../helpers/shell.js';

const hour = 3_600_000;
const pod = (suffix: string, status: Container['status'], hoursOld: number): Container => ({name: `notechondria-backend-78b4d4459d-${suffix}`, status, rawStatus: status.toUpperCase(), createdAt: new Date(seedNow - (hoursOld * hour))});

/** The seed, with the backend running three containers and a fourth that failed. */
function threeRunning() {
	const state = seedLiveState();
	const [service] = state.snapshot!.services;
	const containers = [pod('aaaaa', 'running', 5), pod('bbbbb', 'failed', 4), pod('ccccc', 'running', 3), pod('ddddd', 'running', 2)];
	return {...state, snapshot: {...state.snapshot!, services: [{...service!, containers, instances: 3}]}};
}

for (const [columns, rows] of [[80, 24], [120, 40]] as const) {
	test(`${columns}×${rows}: with several running containers, s first asks which; enter opens the highlighted one`, async t => {
		const app = await renderApp({columns, rows, shell: true, state: threeRunning()});
		await app.harness.press('s');
		const frame = await app.harness.waitFor('which container?');
		t.regex(frame, /Shell in notechondria-backend: which container\?/);
		t.regex(frame, /▸ notechondria-backend-78b4d4459d-aaaaa +5h old/, 'the first running one is highlighted');
		t.regex(frame, / {2}notechondria-backend-78b4d4459d-ccccc/);
		t.regex(frame, / {2}notechondria-backend-78b4d4459d-ddddd/);
		t.false(frame.includes('bbbbb'), 'a failed container is not offered');
		t.regex(frame, /Context: notechondria-sandbox \(SANDBOX\)/);
		t.regex(app.harness.lines().at(-1) ?? '', /enter open {2}j\/↓ choose {2}esc cancel/);
		t.is(fitProblem(app.harness, 'notechondria-sandbox', 'cancel'), undefined);
		t.is(app.shells.calls.length, 0, 'nothing connects before the choice');

		await app.harness.press('j');
		t.regex(app.harness.frame(), /▸ notechondria-backend-78b4d4459d-ccccc/);
		await app.harness.press('enter');
		const session = await waitForShell(app);
		t.is(app.shells.calls[0]?.target.kind === 'service' && app.shells.calls[0].target.instance, 'notechondria-backend-78b4d4459d-ccccc');
		session.exit(0);
		await waitForConsole(app);
		t.false(app.harness.frame().includes('which container?'), 'the chooser is gone');
		await app.harness.unmount();
	});
}

test('esc closes the chooser without opening anything; the same screen is back', async t => {
	const app = await renderApp({shell: true, state: threeRunning()});
	const before = app.harness.lines();
	await app.harness.press('s', 'k', 'esc');
	t.is(app.shells.calls.length, 0);
	t.is(app.harness.lines().at(-2), 'Cancelled; no shell was opened.');
	t.deepEqual(app.harness.lines().slice(0, -2), before.slice(0, -2));
	await app.harness.press('tab');
	t.regex(app.harness.frame(), /┏━ Builds/, 'the dashboard has its keys again');
	await app.harness.unmount();
});

test('one running container among stopped ones: straight to it, no question', async t => {
	const state = threeRunning();
	const [service] = state.snapshot.services;
	state.snapshot.services = [{...service!, containers: [pod('aaaaa', 'stopped', 5), pod('ccccc', 'running', 1)]}];
	const app = await renderApp({shell: true, state});
	await app.harness.press('s');
	await waitForShell(app);
	t.deepEqual(app.shells.calls[0]?.target, {kind: 'service', id: 'notechondria-backend', name: 'notechondria-backend', instance: 'notechondria-backend-78b4d4459d-ccccc'});
	app.shells.sessions[0]!.exit(0);
	await waitForConsole(app);
	await app.harness.unmount();
});

test('jobs and addons open a shell from their pane and from their detail view, which is there again afterwards', async t => {
	const app = await renderApp({shell: true});
	await app.harness.press('tab', 'tab', 'tab', 's');
	await waitForShell(app);
	t.deepEqual(app.shells.calls[0]?.target, {kind: 'job', id: 'notechondria-migrate', name: 'notechondria-migrate'});
	app.shells.sessions[0]!.exit(0);
	await waitForConsole(app);
	t.regex(app.harness.frame(), /┏━ Jobs/, 'the Jobs pane still has the focus');

	await app.harness.press('shift+tab', 'enter');
	const detail = app.harness.lines();
	t.regex(detail.join('\n'), /notechondria-postgres/);
	await app.harness.press('s');
	await waitForShell(app, 2);
	t.deepEqual(app.shells.calls[1]?.target, {kind: 'addon', id: 'notechondria-postgres', name: 'notechondria-postgres'});
	app.shells.sessions[1]!.exit(2);
	await waitForConsole(app, 'exited 2');
	t.deepEqual(app.harness.lines().slice(0, -2), detail.slice(0, -2), 'the same detail view');
	t.regex(app.harness.lines().at(-1) ?? '', /s shell/, 'the detail view hints the key');
	await app.harness.unmount();
});

test('a build has no shell: s says so and stays', async t => {
	const app = await renderApp({shell: true});
	await app.harness.press('tab', 's');
	t.is(app.harness.lines().at(-2), 'A build has no shell: select a service, job or addon.');
	t.is(app.shells.calls.length, 0);
	t.is(app.harness.screen(), 'alternate');
	await app.harness.unmount();
});

test(':shell and :exec open a shell in the selection', async t => {
	const app = await renderApp({shell: true});
	await app.harness.press(':');
	await app.harness.type('exec');
	t.regex(app.harness.lines().at(-2) ?? '', /▸shell — Open a shell in the selected row/);
	await app.harness.press('enter');
	await waitForShell(app);
	app.shells.sessions[0]!.exit(0);
	await waitForConsole(app);
	await app.harness.press(':');
	await app.harness.type('shell');
	await app.harness.press('enter');
	await waitForShell(app, 2);
	t.deepEqual(app.shells.calls.map(call => call.target.kind), ['service', 'service']);
	app.shells.sessions[1]!.exit(0);
	await waitForConsole(app);
	await app.harness.unmount();
});

test('from the log viewer, :shell opens in the viewed service; the tail runs on and the view comes back with the new lines', async t => {
	const app = await openLogView({lines: numberedLines(5), shell: true});
	await app.harness.press(':');
	await app.harness.type('shell');
	await app.harness.press('enter');
	const session = await waitForShell(app);
	t.is(app.shells.calls[0]?.target.kind, 'service');
	app.logs.emit(numberedLines(8).slice(5));
	await settleLogs(app);
	t.false(app.harness.frame().includes('line 7'), 'nothing drawn while the shell has the terminal');
	session.exit(0);
	await waitForConsole(app);
	await settleLogs(app);
	t.regex(app.harness.lines()[1] ?? '', /^Logs · notechondria-backend/);
	t.regex(logRows(app).join('\n'), /line 7/);
	t.false(app.logs.stopped, 'the tail was not stopped');
	await app.harness.unmount();
});

test('with nothing selected, s says what to select', async t => {
	const app = await renderApp({shell: true});
	await app.harness.press('/');
	await app.harness.type('no-such-service');
	await app.harness.press('enter', 's');
	t.is(app.harness.lines().at(-2), 'Select a row in Services first.');
	t.is(app.shells.calls.length, 0);
	await app.harness.unmount();
});
