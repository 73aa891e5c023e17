import test from 'ava';
import type {ExecSession} from '../../source/core/exec.js';
import {ProviderError} from '../../source/core/errors.js';
import {createFakeExecSession} from '../helpers/fake-exec-session.js';
import {fitProblem, recordingActions, renderApp} from '../helpers/render-app.js';
import {deferred, waitForConsole, waitForShell} from '../helpers/shell.js';

const container = 'notechondria-backend-78b4d4459d-x7k2p';

for (const [columns, rows] of [[80, 24], [120, 40]] as const) {
	test(`${columns}×${rows}: when openShell refuses, the reason and its hint are on the status line and the console stays`, async t => {
		const app = await renderApp({columns, rows, shell: async () => {
			throw new ProviderError('forbidden', 'This API token may not exec into notechondria-backend.', {hint: 'Give the token the Exec permission.'});
		}});
		const before = app.harness.lines();
		await app.harness.press('s');
		await app.harness.waitFor('✖ No shell in');
		t.is(app.shells.calls.length, 1);
		t.is(app.harness.screen(), 'alternate');
		t.false(app.harness.output().includes('\u001B[?1049l'), 'the console never stepped aside');
		t.deepEqual(app.harness.stdin.rawModes, [true], 'the keyboard never changed hands');
		const message = `✖ No shell in ${container}: This API token may not exec into notechondria-backend. Give the token the Exec permission.`;
		// Too long for one row, the message and its hint take two; the panes give them up.
		const lines = app.harness.lines();
		t.is(lines.slice(-3, -1).join(' '), message);
		t.is(fitProblem(app.harness, 'notechondria-sandbox'), undefined);
		t.deepEqual(lines.slice(0, 2), before.slice(0, 2));
		t.is(lines.at(-1), before.at(-1), 'the dashboard\'s key hints are back');
		await app.harness.press('tab');
		t.regex(app.harness.frame(), /┏━ Builds/, 'the console answers keys');
		await app.harness.unmount();
	});
}

test('while the shell connects: the status line says so, keys typed meanwhile go to the shell, not the console', async t => {
	const pending = deferred<ExecSession>();
	const app = await renderApp({shell: async () => pending.promise});
	await app.harness.press('s');
	t.is(app.harness.lines().at(-2), `opening a shell in ${container}… (esc cancels)`);
	t.regex(app.harness.lines().at(-1) ?? '', /^esc cancel$/);
	const before = app.harness.frame();
	await app.harness.type('ls -l');
	await app.harness.press('tab', 'enter', 'up');
	t.is(app.harness.frame(), before, 'the console did not act on them');
	const session = createFakeExecSession(app.shells.calls[0]!.target);
	pending.resolve(session);
	await waitForShell(app);
	t.is(session.input, 'ls -l\t\r\u001B[A', 'they reached the shell first, as typed');
	await app.harness.type('x');
	t.is(session.input, 'ls -l\t\r\u001B[Ax');
	session.exit(0);
	await waitForConsole(app);
	await app.harness.unmount();
});

test('a key burst with s in it: what follows s is typed ahead for the shell', async t => {
	const pending = deferred<ExecSession>();
	const app = await renderApp({shell: async () => pending.promise});
	await app.harness.type('sls');
	const session = createFakeExecSession(app.shells.calls[0]!.target);
	pending.resolve(session);
	await waitForShell(app);
	t.is(session.input, 'ls', 'l did not open the logs, and both letters reached the shell');
	session.exit(0);
	await waitForConsole(app);
	await app.harness.unmount();
});

test('esc while the shell connects cancels; a session that connects after all is closed and never shown', async t => {
	const pending = deferred<ExecSession>();
	const app = await renderApp({shell: async () => pending.promise});
	await app.harness.press('s', 'esc');
	t.is(app.harness.lines().at(-2), 'Cancelled; no shell was opened.');
	const session = createFakeExecSession(app.shells.calls[0]!.target);
	pending.resolve(session);
	await app.harness.settle();
	t.true(session.closed);
	t.is(app.harness.screen(), 'alternate');
	t.false(app.harness.output().includes('\u001B[?1049l'));
	t.is(app.harness.lines().at(-2), 'Cancelled; no shell was opened.');
	await app.harness.unmount();
});

test('a refusal that arrives after esc is not reported', async t => {
	const pending = deferred<ExecSession>();
	const app = await renderApp({shell: async () => pending.promise});
	await app.harness.press('s', 'esc');
	pending.reject(new Error('too late'));
	await app.harness.settle();
	t.is(app.harness.lines().at(-2), 'Cancelled; no shell was opened.');
	await app.harness.unmount();
});

test('a session that ends without an exit status says why', async t => {
	const app = await renderApp({shell: true});
	await app.harness.press('s');
	const session = await waitForShell(app);
	session.exit(255, 'unknown', 'Connection closed before receiving command result');
	await waitForConsole(app);
	t.is(app.harness.lines().slice(-3, -1).join(' '), `▲ shell in ${container} ended: Connection closed before receiving command result`);
	await app.harness.unmount();
});

test('without openShell (read-only) there is no shell key, hint, command or help entry', async t => {
	const app = await renderApp({columns: 120, rows: 40, actions: recordingActions(), logs: true});
	t.false(app.harness.lines().at(-1)?.includes('shell'));
	const before = app.harness.frame();
	await app.harness.press('s');
	t.is(app.harness.frame(), before, 's does nothing');
	await app.harness.press(':');
	await app.harness.type('shell');
	t.regex(app.harness.lines().at(-2) ?? '', /no such command/);
	await app.harness.press('esc', '?');
	const help: string[] = [];
	for (let page = 0; page < 6; page++) {
		help.push(...app.harness.lines());
		await app.harness.press('pagedown');
	}

	t.false(help.some(line => /shell|container/i.test(line)), help.find(line => /shell|container/i.test(line)));
	await app.harness.unmount();
});

test('with openShell, ? lists the shell keys and the command', async t => {
	const app = await renderApp({columns: 120, rows: 40, shell: true});
	await app.harness.press('?');
	const help: string[] = [];
	for (let page = 0; page < 8; page++) {
		help.push(...app.harness.lines());
		await app.harness.press('pagedown');
	}

	const text = help.join('\n');
	t.regex(text, /s +Open a shell in the selected row/);
	t.regex(text, /s +Open a shell in this item/);
	t.regex(text, /Choosing a container for a shell \(after s\)/);
	t.regex(text, /enter +Shell in the highlighted container/);
	t.regex(text, /:shell :exec +Open a shell in the selected row/);
	t.regex(text, /esc +Cancel \(other keys go to the shell\)/);
	await app.harness.unmount();
});

test('quitting while a shell connects: it is closed when it arrives, and the terminal is not touched', async t => {
	const pending = deferred<ExecSession>();
	const app = await renderApp({shell: async () => pending.promise});
	await app.harness.press('s', 'ctrl+c');
	t.is(app.quits(), 1);
	await app.harness.instance.waitUntilExit();
	const mark = app.harness.stdout.chunks.length;
	const session = createFakeExecSession(app.shells.calls[0]!.target);
	pending.resolve(session);
	await app.harness.settle();
	t.true(session.closed);
	t.is(app.harness.stdout.chunks.length, mark);
	await app.harness.unmount();
});
