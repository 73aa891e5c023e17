// The console looks and answers the same on every platform: same panes, same key hints, same help,
// whether the provider behind it speaks Northflank's API, Render's, or Compose over SSH.
import test from 'ava';
import {LiveStatus} from '../../source/core/live-status.js';
import type {Provider} from '../../source/core/provider.js';
import {ComposeProvider} from '../../source/providers/compose/index.js';
import {NorthflankProvider} from '../../source/providers/northflank/provider.js';
import {RenderProvider} from '../../source/providers/render/provider.js';
import {startSandbox} from '../../source/sandbox/index.js';
import {App} from '../../source/ui/app.js';
import type {DashboardActions} from '../../source/ui/app.js';
import {startComposeHost} from '../helpers/compose-host.js';
import {renderHarness} from '../helpers/render-harness.js';

const quickPlan = {transitionIntervalMs: 150, minIdleIntervalMs: 200, backoffMs: 150, maxBackoffMs: 400};
const size = {columns: 80, rows: 24};
const noActions: DashboardActions = {
	async startBuild() {},
	async restartService() {},
};

async function frameOf(provider: Provider, platform: string, appService: string): Promise<{keys: string; panes: string[]; help: string}> {
	const live = new LiveStatus(provider, quickPlan);
	live.start();
	const harness = renderHarness(<App source={live} context={{name: platform, sandbox: false, platform}} actions={noActions}/>, size);
	try {
		await harness.waitFor(new RegExp(appService), 30_000);
		const lines = harness.lines();
		const panes = lines.flatMap(line => [...line.matchAll(/[┏┌]━* ?─* ?(Services|Builds|Addons|Jobs)\b/g)].map(match => match[1]!));
		await harness.press('?');
		const help = await harness.waitFor(/esc/);
		await harness.press('escape');
		return {keys: lines.at(-1)!.trim(), panes, help: help.split('\n').filter(line => /^\s*\S+\s{2,}\S/.test(line)).map(line => line.trim()).join('\n')};
	} finally {
		await harness.unmount();
		live.stop();
	}
}

test('the dashboard has the same panes, key hints and help on Northflank, Render and Compose', async t => {
	const sandbox = await startSandbox({port: 0, database: 'simulated'});
	const compose = await startComposeHost();
	t.teardown(async () => {
		await sandbox.close();
		await compose.stop();
	});
	const northflank = await frameOf(new NorthflankProvider({baseUrl: sandbox.url, token: sandbox.token, project: 'notechondria', sandbox: true}), 'northflank', 'notechondria-backend');
	const render = await frameOf(new RenderProvider({baseUrl: sandbox.url, apiKey: sandbox.renderToken}), 'render', 'notechondria-backend');
	const composeProvider = new ComposeProvider(compose.options('direct'));
	t.teardown(async () => composeProvider.close());
	const overSsh = await frameOf(composeProvider, 'compose', 'backend');
	t.deepEqual(northflank.panes, ['Services', 'Builds', 'Addons', 'Jobs']);
	t.regex(northflank.keys, /tab pane.*enter open.*\/ filter.*: command.*\? help.*q quit/);
	t.true(northflank.help.split('\n').length > 8, northflank.help);
	for (const [name, frame] of [['render', render], ['compose', overSsh]] as const) {
		t.deepEqual(frame.panes, northflank.panes, `${name} panes`);
		t.is(frame.keys, northflank.keys, `${name} key hints`);
		t.is(frame.help, northflank.help, `${name} help`);
	}
});
