// The hand-off on a real pseudo-terminal, where Node's TTY handle, raw mode and Ink's suspend are the
// real ones: the harness's fake streams cannot show the freeze this guards against (after a child
// shell, the console waiting for an extra Enter before it reads keys again).
import process from 'node:process';
import pty from '@lydell/node-pty';
import test from 'ava';

const fixture = new URL('../helpers/shell-console.tsx', import.meta.url).pathname;

function start(columns: number, rows: number) {
	const child = pty.spawn(process.execPath, ['--import=tsx', fixture], {cols: columns, rows, name: 'xterm-256color', cwd: process.cwd(), env: {...process.env, FORCE_COLOR: '0'}});
	let output = '';
	child.onData(data => {
		output += data;
	});
	const exited = new Promise<number>(resolve => {
		child.onExit(({exitCode}) => {
			resolve(exitCode);
		});
	});
	const occurrences = (text: string) => output.split(text).length - 1;
	return {
		child,
		exited,
		output: () => output,
		/** Waits until `text` has been written after the last `marker`. */
		async waitForAfter(marker: string, text: string, timeoutMs = 10_000) {
			const deadline = performance.now() + timeoutMs;
			while (!output.slice(output.lastIndexOf(marker)).includes(text)) {
				if (performance.now() > deadline) {
					throw new Error(`Timed out waiting for ${JSON.stringify(text)} after ${JSON.stringify(marker)}; last output: ${JSON.stringify(output.slice(-600))}`);
				}

				await new Promise(resolve => {
					setTimeout(resolve, 10);
				});
			}
		},
		/** Waits until `text` has been written at least `count` times. */
		async waitFor(text: string, count = 1, timeoutMs = 10_000) {
			const deadline = performance.now() + timeoutMs;
			while (occurrences(text) < count) {
				if (performance.now() > deadline) {
					throw new Error(`Timed out waiting for ${JSON.stringify(text)} ×${count}; last output: ${JSON.stringify(output.slice(-600))}`);
				}

				await new Promise(resolve => {
					setTimeout(resolve, 10);
				});
			}
		},
	};
}

test('on a real terminal: five shells in a row, each key read at once after the return, resizes followed', async t => {
	const app = start(80, 24);
	t.teardown(() => {
		app.child.kill();
	});
	await app.waitFor('notechondria-backend');
	for (let round = 1; round <= 5; round++) {
		app.child.write('s');
		await app.waitFor('wheelhouse: exit returns to the console', round);
		// This shell's own prompt, not one left over from an earlier round.
		await app.waitForAfter('wheelhouse: exit returns to the console', '$ ');
		app.child.write(`round${round}\r`);
		await app.waitFor(`ran: round${round}`);
		if (round === 3) {
			// The window change reaches Node as SIGWINCH, after the keys already on their way.
			app.child.resize(100, 30);
			await new Promise(resolve => {
				setTimeout(resolve, 300);
			});
			app.child.write('size\r');
			await app.waitFor('size 100x30');
		}

		app.child.write(`exit ${round}\r`);
		await app.waitFor(`exited ${round}`);
		// The first key after the return must reach the console: no Enter to wake it, nothing lost.
		app.child.write('?');
		await app.waitFor('Help — keys and commands', round);
		app.child.write('?');
		await app.waitFor('q quit', round + 1);
	}

	app.child.write('q');
	t.is(await app.exited, 0);
	const output = app.output();
	t.regex(output, /FIXTURE-DONE raw=false dataListeners=0 updates=\d+/, 'the terminal is back in line mode and nothing reads it');
	t.false(/ran: \?/.test(output), 'no key meant for the console reached a shell');
	t.false(output.includes('ran: q'));
});
