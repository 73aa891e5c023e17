import test from 'ava';
import type {DashboardSnapshot} from '../../source/core/types.js';
import {renderApp} from '../helpers/render-app.js';
import {seedLiveState, seedSnapshot} from '../helpers/seed-snapshot.js';

/** The line of the selected row (marked `›`) inside the pane whose title contains `title`. */
function selectedRow(frame: string, title: string): string | undefined {
	const lines = frame.split('\n');
	const top = lines.findIndex(line => line.includes(title));
	const start = lines[top]?.indexOf(title.slice(0, 3)) ?? 0;
	for (const line of lines.slice(top + 1)) {
		const inPane = line.slice(Math.max(0, start - 4));
		if (/[└┗]/.test(inPane.slice(0, 4))) {
			return undefined;
		}

		const marker = inPane.indexOf('›');
		if (marker !== -1) {
			return inPane.slice(marker);
		}
	}

	return undefined;
}

/** The focused pane has a heavy border: its title line starts with ┏━. */
const focusedTitle = (frame: string): string | undefined =>
	/┏━ ([A-Z][a-z]+)/.exec(frame)?.[1];

function twoServices(): DashboardSnapshot {
	const snapshot = seedSnapshot();
	const backend = snapshot.services[0]!;
	snapshot.services.push({...backend, id: 'notechondria-worker', name: 'notechondria-worker', kind: 'deployment', health: 'degraded', healthReason: '1 of 2 containers running'});
	snapshot.builds['notechondria-worker'] = [{id: 'swift-ember-2001', sha: 'abcdef0123456789', branch: 'worker', status: 'building', rawStatus: 'BUILDING', createdAt: new Date()}];
	return snapshot;
}

test('tab and shift-tab move focus between the panes, highlighting the focused one', async t => {
	const {harness} = await renderApp();
	t.is(focusedTitle(harness.frame()), 'Services');
	await harness.press('tab');
	t.is(focusedTitle(harness.frame()), 'Builds');
	await harness.press('tab', 'tab');
	t.is(focusedTitle(harness.frame()), 'Jobs');
	await harness.press('tab');
	t.is(focusedTitle(harness.frame()), 'Services');
	await harness.press('shift+tab');
	t.is(focusedTitle(harness.frame()), 'Jobs');
	await harness.unmount();
});

test('j/k and the arrows move the selection; g and G jump to the top and bottom', async t => {
	const {harness} = await renderApp();
	await harness.press('tab');
	t.regex(selectedRow(harness.frame(), 'Builds') ?? '', /jolly-orbit-8845/);
	await harness.press('j');
	t.regex(selectedRow(harness.frame(), 'Builds') ?? '', /happy-maple-7733/);
	await harness.press('down', 'down');
	t.regex(selectedRow(harness.frame(), 'Builds') ?? '', /fuzzy-harbor-5012 .*✖ failure/);
	await harness.press('k');
	t.regex(selectedRow(harness.frame(), 'Builds') ?? '', /gentle-lantern-6620/);
	await harness.press('G');
	t.regex(selectedRow(harness.frame(), 'Builds') ?? '', /joyous-view-6290/);
	await harness.press('j');
	t.regex(selectedRow(harness.frame(), 'Builds') ?? '', /joyous-view-6290/, 'stops at the bottom');
	await harness.press('g');
	t.regex(selectedRow(harness.frame(), 'Builds') ?? '', /jolly-orbit-8845/);
	await harness.press('up');
	t.regex(selectedRow(harness.frame(), 'Builds') ?? '', /jolly-orbit-8845/, 'stops at the top');
	await harness.unmount();
});

test('a list longer than its pane scrolls to keep the selection in view', async t => {
	const {harness} = await renderApp({columns: 80, rows: 16});
	await harness.press('tab');
	t.false(harness.frame().includes('joyous-view-6290'));
	await harness.press('G');
	t.regex(selectedRow(harness.frame(), 'Builds') ?? '', /joyous-view-6290/);
	t.false(harness.frame().includes('jolly-orbit-8845'));
	await harness.press('g');
	t.true(harness.frame().includes('jolly-orbit-8845'));
	await harness.unmount();
});

test('selecting a service tells the source and shows that service\'s builds', async t => {
	const {harness, source} = await renderApp({state: {...seedLiveState(), snapshot: twoServices()}});
	t.deepEqual(source.calls.selectService, ['notechondria-backend']);
	await harness.press('j');
	t.deepEqual(source.calls.selectService, ['notechondria-backend', 'notechondria-worker']);
	const frame = harness.frame();
	t.true(frame.includes('Builds · notechondria-worker (1)'));
	t.true(frame.includes('swift-ember-2001'));
	t.true(frame.includes('◌ building'));
	t.true(frame.includes('▲ degraded'));
	await harness.unmount();
});

test('builds the source has not fetched yet show as loading, not as missing', async t => {
	const snapshot = twoServices();
	delete snapshot.builds['notechondria-worker'];
	const {harness} = await renderApp({state: {...seedLiveState(), snapshot}});
	await harness.press('j');
	t.true(harness.frame().includes('loading builds…'));
	await harness.unmount();
});

test('the selection follows its row when a refresh reorders the list', async t => {
	const snapshot = twoServices();
	const {harness, source} = await renderApp({state: {...seedLiveState(), snapshot}});
	await harness.press('j');
	source.update({snapshot: {...snapshot, services: [...snapshot.services].reverse()}});
	await harness.settle();
	t.regex(selectedRow(harness.frame(), 'Services') ?? '', /notechondria-worker/);
	await harness.unmount();
});

test('enter opens the selected service with its containers, ports and health path; esc goes back', async t => {
	const {harness} = await renderApp();
	await harness.press('enter');
	const frame = harness.frame();
	t.true(frame.includes('Service notechondria-backend'));
	t.regex(frame, /Deployment\s+✔ completed/);
	t.regex(frame, /Last change\s+deployment is healthy/);
	t.regex(frame, /Ports\s+p01 8000\/HTTP public/);
	t.regex(frame, /Health path\s+\/api\/health\//);
	t.regex(frame, /Deployed\s+jolly-orbit-8845/);
	t.regex(frame, /notechondria-backend-78b4d4459d-x7k2p\s+● running/);
	t.true(harness.lines().at(-1)?.includes('esc back'));
	await harness.press('esc');
	t.true(harness.frame().includes('Services (1)'));
	await harness.unmount();
});

test('enter on a build shows all its fields', async t => {
	const {harness} = await renderApp();
	await harness.press('tab', 'j', 'j', 'j', 'enter');
	const frame = harness.frame();
	t.true(frame.includes('Build fuzzy-harbor-5012'));
	t.regex(frame, /Status\s+✖ failure \(FAILURE\)/);
	t.regex(frame, /Commit\s+55c0ffee4a{31}/);
	t.regex(frame, /Message\s+Add experimental GitHub data-sync push endpoint/);
	t.regex(frame, /Took\s+4m12s/);
	await harness.press('esc');
	t.true(harness.frame().includes('Builds · notechondria-backend'));
	await harness.unmount();
});

test('enter on the addon lists its backups; on the job, its runs', async t => {
	const {harness} = await renderApp();
	await harness.press('tab', 'tab', 'enter');
	let frame = harness.frame();
	t.true(frame.includes('Addon notechondria-postgres'));
	t.true(frame.includes('Backups (2)'));
	t.regex(frame, /nightly-2026-11-22\s+✔ completed/);
	t.true(frame.includes('pre-release-0042'));
	await harness.press('esc', 'tab', 'enter');
	frame = harness.frame();
	t.true(frame.includes('Job notechondria-migrate'));
	t.true(frame.includes('Runs (2)'));
	t.regex(frame, /migrate-0042\s+✔ success/);
	await harness.unmount();
});

test('a detail view longer than the screen scrolls with j/k', async t => {
	const {harness} = await renderApp({columns: 80, rows: 14});
	await harness.press('enter');
	t.false(harness.frame().includes('Containers (1)'));
	await harness.press('G');
	t.true(harness.frame().includes('Containers (1)'));
	await harness.press('g');
	t.true(harness.frame().includes('Health '));
	await harness.unmount();
});
