import test from 'ava';
import {logLine, numberedLines} from '../helpers/fake-log-source.js';
import {logRows, openLogView, settleLogs, statusRow} from '../helpers/log-view.js';

// At 80×24 the viewer has 20 rows of lines: header, title, status line and key hints take 4.
const rowsAt80x24 = 20;

const lineNumbers = (rows: string[]): number[] => rows.map(row => Number(/line (\d+)/.exec(row)?.[1] ?? Number.NaN));

test('the viewer follows the newest lines by default', async t => {
	const app = await openLogView({lines: numberedLines(100)});
	const rows = logRows(app);
	t.is(rows.length, rowsAt80x24);
	t.deepEqual(lineNumbers(rows), Array.from({length: 20}, (_, index) => 80 + index));
	t.regex(statusRow(app), /▼ FOLLOWING$/);
	app.logs.emit(numberedLines(5, {from: 100}));
	await app.harness.waitFor('line 104');
	t.is(lineNumbers(logRows(app)).at(-1), 104);
	await app.harness.unmount();
});

test('scrolling up pauses: the view holds still and counts the new lines; G follows again', async t => {
	const app = await openLogView({lines: numberedLines(100)});
	await app.harness.press('k');
	t.deepEqual(lineNumbers(logRows(app)).slice(0, 2), [79, 80]);
	t.regex(statusRow(app), /PAUSED +G follows$/);
	app.logs.emit(numberedLines(7, {from: 100}));
	await app.harness.waitFor(/PAUSED — 7 new lines/);
	t.deepEqual(lineNumbers(logRows(app)).slice(0, 2), [79, 80], 'new lines do not move a paused view');
	await app.harness.press('G');
	t.regex(statusRow(app), /▼ FOLLOWING$/);
	t.is(lineNumbers(logRows(app)).at(-1), 106);
	await app.harness.unmount();
});

test('reaching the bottom again re-engages follow; F does too', async t => {
	const app = await openLogView({lines: numberedLines(100)});
	await app.harness.press('k', 'k', 'j');
	t.regex(statusRow(app), /PAUSED/);
	await app.harness.press('j');
	t.regex(statusRow(app), /▼ FOLLOWING$/);
	await app.harness.press('up', 'up', 'F');
	t.regex(statusRow(app), /▼ FOLLOWING$/);
	await app.harness.press('ctrl+u');
	t.is(lineNumbers(logRows(app))[0], 70, 'ctrl-u: half a page up');
	await app.harness.press('ctrl+d');
	t.regex(statusRow(app), /▼ FOLLOWING$/, 'ctrl-d back to the bottom follows');
	await app.harness.unmount();
});

test('page keys move a page, keeping one line of overlap; g goes to the oldest line', async t => {
	const app = await openLogView({lines: numberedLines(100)});
	await app.harness.press('pageup');
	t.is(lineNumbers(logRows(app))[0], 61);
	await app.harness.press('ctrl+b');
	t.is(lineNumbers(logRows(app))[0], 42);
	await app.harness.press('pagedown');
	t.is(lineNumbers(logRows(app))[0], 61);
	await app.harness.press('g');
	t.is(lineNumbers(logRows(app))[0], 0);
	await app.harness.press('pagedown', 'pagedown', 'pagedown', 'pagedown', 'pagedown');
	t.regex(statusRow(app), /▼ FOLLOWING$/);
	await app.harness.unmount();
});

test('scrolling past the top pages in older history without moving what is on screen', async t => {
	const older = numberedLines(8, {from: -8, text: index => `older ${index}`});
	const app = await openLogView({logs: {history: {'notechondria-backend': older}, options: {historyPageSize: 5}}, lines: numberedLines(30)});
	await app.harness.press('g');
	t.is(lineNumbers(logRows(app))[0], 0);
	await app.harness.press('k');
	await app.harness.waitFor('Loaded 5 older lines');
	t.is(lineNumbers(logRows(app))[0], 0, 'the view stays on the line it showed');
	await app.harness.press('k');
	t.regex(logRows(app)[0] ?? '', /older -1/);
	await app.harness.press('g', 'g');
	await app.harness.waitFor('Loaded 3 older lines');
	await app.harness.press('g');
	t.regex(logRows(app)[0] ?? '', /older -8/);
	await app.harness.press('k');
	await app.harness.waitFor('start of the history');
	t.is(app.logs.fetches.length, 2, 'the platform said there was no more: it is not asked again');
	t.regex(app.harness.lines()[1] ?? '', /38 lines/);
	await app.harness.unmount();
});

test('a full buffer says that older history cannot be held, and how many lines it dropped', async t => {
	const app = await openLogView({logs: {history: {'notechondria-backend': numberedLines(5, {from: -5})}, options: {capacity: 50}}, lines: numberedLines(80)});
	t.regex(app.harness.lines()[1] ?? '', /50 lines · 30 older lines dropped/);
	await app.harness.press('g', 'g');
	await app.harness.waitFor('buffer is full (50 lines): older history cannot be held');
	t.is(app.logs.fetches.length, 0);
	await app.harness.unmount();
});

test('a paused view whose lines were dropped stays on the oldest line held', async t => {
	const app = await openLogView({logs: {options: {capacity: 40}}, lines: numberedLines(40)});
	await app.harness.press('g');
	t.is(lineNumbers(logRows(app))[0], 0);
	app.logs.emit(numberedLines(10, {from: 40}));
	await settleLogs(app);
	t.is(lineNumbers(logRows(app))[0], 10);
	t.regex(statusRow(app), /PAUSED — 10 new lines/);
	t.regex(app.harness.lines()[1] ?? '', /10 older lines dropped/);
	await app.harness.unmount();
});

test('an empty view says it is waiting; lines then appear', async t => {
	const app = await openLogView();
	t.regex(app.harness.frame(), /waiting for lines…/);
	app.logs.emit([logLine('first line')]);
	await app.harness.waitFor('first line');
	t.notRegex(app.harness.frame(), /waiting for lines/);
	await app.harness.unmount();
});

test('a flood is drawn at the frame tick, never line by line, and only the visible rows', async t => {
	const app = await openLogView({columns: 120, rows: 40, logs: {options: {frameMs: 100}}});
	const writesBefore = app.harness.stdout.chunks.length;
	const bytesBefore = app.harness.bytesWritten;
	const started = performance.now();
	for (let batch = 0; batch < 50; batch++) {
		app.logs.emit(numberedLines(1000, {from: batch * 1000, text: index => `line ${index} ${'z'.repeat(60)}`}));
		await new Promise(resolve => {
			setTimeout(resolve, 10);
		});
	}

	await app.harness.waitFor('line 49999');
	const seconds = (performance.now() - started) / 1000;
	const writes = app.harness.stdout.chunks.length - writesBefore;
	// Each frame is at most a few writes (synchronised-output markers around the frame).
	t.true(writes <= Math.ceil(seconds * 10 * 3) + 6, `${writes} writes in ${seconds.toFixed(2)} s`);
	const bytes = app.harness.bytesWritten - bytesBefore;
	t.true(bytes / (writes / 3) < 12_000, `${bytes} bytes: each frame rewrites at most the screen`);
	t.regex(app.harness.lines()[1] ?? '', /50,000 lines$/);
	await app.harness.unmount();
});

test('an idle log view writes nothing while no lines arrive', async t => {
	const app = await openLogView({lines: numberedLines(50)});
	const before = app.harness.bytesWritten;
	await new Promise(resolve => {
		setTimeout(resolve, 500);
	});
	await app.harness.settle();
	t.is(app.harness.bytesWritten - before, 0);
	await app.harness.unmount();
});

test('keys that arrive together (held down over a slow link) each move the view', async t => {
	const app = await openLogView({lines: numberedLines(100)});
	await app.harness.type('kkk');
	t.is(lineNumbers(logRows(app))[0], 77);
	await app.harness.type('jjj');
	t.regex(statusRow(app), /▼ FOLLOWING$/);
	await app.harness.unmount();
});
