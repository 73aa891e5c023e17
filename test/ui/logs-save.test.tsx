import {Buffer} from 'node:buffer';
import {mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {logLine, numberedLines} from '../helpers/fake-log-source.js';
import {openLogView, statusRow} from '../helpers/log-view.js';

const folder = () => mkdtempSync(join(tmpdir(), 'wheelhouse-save-'));

const lines = () => [
	...numberedLines(3),
	logLine('\u001B[31mERROR\u001B[0m disk full\u001B]52;c;cm0gLXJmIH4=\u0007 \u001B]0;owned\u0007\u001B[2J'),
	logLine('{"level":"info","msg":"Saved note","id":7}'),
];

test('s offers a file name for the target and the time', async t => {
	const app = await openLogView({columns: 120, rows: 40, lines: lines()});
	await app.harness.press('s');
	t.regex(statusRow(app), /^save to: \.\/wheelhouse-notechondria-backend-\d{8}-\d{6}\.log▏ {2}enter saves · esc cancels/);
	await app.harness.press('esc');
	t.regex(statusRow(app), /FOLLOWING/);
	await app.harness.unmount();
});

test('s saves every line as plain text, mode 0600, without a single escape code', async t => {
	const path = join(folder(), 'backend.log');
	const app = await openLogView({columns: 120, rows: 40, lines: lines()});
	await app.harness.press('s', 'ctrl+u');
	await app.harness.type(path);
	await app.harness.press('enter');
	await app.harness.waitFor(`Saved 5 lines to ${path}`);
	const saved = readFileSync(path, 'utf8');
	t.is(statSync(path).mode & 0o777, 0o600);
	t.false(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/.test(saved), 'no escape or control character at all');
	const rows = saved.split('\n');
	t.is(rows.length, 6, 'five lines and a final newline');
	t.regex(rows[0] ?? '', /^2026-11-2\dT\d\d:\d\d:40\.000Z line 0$/);
	t.regex(rows[3] ?? '', /Z ERROR disk full $/);
	t.regex(rows[4] ?? '', /Z INFO {2}Saved note {2}id=7$/);
	t.false(saved.includes('owned'));
	await app.harness.unmount();
});

test('with a filter on, only the filtered lines are saved; J saves JSON raw', async t => {
	const path = join(folder(), 'filtered.log');
	const app = await openLogView({columns: 120, rows: 40, lines: lines()});
	await app.harness.press('!');
	await app.harness.type('^line');
	await app.harness.press('enter', 'J', 's', 'ctrl+u');
	await app.harness.type(path);
	await app.harness.press('enter');
	await app.harness.waitFor('Saved 2 filtered lines');
	const rows = readFileSync(path, 'utf8').trim().split('\n');
	t.is(rows.length, 2);
	t.regex(rows[1] ?? '', /Z \{"level":"info","msg":"Saved note","id":7\}$/);
	await app.harness.unmount();
});

test('an existing file is never overwritten without asking', async t => {
	const path = join(folder(), 'exists.log');
	writeFileSync(path, 'keep me\n', {mode: 0o644});
	const app = await openLogView({columns: 120, rows: 40, lines: lines()});
	await app.harness.press('s', 'ctrl+u');
	await app.harness.type(path);
	await app.harness.press('enter');
	await app.harness.waitFor('exists. Replace it?');
	t.regex(app.harness.lines().at(-1) ?? '', /y replace {2}n\/esc keep/);
	await app.harness.press('j');
	t.is(readFileSync(path, 'utf8'), 'keep me\n', 'other keys do nothing while it asks');
	await app.harness.press('n');
	t.regex(statusRow(app), /Not saved; the file was left as it was/);
	t.is(readFileSync(path, 'utf8'), 'keep me\n');
	await app.harness.press('s', 'ctrl+u');
	await app.harness.type(path);
	await app.harness.press('enter');
	await app.harness.waitFor('exists. Replace it?');
	await app.harness.press('y');
	await app.harness.waitFor(`Saved 5 lines to ${path}`);
	t.regex(readFileSync(path, 'utf8'), /line 0/);
	t.is(statSync(path).mode & 0o777, 0o600, 'a replaced file is made private too');
	await app.harness.unmount();
});

test('a file that cannot be written gets a message naming why', async t => {
	const app = await openLogView({columns: 120, rows: 40, lines: lines()});
	await app.harness.press('s', 'ctrl+u');
	await app.harness.type(join(folder(), 'missing', 'x.log'));
	await app.harness.press('enter');
	await app.harness.waitFor(/Could not save to .*missing\/x\.log: the folder does not exist/);
	t.pass();
	await app.harness.unmount();
});

test('y copies the current line with OSC 52, written to the terminal', async t => {
	const app = await openLogView({lines: [logLine('first'), logLine('\u001B[32mthe newest\u001B[0m line')]});
	const before = app.harness.output().length;
	await app.harness.press('y');
	const written = app.harness.output().slice(before);
	t.true(written.includes(`\u001B]52;c;${Buffer.from('the newest line').toString('base64')}\u0007`), 'the bottom line, without its colour');
	t.regex(statusRow(app), /Copied 15 characters \(OSC 52\): the newest line/);
	await app.harness.press('/');
	await app.harness.type('first');
	await app.harness.press('enter', 'y');
	t.true(app.harness.output().includes(`\u001B]52;c;${Buffer.from('first').toString('base64')}\u0007`), 'the search match when there is one');
	await app.harness.unmount();
});
