import test from 'ava';
import {LiveStatus} from '../../source/core/live-status.js';
import {App} from '../../source/ui/app.js';
import type {DashboardActions} from '../../source/ui/app.js';
import {renderHarness} from '../helpers/render-harness.js';
import {sandboxWithProvider} from '../helpers/sandbox.js';

const quickPlan = {transitionIntervalMs: 150, minIdleIntervalMs: 200, backoffMs: 150, maxBackoffMs: 400};

async function consoleOnSandbox(size: {columns: number; rows: number}, sandboxOptions = {}) {
	const {sandbox, provider} = await sandboxWithProvider(sandboxOptions);
	const live = new LiveStatus(provider, quickPlan);
	const actions: DashboardActions = {
		async startBuild(serviceId) {
			await provider.startBuild(serviceId);
			live.refreshNow();
		},
		async restartService(serviceId) {
			await provider.restartService(serviceId);
			live.refreshNow();
		},
	};
	live.start();
	const harness = renderHarness(<App source={live} context={{name: 'sandbox', sandbox: true, platform: 'northflank'}} actions={actions}/>, size);
	return {
		sandbox, provider, live, harness, async close() {
			await harness.unmount();
			live.stop();
			await sandbox.close();
		},
	};
}

for (const size of [{columns: 80, rows: 24}, {columns: 120, rows: 40}]) {
	test(`the live dashboard on the real sandbox fits ${size.columns}x${size.rows}`, async t => {
		const app = await consoleOnSandbox(size);
		t.teardown(async () => app.close());
		const frame = await app.harness.waitFor(/notechondria-migrate[\s\S]*✔/);
		for (const text of ['SANDBOX', 'notechondria', 'notechondria-backend', 'healthy', 'notechondria-postgres', 'notechondria-migrate', 'failure']) {
			t.true(frame.includes(text), `${text} is on screen:\n${frame}`);
		}

		t.true(app.harness.lines().length <= size.rows);
		t.deepEqual(app.harness.wrappedRows(), [], 'no line is wider than the terminal');
	});
}

test('the stale marker appears when the platform fails and goes when it recovers', async t => {
	const app = await consoleOnSandbox({columns: 120, rows: 40});
	t.teardown(async () => app.close());
	await app.harness.waitFor('notechondria-backend');
	app.sandbox.setChaos('5xx=1');
	await app.harness.press('r');
	const stale = await app.harness.waitFor(/STALE/i, 15_000);
	t.regex(stale, /notechondria-backend/, 'the last data stays on screen');
	app.sandbox.setChaos('off');
	await app.harness.press('r');
	await app.harness.waitFor(frame => !/STALE/i.test(frame), 15_000);
	t.pass();
});

test('a build started from the command palette shows up and progresses on screen', async t => {
	const app = await consoleOnSandbox({columns: 120, rows: 40}, {timeScale: 50});
	t.teardown(async () => app.close());
	await app.harness.waitFor('notechondria-backend');
	const buildsBefore = (await app.provider.listBuilds('notechondria-backend', 50)).length;
	await app.harness.press(':');
	await app.harness.type('build');
	await app.harness.press('enter');
	// The dialog defaults to Cancel: confirm explicitly.
	await app.harness.waitFor(/build/i);
	await app.harness.press('y');
	await app.harness.waitFor(() => app.sandbox.stats().byRoute['POST /projects/:projectId/services/:serviceId/build'] === 1, 5000);
	t.is((await app.provider.listBuilds('notechondria-backend', 50)).length, buildsBefore + 1);
	await app.harness.waitFor(/(queued|building|cloning|success)/i);
});
