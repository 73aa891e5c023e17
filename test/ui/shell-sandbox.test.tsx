import test from 'ava';
import {LiveStatus} from '../../source/core/live-status.js';
import {App, type OpenShell} from '../../source/ui/app.js';
import {renderHarness} from '../helpers/render-harness.js';
import {sandboxWithProvider} from '../helpers/sandbox.js';

const quickPlan = {transitionIntervalMs: 150, minIdleIntervalMs: 200, backoffMs: 150, maxBackoffMs: 400};

/** The console on the sandbox, with openShell wired as the console command wires it. */
async function consoleOnSandbox() {
	const {sandbox, provider} = await sandboxWithProvider();
	const live = new LiveStatus(provider, quickPlan);
	const openShell: OpenShell = async (target, size) => provider.openExec(target, {tty: true, columns: size.columns, rows: size.rows});
	live.start();
	const harness = renderHarness(<App source={live} context={{name: 'sandbox', sandbox: true, platform: 'northflank'}} openShell={openShell}/>, {columns: 80, rows: 24});
	return {
		sandbox, harness, async close() {
			await harness.unmount();
			live.stop();
			await sandbox.close();
		},
	};
}

test('a real shell in the sandbox: typed commands run, a resize reaches its pty, exit 3 brings the console back', async t => {
	const app = await consoleOnSandbox();
	t.teardown(async () => app.close());
	const {harness} = app;
	await harness.waitFor(/notechondria-backend .*healthy/);
	await harness.press('s');
	await harness.waitFor(frame => harness.screen() === 'normal' && frame.includes('exit returns to the console'), 10_000);
	await harness.type('echo $((6*7))\r');
	await harness.waitFor(/^42$/m, 10_000);
	await harness.resize(100, 30);
	await harness.type('stty size\r');
	await harness.waitFor(/^30 100$/m, 10_000);
	await harness.type('exit 3\r');
	await harness.waitFor(frame => harness.screen() === 'alternate' && /✖ shell in .* exited 3/.test(frame), 10_000);
	t.regex(harness.lines()[0] ?? '', /SANDBOX/);
	t.true(harness.stdin.isRaw);
});

test('a job with no running run: the refusal is on the status line and the console stays', async t => {
	const app = await consoleOnSandbox();
	t.teardown(async () => app.close());
	const {harness} = app;
	await harness.waitFor(/notechondria-migrate/);
	await harness.press('tab', 'tab', 'tab', 's');
	await harness.waitFor(/No shell in|exit returns to the console/, 10_000);
	t.is(harness.screen(), 'alternate');
	t.regex(harness.lines().join(' '), /✖ No shell in notechondria-migrate: .*it is not running/);
});
