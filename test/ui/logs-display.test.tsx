import test from 'ava';
import type {DashboardSnapshot} from '../../source/core/types.js';
import {logLine, numberedLines} from '../helpers/fake-log-source.js';
import {logRows, openLogView, settleLogs, statusRow, titleRow} from '../helpers/log-view.js';
import {fitProblem} from '../helpers/render-app.js';
import {seedLiveState, seedSnapshot} from '../helpers/seed-snapshot.js';

const long = `start ${'abcdefghij'.repeat(20)} end`;
const json = '{"time":"2026-11-22T03:12:40Z","level":"warning","logger":"planner.tasks","msg":"Slow query","duration_ms":2400}';

test('long lines wrap by default; w cuts them with … and ←/→ scroll sideways', async t => {
	const app = await openLogView({lines: [logLine(long), logLine('after')]});
	let rows = logRows(app).filter(Boolean);
	t.is(rows.length, 4, '212 characters in 78 columns: three rows, then the next line');
	t.regex(rows[0] ?? '', /^ {2}start abcdefghij/);
	t.regex(rows[2] ?? '', /j end$/);
	t.true(rows.every(row => row.length <= 80));
	await app.harness.press('w');
	rows = logRows(app).filter(Boolean);
	t.is(rows.length, 2);
	t.is(rows[0]?.length, 80);
	t.true(rows[0]?.endsWith('…'));
	await app.harness.press('right');
	rows = logRows(app).filter(Boolean);
	t.regex(rows[0] ?? '', /^ {2}defghijabc/, 'half a screen to the right');
	t.regex(statusRow(app), /→ column 40/);
	await app.harness.press('right', 'right', 'right', 'right');
	t.regex(logRows(app)[0] ?? '', /ij end$/);
	await app.harness.press('left', 'left', 'left', 'left', 'left');
	t.regex(logRows(app)[0] ?? '', /^ {2}start/);
	await app.harness.press('w', 'right');
	t.regex(statusRow(app), /Lines wrap: press w/);
	await app.harness.unmount();
});

test('a wrapped line scrolls row by row, and a line taller than the screen can be read whole', async t => {
	const tall = Array.from({length: 30}, (_, index) => `row${String(index).padStart(2, '0')}`.padEnd(78, '.')).join('');
	const app = await openLogView({lines: [logLine('before'), logLine(tall), logLine('after')]});
	t.regex(logRows(app).at(-1) ?? '', /after/);
	await app.harness.press('g');
	t.regex(logRows(app)[0] ?? '', /before/);
	await app.harness.press('j');
	t.regex(logRows(app)[0] ?? '', /row00/);
	await app.harness.press('j');
	t.regex(logRows(app)[0] ?? '', /row01/);
	t.regex(statusRow(app), /PAUSED/);
	await app.harness.press('pagedown');
	t.regex(logRows(app)[0] ?? '', /row11/);
	t.regex(logRows(app).at(-1) ?? '', /after/);
	t.regex(statusRow(app), /FOLLOWING/);
	await app.harness.unmount();
});

test('t shows timestamps; they stay off the continuation rows of a wrapped line', async t => {
	const time = new Date(logLine('x', {at: 1234}).timestamp);
	const clock = `${String(time.getHours()).padStart(2, '0')}:${String(time.getMinutes()).padStart(2, '0')}:${String(time.getSeconds()).padStart(2, '0')}.234`;
	const app = await openLogView({lines: [logLine(long, {at: 1234})]});
	t.false(app.harness.frame().includes(clock));
	await app.harness.press('t');
	const rows = logRows(app).filter(Boolean);
	t.true(rows[0]?.startsWith(`${clock}   start`), rows[0]);
	t.regex(rows[1] ?? '', /^ {15}\S/);
	await app.harness.press('t');
	t.false(app.harness.frame().includes(clock));
	await app.harness.unmount();
});

test('JSON lines read as level, logger, message and fields; J shows them raw', async t => {
	const app = await openLogView({lines: [logLine(json)]});
	t.regex(logRows(app)[0] ?? '', /^▲ WARN {2}planner\.tasks {2}Slow query {2}duration_ms=2400$/);
	await app.harness.press('J');
	t.regex(app.harness.frame(), /\{"time":"2026-11-22T03:12:40Z","level":"warning"/);
	t.regex(statusRow(app), /raw JSON/);
	await app.harness.press('J');
	t.regex(logRows(app)[0] ?? '', /WARN {2}planner\.tasks/);
	await app.harness.unmount();
});

test('levels read without colour: ✖ errors, ▲ warnings, · debug', async t => {
	const app = await openLogView({lines: [
		logLine('ERROR django.request Internal Server Error: /api/notes/'),
		logLine('WARNING planner.tasks slow'),
		logLine('[INFO] Booting worker'),
		logLine('DEBUG cache miss'),
		logLine('10.0.0.1 - "GET /api/notes/ HTTP/1.1" 503 0'),
	]});
	const rows = logRows(app).filter(Boolean);
	t.deepEqual(rows.map(row => row.slice(0, 2)), ['✖ ', '▲ ', '  ', '· ', '✖ ']);
	await app.harness.unmount();
});

function twoServices(): DashboardSnapshot {
	const snapshot = seedSnapshot();
	const backend = snapshot.services[0]!;
	snapshot.services.push({...backend, id: 'notechondria-worker', name: 'notechondria-worker'});
	return snapshot;
}

test('logs all merges every service with a short per-source prefix', async t => {
	const app = await openLogView({state: {...seedLiveState(), snapshot: twoServices()}, keys: [':', ...'logs all', 'enter']});
	t.deepEqual(app.logs.targets.map(target => target.name), ['notechondria-backend', 'notechondria-worker']);
	app.logs.emit([logLine('request served'), logLine('task done', {source: 'notechondria-worker'})]);
	await app.harness.waitFor('task done');
	const rows = logRows(app).filter(Boolean);
	t.deepEqual(rows, ['backend   request served', 'worker    task done']);
	t.regex(titleRow(app), /^Logs · 2 services: notechondria-backend,… {2}● 1 live {2}worker ◌ connecting +2 lines$/, 'at 80 columns the names give way to the health');
	await app.harness.resize(120, 40);
	t.regex(titleRow(app), /^Logs · 2 services: notechondria-backend, notechondria-worker {2}● 1 live/);
	await app.harness.unmount();
});

test('L on the dashboard opens the merged view too', async t => {
	const app = await openLogView({state: {...seedLiveState(), snapshot: twoServices()}, keys: ['L']});
	t.is(app.logs.targets.length, 2);
	await app.harness.unmount();
});

test('the title shows the stream: live, reconnecting with the count, the longest gap, a failure', async t => {
	const app = await openLogView({lines: numberedLines(3)});
	t.regex(titleRow(app), /Logs · notechondria-backend {2}● live {2,}3 lines$/);
	app.logs.state({status: 'reconnecting', reconnects: 3});
	await app.harness.waitFor('◌ reconnecting (3)');
	app.logs.state({status: 'live', reconnects: 3, longestGapSeconds: 4});
	await app.harness.waitFor('● live gap 4s');
	app.logs.state({status: 'failed', error: 'the token was rejected (401)'});
	await app.harness.waitFor('✖ failed: the token was rejected (401)');
	await app.harness.unmount();
});

test('a merged view names the streams that are not live', async t => {
	const app = await openLogView({state: {...seedLiveState(), snapshot: twoServices()}, keys: ['L']});
	app.logs.state({status: 'reconnecting', reconnects: 2}, app.logs.targets[1]);
	await app.harness.waitFor('● 1 live  worker ◌ reconnecting (2)');
	t.pass();
	await app.harness.unmount();
});

for (const [columns, rows] of [[80, 24], [120, 40], [200, 60]] as const) {
	test(`at ${columns}×${rows} the frame is exactly the terminal, whatever the lines`, async t => {
		const hostile = logLine('\u001B[2J\u001B[999B\u001B]0;owned\u0007wide 漢字漢字 and\ttabs\r\n');
		const app = await openLogView({columns, rows, lines: [...numberedLines(300, {text: index => `${index} ${'x'.repeat(index % 250)}`}), hostile, logLine(json)]});
		const check = (what: string) => {
			t.is(app.harness.lines().length, rows, what);
			t.is(fitProblem(app.harness, 'notechondria-sandbox', 'help'), undefined, what);
		};

		check('wrapped');
		await app.harness.press('w', 't', 'right');
		check('cut, timestamps, scrolled');
		await app.harness.press('k', 'k', '/');
		await app.harness.type('x{10}');
		await app.harness.press('enter');
		check('paused with a search');
		t.false(app.harness.output().includes('owned'), 'the OSC title never reached the terminal');
		await app.harness.unmount();
	});
}

test('resizing keeps the frame inside the terminal', async t => {
	const app = await openLogView({lines: numberedLines(100, {text: index => `${index} ${'y'.repeat(150)}`})});
	await app.harness.resize(120, 40);
	t.is(fitProblem(app.harness, 'notechondria-sandbox', 'help'), undefined);
	t.is(logRows(app).length, 36);
	await app.harness.resize(60, 15);
	t.is(app.harness.wrappedRows().length, 0);
	await settleLogs(app);
	await app.harness.unmount();
});
