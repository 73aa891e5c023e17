import test from 'ava';
import {fitProblem, renderApp, sandboxContext} from '../helpers/render-app.js';

for (const [columns, rows] of [[80, 24], [120, 40]] as const) {
	test(`at ${columns}×${rows} the header names the context, shows SANDBOX, the project and how fresh the data is`, async t => {
		const {harness} = await renderApp({columns, rows});
		const header = harness.lines()[0] ?? '';
		t.true(header.startsWith(columns >= 120 ? 'wheelhouse notechondria-sandbox' : 'notechondria-sandbox'), 'the app name gives way first');
		t.true(header.includes('SANDBOX'));
		t.true(header.includes('notechondria'));
		t.true(header.includes('updated 4s ago'));
		t.true(header.includes('api 37/1000'));
		await harness.unmount();
	});

	test(`at ${columns}×${rows} all four panes show the seed deployment and the frame fits`, async t => {
		const {harness} = await renderApp({columns, rows});
		const frame = harness.frame();
		for (const title of ['Services (1)', 'Builds · notechondria-backend (8)', 'Addons (1)', 'Jobs (1)']) {
			t.true(frame.includes(title), title);
		}

		t.true(frame.includes('notechondria-backend'));
		t.true(frame.includes('● healthy'));
		t.true(frame.includes('88c0ffe'), 'deployed sha, short');
		t.true(frame.includes('notechondria-postgres'));
		t.true(frame.includes('● running'));
		t.true(frame.includes('✔ 2h ago'), 'last backup and its age');
		t.true(frame.includes('notechondria-migrate'));
		t.true(frame.includes('✔ 1d ago'), 'last job run and its age');
		t.is(frame.match(/✖ failure/g)?.length, 1, 'the one failed build');
		t.is(frame.match(/✔ success/g)?.length, 8, 'seven good builds and the service build status');
		t.is(fitProblem(harness, sandboxContext.name), undefined);
		t.is(harness.lines().length, rows);
		await harness.unmount();
	});
}

test('builds are listed newest first with sha, branch, age and duration', async t => {
	const {harness} = await renderApp({columns: 120, rows: 40});
	const buildRows = harness.lines().filter(line => /[a-z]+-[a-z]+-\d{4} /.test(line));
	t.is(buildRows.length, 8);
	t.regex(buildRows[0] ?? '', /jolly-orbit-8845\s+88c0ffe\s+main\s+✔ success\s+1d\s+4m12s\s+Record database latency/);
	t.regex(buildRows[7] ?? '', /joyous-view-6290 .* 9d /);
	await harness.unmount();
});

test('long names are cut with … and never wrap, even on a narrow terminal', async t => {
	const {harness} = await renderApp({columns: 60, rows: 24});
	t.is(fitProblem(harness, sandboxContext.name), undefined);
	t.true(harness.frame().includes('…'));
	await harness.unmount();
});

test('at 200×60 columns dropped at 80 come back and everything still fits', async t => {
	const {harness} = await renderApp({columns: 200, rows: 60});
	const frame = harness.frame();
	t.true(frame.includes('TYPE'));
	t.true(frame.includes('postgresql 16'));
	t.true(frame.includes('europe-west'));
	t.true(frame.includes('northflank'));
	t.is(fitProblem(harness, sandboxContext.name), undefined);
	await harness.unmount();
});

test('a terminal too short for four panes shows the focused pane alone', async t => {
	const {harness} = await renderApp({columns: 80, rows: 12});
	const frame = harness.frame();
	t.true(frame.includes('Services (1)'));
	t.false(frame.includes('Builds ·'));
	t.is(fitProblem(harness, sandboxContext.name), undefined);
	await harness.press('tab');
	t.true(harness.frame().includes('Builds · notechondria-backend'));
	await harness.unmount();
});

test('the layout follows the terminal when it is resized', async t => {
	const {harness} = await renderApp({columns: 120, rows: 40});
	await harness.resize(80, 24);
	t.is(fitProblem(harness, sandboxContext.name), undefined);
	t.true(harness.frame().includes('Jobs (1)'));
	await harness.resize(160, 50);
	t.is(fitProblem(harness, sandboxContext.name), undefined);
	t.true(harness.frame().includes('postgresql 16'));
	await harness.unmount();
});

for (const [columns, rows] of [[40, 10], [30, 8], [50, 6]] as const) {
	test(`a tiny ${columns}×${rows} terminal still shows a whole, unwrapped frame`, async t => {
		const {harness} = await renderApp({columns, rows});
		t.deepEqual(harness.wrappedRows(), []);
		t.true(harness.lines()[0]?.includes('SANDBOX'), 'the badge is never cut');
		t.true(harness.lines().at(-1)?.includes('quit'));
		await harness.press('tab', '?', 'esc', 'enter');
		t.deepEqual(harness.wrappedRows(), []);
		await harness.unmount();
	});
}
