import type {FakeExecSession} from './fake-exec-session.js';
import type {AppUnderTest} from './render-app.js';

/** Waits until the console has stepped aside for the newest shell and its banner is on the terminal. */
export async function waitForShell(app: AppUnderTest, count = 1): Promise<FakeExecSession> {
	await app.harness.waitFor(frame => app.harness.screen() === 'normal' && frame.includes('wheelhouse: exit returns to the console') && app.shells.sessions.length >= count);
	await app.harness.settle();
	return app.shells.sessions.at(-1)!;
}

/** Waits until the console is back on its own screen showing `text` (by default, how the shell ended). */
export async function waitForConsole(app: AppUnderTest, text: string | RegExp = /shell in .* (exited|ended)/): Promise<string> {
	const frame = await app.harness.waitFor(current => app.harness.screen() === 'alternate' && (typeof text === 'string' ? current.includes(text) : text.test(current)));
	await app.harness.settle();
	return frame;
}

/** A deferred answer, for an `openShell` the test resolves or rejects when it wants. */
export function deferred<Value>(): {promise: Promise<Value>; resolve(value: Value): void; reject(error: unknown): void} {
	let resolve: (value: Value) => void = () => undefined;
	let reject: (error: unknown) => void = () => undefined;
	const promise = new Promise<Value>((yes, no) => {
		resolve = yes;
		reject = no;
	});
	return {promise, resolve, reject};
}
