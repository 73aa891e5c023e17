import {PassThrough, Writable} from 'node:stream';
import test from 'ava';
import {renderDashboard} from '../../source/ui/render-dashboard.js';
import {createFakeLiveSource} from '../helpers/fake-live-source.js';
import {createManualClock} from '../helpers/manual-clock.js';
import {recordingActions, renderApp, sandboxContext} from '../helpers/render-app.js';
import {seedLiveState, seedNow} from '../helpers/seed-snapshot.js';

test('q quits', async t => {
	const {harness, quits} = await renderApp();
	await harness.press('q');
	t.is(quits(), 1);
	await harness.instance.waitUntilExit();
	t.pass();
});

test('ctrl-c quits from anywhere, even from a confirmation dialog', async t => {
	const {harness, quits} = await renderApp({actions: recordingActions()});
	await harness.press(':');
	await harness.type('restart');
	await harness.press('enter');
	t.true(harness.frame().includes('Restart notechondria-backend?'));
	await harness.press('ctrl+c');
	t.is(quits(), 1);
	await harness.instance.waitUntilExit();
});

test('ctrl-c quits while typing a filter', async t => {
	const {harness, quits} = await renderApp();
	await harness.press('/');
	await harness.type('abc');
	await harness.press('ctrl+c');
	t.is(quits(), 1);
	await harness.instance.waitUntilExit();
});

class FakeTerminal extends Writable {
	readonly isTTY = true;
	columns = 80;
	rows = 24;
	written = '';

	override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
		this.written += String(chunk);
		callback();
	}
}

class FakeKeyboard extends PassThrough {
	readonly isTTY = true;
	isRaw = false;

	setRawMode(mode: boolean): this {
		this.isRaw = mode;
		return this;
	}
}

test('renderDashboard runs on the alternate screen, starts and stops the source, and resolves on quit', async t => {
	const source = createFakeLiveSource(seedLiveState());
	const stdout = new FakeTerminal();
	const stdin = new FakeKeyboard();
	const done = renderDashboard({
		source,
		context: sandboxContext,
		clock: createManualClock(seedNow),
		streams: {stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, stderr: new FakeTerminal() as unknown as NodeJS.WriteStream},
	});
	await new Promise(resolve => {
		setTimeout(resolve, 100);
	});
	t.is(source.calls.start, 1);
	t.true(stdout.written.startsWith('\u001B[?1049h'), 'enters the alternate screen first');
	t.true(stdin.isRaw, 'reads single key presses');
	stdin.write('q');
	await done;
	t.is(source.calls.stop, 1);
	t.is(source.listenerCount, 0, 'unsubscribed');
	t.true(stdout.written.includes('\u001B[?1049l'), 'leaves the alternate screen');
	t.true(stdout.written.endsWith('\u001B[?25h') || stdout.written.includes('\u001B[?25h'), 'shows the cursor again');
	t.false(stdin.isRaw, 'gives line editing back');
});

test('renderDashboard refuses to start without a terminal, naming the alternative', async t => {
	const source = createFakeLiveSource(seedLiveState());
	const pipe = new PassThrough();
	await t.throwsAsync(renderDashboard({
		source,
		context: sandboxContext,
		streams: {stdout: pipe as unknown as NodeJS.WriteStream, stdin: new PassThrough() as unknown as NodeJS.ReadStream},
	}), {message: /needs an interactive terminal: standard output is not a terminal/});
	t.is(source.calls.start, 0);
});
