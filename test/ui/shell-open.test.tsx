import test from 'ava';
import {fitProblem, renderApp} from '../helpers/render-app.js';
import {waitForConsole, waitForShell} from '../helpers/shell.js';

const container = 'notechondria-backend-78b4d4459d-x7k2p';

for (const [columns, rows] of [[80, 24], [120, 40]] as const) {
	test(`${columns}×${rows}: s hands the terminal to a shell in the selected container and takes it back on the same screen`, async t => {
		const app = await renderApp({columns, rows, shell: true});
		const {harness} = app;
		const before = harness.lines();
		await harness.press('s');
		const session = await waitForShell(app);
		t.deepEqual(app.shells.calls, [{target: {kind: 'service', id: 'notechondria-backend', name: 'notechondria-backend', instance: container}, size: {columns, rows}}]);
		t.is(harness.screen(), 'normal', 'the console left its alternate screen');
		t.regex(harness.frame().replaceAll('\n', ''), new RegExp(`wheelhouse: shell in ${container} on notechondria-sandbox \\(SANDBOX`));
		t.deepEqual(harness.stdin.rawModes, [true, false, true], 'Ink let go of the keyboard; the hand-off took it in raw mode');

		// The console keeps its data fresh, but does not draw while the shell has the terminal.
		const mark = harness.stdout.chunks.length;
		app.source.update({budget: {limit: 1000, remaining: 901}});
		app.clock.advance(1000);
		await harness.type('echo hi');
		await harness.press('enter');
		session.emit('hi\r\n$ ');
		await harness.waitFor(/^echo hi\nhi\n\$/m);
		t.is(session.input, 'echo hi\r', 'the bytes typed reached the session, and only those');
		const writtenMeanwhile = harness.stdout.chunks.slice(mark).join('');
		t.is(writtenMeanwhile, 'echo hi\r\nhi\r\n$ ', 'nothing but the shell\'s output reached the terminal');

		session.exit(3);
		await waitForConsole(app, 'exited 3');
		const after = harness.lines();
		t.is(after.at(-2), `✖ shell in ${container} exited 3`);
		t.regex(after[0] ?? '', /api 99\/1000/, 'the live source ran on during the session');
		t.deepEqual(after.slice(1, -2), before.slice(1, -2), 'the same panes, selection and rows');
		t.is(after.at(-1), before.at(-1), 'the same key hints');
		t.is(fitProblem(harness, 'notechondria-sandbox'), undefined);

		t.true(harness.stdin.isRaw, 'Ink has the keyboard again, in raw mode');
		t.deepEqual(harness.stdin.rawModes, [true, false, true, false, true]);
		t.is(harness.stdin.listenerCount('data'), 0, 'the hand-off stopped reading');
		await harness.press('tab');
		t.regex(harness.frame(), /┏━ Builds/, 'keys reach the console again');
		t.is(session.input, 'echo hi\r', 'and not the ended session');
		await harness.unmount();
	});
}

test('a resize during the session reaches the remote pty, and the console comes back at the new size', async t => {
	const app = await renderApp({shell: true});
	await app.harness.press('s');
	const session = await waitForShell(app);
	t.deepEqual(session.resizes, [[80, 24]], 'the size is sent as the session starts');
	await app.harness.resize(100, 30);
	await app.harness.resize(72, 20);
	t.deepEqual(session.resizes, [[80, 24], [100, 30], [72, 20]]);
	session.exit(0);
	await waitForConsole(app, 'exited 0');
	t.is(app.harness.lines().length, 20);
	t.is(fitProblem(app.harness, 'notechondria-sandbox'), undefined);
	t.is(app.harness.lines().at(-2), `✔ shell in ${container} exited 0`);
	await app.harness.unmount();
});

test('output the session sends after it ended never reaches the console\'s screen', async t => {
	const app = await renderApp({shell: true});
	await app.harness.press('s');
	const session = await waitForShell(app);
	session.exit(0);
	await waitForConsole(app);
	const mark = app.harness.stdout.chunks.length;
	session.emit('LATE OUTPUT');
	await app.harness.settle();
	t.false(app.harness.stdout.chunks.slice(mark).join('').includes('LATE'));
	t.false(app.harness.frame().includes('LATE'));
	await app.harness.unmount();
});

test('modes a remote program left on are switched off before the console draws again', async t => {
	const app = await renderApp({shell: true});
	await app.harness.press('s');
	const session = await waitForShell(app);
	// vim killed mid-way: application cursor keys, mouse reports, a scroll region, hidden cursor.
	session.emit('\u001B[?1h\u001B[?1000h\u001B[5;10r\u001B[?25l');
	session.exit(137);
	await waitForConsole(app, 'exited 137');
	const output = app.harness.output();
	const reset = output.lastIndexOf('\u001B[?1000l');
	t.true(reset > output.lastIndexOf('\u001B[?1000h'), 'mouse reports off');
	t.true(output.lastIndexOf('\u001B[?1l') > output.lastIndexOf('\u001B[?1h'), 'normal cursor keys');
	t.true(output.lastIndexOf('\u001B[r') > output.lastIndexOf('\u001B[5;10r'), 'no scroll region');
	t.true(reset < output.lastIndexOf('\u001B[?1049h'), 'before the console re-entered its screen');
	t.is(app.harness.lines()[0]?.includes('notechondria-sandbox'), true);
	await app.harness.press('down');
	t.regex(app.harness.frame(), /›notechondria-backend/, 'arrow keys still read as arrows');
	await app.harness.unmount();
});

test('ctrl-] leaves a shell that does not answer, and closes it', async t => {
	const app = await renderApp({shell: true});
	await app.harness.press('s');
	const session = await waitForShell(app);
	await app.harness.type('ls\u001D');
	await waitForConsole(app);
	t.true(session.closed);
	t.is(session.input, 'ls', 'the detach key itself is not sent');
	t.regex(app.harness.lines().at(-2) ?? '', new RegExp(`▲ shell in ${container} ended: left with ctrl-\\]`));
	await app.harness.unmount();
});

test('quitting the console during a session closes the session', async t => {
	const app = await renderApp({shell: true});
	await app.harness.press('s');
	const session = await waitForShell(app);
	await app.harness.unmount();
	t.true(session.closed);
	t.is(app.harness.stdin.listenerCount('data'), 0);
});
