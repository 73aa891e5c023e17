import '../helpers/force-colour.js';
import test from 'ava';
import {numberedLines} from '../helpers/fake-log-source.js';
import {logRows, openLogView, statusRow, titleRow} from '../helpers/log-view.js';

// 200 lines; every tenth is an error: `error 0`, `error 10`, … `error 190` (20 of them).
const mixed = () => numberedLines(200, {text: index => (index % 10 === 0 ? `error ${index} timeout` : `line ${index}`)});

test('/ highlights every match and jumps to the newest, keeping the lines around it in view', async t => {
	const app = await openLogView({lines: mixed()});
	await app.harness.press('/');
	t.regex(statusRow(app), /^\/▏/);
	await app.harness.type('error');
	await app.harness.press('enter');
	const rows = logRows(app);
	const at = rows.findIndex(row => row.includes('error 190'));
	t.true(at > 2, `context above the match: ${rows.join('\n')}`);
	t.true(rows.some(row => row.includes('line 189')) && rows.some(row => row.includes('line 191')), 'the lines around it are not hidden');
	t.regex(statusRow(app), /\/error 20\/20/);
	t.true(app.harness.styleOf('error 190')?.inverse, 'the match is in reverse video');
	t.regex(statusRow(app), /PAUSED/, 'jumping to a match pauses follow');
	await app.harness.unmount();
});

test('n and N jump between matches with a counter, wrapping round at the ends', async t => {
	const app = await openLogView({lines: mixed()});
	await app.harness.press('/');
	await app.harness.type('error');
	await app.harness.press('enter', 'N');
	t.regex(statusRow(app), /\/error 19\/20/);
	t.true(logRows(app).some(row => row.includes('error 180')));
	await app.harness.press('N', 'N');
	t.regex(statusRow(app), /\/error 17\/20/);
	t.true(logRows(app).some(row => row.includes('line 159')), 'context before the match stays');
	await app.harness.press('n');
	t.regex(statusRow(app), /\/error 18\/20/);
	await app.harness.press('n', 'n', 'n');
	t.regex(statusRow(app), /Passed the newest match; back to the oldest/);
	await app.harness.press('n');
	t.regex(statusRow(app), /\/error 2\/20/);
	t.true(logRows(app).some(row => row.includes('error 10 timeout')));
	await app.harness.unmount();
});

test('the search counter follows new matches; an empty search clears it', async t => {
	const app = await openLogView({lines: mixed()});
	await app.harness.press('/');
	await app.harness.type('timeout');
	await app.harness.press('enter');
	app.logs.emit(numberedLines(10, {from: 200, text: index => (index === 205 ? 'error 205 timeout' : `line ${index}`)}));
	await app.harness.waitFor(/timeout 20\/21/);
	await app.harness.press('/', 'ctrl+u', 'enter');
	t.notRegex(statusRow(app), /timeout/);
	t.false(app.harness.styleOf('error 190')?.inverse ?? false);
	await app.harness.unmount();
});

test('a search that matches nothing says so and leaves the view alone', async t => {
	const app = await openLogView({lines: mixed()});
	await app.harness.press('/');
	await app.harness.type('segfault');
	await app.harness.press('enter');
	t.regex(statusRow(app), /No line matches \/segfault/);
	t.regex(statusRow(app), /FOLLOWING/);
	await app.harness.unmount();
});

test('& shows only matching lines; ! hides matching lines; the title counts them', async t => {
	const app = await openLogView({lines: mixed()});
	await app.harness.press('&');
	await app.harness.type('error');
	await app.harness.press('enter');
	let rows = logRows(app).filter(Boolean);
	t.true(rows.every(row => /error \d+/.test(row)), rows.join('\n'));
	t.is(rows.at(-1)?.trim(), 'error 190 timeout');
	t.regex(titleRow(app), /20 of 200 lines/);
	t.regex(statusRow(app), /&error/);
	await app.harness.press('!');
	await app.harness.type('^error 1');
	await app.harness.press('enter');
	rows = logRows(app).filter(Boolean);
	t.deepEqual(rows.map(row => row.trim()), ['error 0 timeout', ...[2, 3, 4, 5, 6, 7, 8, 9].map(tens => `error ${tens}0 timeout`)]);
	t.regex(statusRow(app), /&error +!\^error 1/);
	await app.harness.unmount();
});

test('esc in the filter prompt, or an empty filter, clears it', async t => {
	const app = await openLogView({lines: mixed()});
	await app.harness.press('&');
	await app.harness.type('error');
	await app.harness.press('enter');
	t.regex(titleRow(app), /20 of 200 lines/);
	await app.harness.press('&');
	t.regex(statusRow(app), /^&error▏/, 'the prompt starts from the filter in force');
	await app.harness.press('esc');
	t.regex(titleRow(app), / 200 lines/);
	t.notRegex(titleRow(app), / of /);
	await app.harness.press('!');
	await app.harness.type('line');
	await app.harness.press('enter');
	t.regex(titleRow(app), /20 of 200 lines/);
	await app.harness.press('!', 'ctrl+u', 'enter');
	t.notRegex(titleRow(app), / of /);
	await app.harness.unmount();
});

test('a bad regular expression is a message in the prompt, not a crash', async t => {
	const app = await openLogView({lines: mixed()});
	await app.harness.press('&');
	await app.harness.type('(unclosed');
	await app.harness.press('enter');
	t.regex(statusRow(app), /^&\(unclosed▏ +✖ not a valid regular expression: .*Unterminated group/);
	await app.harness.press('backspace');
	t.notRegex(statusRow(app), /✖/, 'editing clears the message');
	await app.harness.press('esc');
	t.regex(statusRow(app), /FOLLOWING/);
	await app.harness.press('/');
	await app.harness.type('[');
	await app.harness.press('enter');
	t.regex(statusRow(app), /not a valid regular expression/);
	await app.harness.press('esc');
	t.is(logRows(app).filter(Boolean).length, 20, 'the lines are all still there');
	await app.harness.unmount();
});

test('a search within a filter counts only the listed lines', async t => {
	const app = await openLogView({lines: mixed()});
	await app.harness.press('!');
	await app.harness.type('^line');
	await app.harness.press('enter', '/');
	await app.harness.type('1\\d0 ');
	await app.harness.press('enter');
	t.regex(statusRow(app), /10\/10/);
	await app.harness.unmount();
});

test('text and Enter arriving in one burst (a paste, typing over SSH) still apply', async t => {
	const app = await openLogView({lines: mixed()});
	await app.harness.press('/');
	await app.harness.type('timeout\r');
	t.regex(statusRow(app), /\/timeout 20\/20/);
	await app.harness.press(':');
	await app.harness.type('logs all\r');
	t.is(app.logSources.length, 2, 'the palette too');
	await app.harness.unmount();
});
